"""Trainings from and to spreadsheets (CSV or XLSX), for programme staff who plan in Excel.

An import is checked as a whole before anything is stored, every bad row reported with its line
number, and stored in one transaction: all rows or none. Times in the file are local (WIB).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services import audit
from bot.services.audit import Action
from bot.services.trainings import add_training
from bot.services.trainings_dates import DateTextError, parse_moment
from bot.services.trainings_rules import TrainingDraft, check_draft
from models import Group, Region, RegionLevel
from models.training import Enrollment, EnrollmentStatus, Training

COLUMNS = ["title", "category", "description", "desa_code", "venue", "latitude", "longitude",
           "starts_at", "ends_at", "capacity", "target_groups", "organizer", "organizer_kind",
           "accessibility"]
REQUIRED = {"title", "category", "desa_code", "venue", "starts_at", "ends_at", "capacity",
            "organizer", "organizer_kind"}
EXPORT_ONLY = ["id", "status", "enrolled", "waitlisted", "attended", "ratings", "average_rating"]

Record = dict[str, Any]


class TrainingFileError(ValueError):
    """The file was rejected; `problems` lists every bad row as `line N: …`."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        shown = "; ".join(problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"{source}: {shown}{more}; nothing was imported")


def read_records(path: Path) -> list[tuple[int, Record]]:
    """(line number, cells by column) for every non-empty row; XLSX by extension, else CSV."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _xlsx_records(path)
        return _csv_records(path.read_text(encoding="utf-8-sig"), str(path))
    except TrainingFileError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise TrainingFileError(str(path), [f"cannot read the file: {exc}"]) from None


def _check_header(header: list[str], source: str) -> list[str]:
    names = [str(h or "").strip().lower() for h in header]
    unknown = [n for n in names if n and n not in COLUMNS and n not in EXPORT_ONLY]
    missing = sorted(REQUIRED - set(names))
    problems = []
    if unknown:
        problems.append(f"line 1: unknown column(s) {', '.join(unknown)}")
    if missing:
        problems.append(f"line 1: missing column(s) {', '.join(missing)}")
    if problems:
        problems.append(f"line 1: the columns are {','.join(COLUMNS)}")
        raise TrainingFileError(source, problems)
    return names


def _csv_records(text: str, source: str) -> list[tuple[int, Record]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = _check_header(next(reader, []), source)
    records = []
    for row in reader:
        if any(cell.strip() for cell in row):
            records.append((reader.line_num, dict(zip(header, row, strict=False))))
    return records


def _xlsx_records(path: Path) -> list[tuple[int, Record]]:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = _check_header(list(next(rows, ())), str(path))
        records = []
        for line, row in enumerate(rows, start=2):
            if any(cell not in (None, "") for cell in row):
                records.append((line, dict(zip(header, row, strict=False))))
        return records
    finally:
        book.close()


def _text(record: Record, key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def _moment(value: Any, today: date, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value
    found = parse_moment(str(value or ""), today)
    if found.clock is None:
        raise DateTextError("no_time")
    return datetime.combine(found.day, found.clock, tzinfo=tz)


def _number(value: Any, kind: type) -> Any:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, int | float):
        return kind(value)
    return kind(str(value).strip().replace(",", "."))


def to_draft(record: Record, today: date, tz: tzinfo) -> tuple[TrainingDraft | None, list[str]]:
    """One row as a draft, or the reasons it cannot be one (times, numbers, required cells)."""
    problems = [f"{key} is empty" for key in sorted(REQUIRED) if _text(record, key) == ""]
    times = {}
    for key in ("starts_at", "ends_at"):
        if _text(record, key):
            try:
                times[key] = _moment(record.get(key), today, tz)
            except DateTextError:
                problems.append(f"{key} {_text(record, key)!r} is not a date and time "
                                "(write e.g. 2026-03-12 09:00)")
    numbers: dict[str, Any] = {}
    for key, kind in (("capacity", int), ("latitude", float), ("longitude", float)):
        try:
            numbers[key] = _number(record.get(key), kind)
        except ValueError:
            problems.append(f"{key} {_text(record, key)!r} is not a number")
    if problems:
        return None, problems
    groups = _text(record, "target_groups").replace(";", ",")
    return TrainingDraft(
        title=_text(record, "title"), category=_text(record, "category").lower(),
        desa_code=_text(record, "desa_code"), venue=_text(record, "venue"),
        starts_at=times["starts_at"], ends_at=times["ends_at"], capacity=numbers["capacity"],
        organizer=_text(record, "organizer"),
        organizer_kind=_text(record, "organizer_kind").lower(),
        description=_text(record, "description"), latitude=numbers["latitude"],
        longitude=numbers["longitude"],
        target_groups=tuple(g.strip().lower() for g in groups.split(",") if g.strip()),
        accessibility=_text(record, "accessibility"),
    ), []


@dataclass(frozen=True, slots=True)
class Imported:
    count: int
    first_id: int | None


async def import_records(
    sessionmaker: SessionMaker, records: list[tuple[int, Record]], source: str, now: datetime,
    tz: tzinfo, on_row: Callable[[], None] | None = None,
) -> Imported:
    """Check every row, then store them all in one transaction, or raise with every problem."""
    if not records:
        raise TrainingFileError(source, ["the file has no trainings"])
    today = now.astimezone(tz).date()
    async with sessionmaker() as session:
        desa = set(await session.scalars(select(Region.code).where(
            Region.level.in_([RegionLevel.DESA, RegionLevel.KELURAHAN]))))
        groups = set(await session.scalars(select(Group.code)))
        existing = {(t.lower(), d, s): i for i, t, d, s in await session.execute(
            select(Training.id, Training.title, Training.desa_code, Training.starts_at))}
    problems: list[str] = []
    drafts: list[TrainingDraft] = []
    seen: dict[tuple[str, str, datetime], int] = {}
    for line, record in records:
        draft, found = to_draft(record, today, tz)
        if draft is not None:
            found = [p.english() for p in check_draft(draft, now, groups)]
            if draft.desa_code not in desa:
                found.append(f"desa code {draft.desa_code} is not in the region list")
            key = (draft.title.strip().lower(), draft.desa_code, draft.starts_at)
            if key in existing:
                found.append(f"the same training already exists (id {existing[key]})")
            elif key in seen:
                found.append(f"the same training is already on line {seen[key]}")
            seen[key] = line
            drafts.append(draft)
        problems += [f"line {line}: {problem}" for problem in found]
        if on_row is not None:
            on_row()
    if problems:
        raise TrainingFileError(source, problems)
    async with sessionmaker() as session, session.begin():
        stored = [await add_training(session, draft, now, None) for draft in drafts]
        audit.record(session, Action.TRAINING_IMPORTED, actor=None, details={
            "file": Path(source).name, "count": len(stored),
            "ids": [stored[0].id, stored[-1].id]}, at=now)
    return Imported(len(stored), stored[0].id if stored else None)


async def export_records(sessionmaker: SessionMaker, tz: tzinfo) -> list[Record]:
    """Every training with its numbers, oldest first; times local, as an import expects."""
    async with sessionmaker() as session:
        counts: dict[tuple[int, str], int] = {
            (tid, status): n for tid, status, n in await session.execute(
                select(Enrollment.training_id, Enrollment.status, func.count())
                .group_by(Enrollment.training_id, Enrollment.status))}
        feedback = {tid: (attended, ratings, avg) for tid, attended, ratings, avg in
                    await session.execute(select(
                        Enrollment.training_id, func.count(Enrollment.attended_at),
                        func.count(Enrollment.rating), func.avg(Enrollment.rating))
                        .group_by(Enrollment.training_id))}
        trainings = list(await session.scalars(select(Training).order_by(Training.starts_at,
                                                                         Training.id)))
    records = []
    for t in trainings:
        attended, ratings, average = feedback.get(t.id, (0, 0, None))
        records.append({
            "id": t.id, "status": t.status, "title": t.title, "category": t.category,
            "description": t.description, "desa_code": t.desa_code, "venue": t.venue,
            "latitude": t.latitude, "longitude": t.longitude,
            "starts_at": t.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "ends_at": t.ends_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "capacity": t.capacity, "target_groups": ",".join(t.target_groups),
            "organizer": t.organizer, "organizer_kind": t.organizer_kind,
            "accessibility": t.accessibility,
            "enrolled": counts.get((t.id, EnrollmentStatus.ENROLLED), 0),
            "waitlisted": counts.get((t.id, EnrollmentStatus.WAITLISTED), 0),
            "attended": attended, "ratings": ratings,
            "average_rating": round(float(average), 2) if average is not None else None,
        })
    return records


def export_columns() -> list[str]:
    return ["id", "status", *COLUMNS, *EXPORT_ONLY[2:]]


def write_csv(records: Iterable[Record], out: io.TextIOBase | Any) -> None:
    writer = csv.DictWriter(out, fieldnames=export_columns())
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else v for k, v in record.items()})


def write_xlsx(records: Iterable[Record], path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "trainings"
    columns = export_columns()
    sheet.append(columns)
    for record in records:
        sheet.append([record.get(column) for column in columns])
    book.save(path)
