"""Region list loading: validated as a whole, stored in one transaction, idempotent."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select

from bot.db import SessionMaker
from models import Region, RegionLevel

COLUMNS = ["code", "name", "level", "parent_code"]
PARENT_LEVEL = {
    RegionLevel.KECAMATAN: {RegionLevel.KABUPATEN},
    RegionLevel.DESA: {RegionLevel.KECAMATAN},
    RegionLevel.KELURAHAN: {RegionLevel.KECAMATAN},
}


class RegionFileError(ValueError):
    """The file was rejected; every problem is listed with its line number."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{source}: {shown}{more}; nothing was loaded")


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class SeedResult:
    added: int
    updated: int
    unchanged: int


def default_region_text() -> str:
    return resources.files("bot").joinpath("data/merangin_wilayah.csv").read_text("utf-8")


def parse_regions(text: str, source: str = "regions") -> list[RegionRow]:
    """Check codes, levels and parents across the whole file before anything touches the database.

    The kabupaten is the root: its parent (the province) is not part of the list and is not kept.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if [c.strip() for c in reader.fieldnames or []] != COLUMNS:
        raise RegionFileError(source, [f"line 1: header must be {','.join(COLUMNS)}"])
    problems: list[str] = []
    rows: dict[str, tuple[int, RegionRow]] = {}
    for record in reader:
        line = reader.line_num
        code = (record.get("code") or "").strip()
        name = (record.get("name") or "").strip()
        level_text = (record.get("level") or "").strip().lower()
        parent = (record.get("parent_code") or "").strip() or None
        if not code or not name:
            problems.append(f"line {line}: code and name are required")
            continue
        if code in rows:
            problems.append(f"line {line}: duplicate code {code} (first on line {rows[code][0]})")
            continue
        try:
            level = RegionLevel(level_text)
        except ValueError:
            problems.append(f"line {line}: bad level {level_text!r} for {code}")
            continue
        rows[code] = (line, RegionRow(code, name, level, parent))
    for line, row in rows.values():
        if row.level is RegionLevel.KABUPATEN:
            continue
        parent_row = rows.get(row.parent_code or "")
        if parent_row is None:
            problems.append(f"line {line}: parent {row.parent_code} of {row.code} is missing")
        elif parent_row[1].level not in PARENT_LEVEL[row.level]:
            problems.append(
                f"line {line}: a {row.level} cannot sit under a {parent_row[1].level}"
                f" ({row.parent_code})"
            )
    if problems:
        raise RegionFileError(source, problems)
    if not rows:
        raise RegionFileError(source, ["the file has no regions"])
    return [
        RegionRow(r.code, r.name, r.level, None) if r.level is RegionLevel.KABUPATEN else r
        for _, r in rows.values()
    ]


def read_region_file(path: Path) -> list[RegionRow]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionFileError(str(path), [f"cannot read: {exc}"]) from None
    return parse_regions(text, str(path))


async def seed_regions(sessionmaker: SessionMaker, rows: list[RegionRow]) -> SeedResult:
    """Insert new codes and rename changed ones; parents are written before their children."""
    order = {RegionLevel.KABUPATEN: 0, RegionLevel.KECAMATAN: 1}
    added = updated = 0
    async with sessionmaker() as session, session.begin():
        existing = {r.code: r for r in (await session.scalars(select(Region))).all()}
        for depth in range(3):
            for row in (r for r in rows if order.get(r.level, 2) == depth):
                current = existing.get(row.code)
                if current is None:
                    session.add(Region(code=row.code, name=row.name, level=row.level,
                                       parent_code=row.parent_code))
                    added += 1
                elif (current.name, current.level, current.parent_code) != (
                    row.name, row.level, row.parent_code
                ):
                    current.name, current.level, current.parent_code = (
                        row.name, row.level, row.parent_code
                    )
                    updated += 1
            await session.flush()
    return SeedResult(added, updated, len(rows) - added - updated)


async def region_count(sessionmaker: SessionMaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Region)) or 0
