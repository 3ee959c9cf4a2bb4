"""`berdaya prices import FILE`: check the whole file, then write it in one transaction.

All or nothing: any bad row (each reported with its line number) means nothing is written.
Idempotent: a row equal to what is stored changes nothing, so importing twice adds nothing;
a row that changes a stored price updates it and leaves an audit record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services import audit
from bot.services.audit import Action
from bot.services.price_import_formats import parse_table
from bot.services.price_import_read import TableError, read_table
from bot.services.price_import_rows import ImportOptions, ImportRow, Parsed
from bot.services.prices import load_catalogue
from bot.services.prices_query import usual_price
from bot.services.prices_stats import MIN_SAMPLE, is_absurd, median
from models.price import Commodity, Origin, Price, PriceAudit, PriceStatus

CHUNK = 2000

Progress = Callable[[str, int, int], None]
"""(stage, done, total): the CLI draws a bar from it."""


def _silent(_stage: str, _done: int, _total: int) -> None:
    """No progress display."""


class ImportFailed(ValueError):
    """Nothing was imported; every problem is listed with its line number."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{source}: nothing was imported:\n  {shown}{more}")


@dataclass
class ImportPlan:
    source: str
    format: str
    rows: list[ImportRow]
    notices: list[str]
    outliers: list[tuple[ImportRow, Decimal]] = field(default_factory=list)
    """Rows more than ten times off the usual price, with that price: need a confirmation."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


async def plan_import(
    sessionmaker: SessionMaker, path: Path, today: date,
    options: ImportOptions | None = None, progress: Progress = _silent,
) -> ImportPlan:
    """Reads and checks everything; raises ImportFailed listing every bad row."""
    try:
        table = read_table(path)
    except (TableError, OSError) as exc:
        raise ImportFailed(str(path), [str(exc)]) from None
    progress("read", len(table), len(table))
    catalogue = await load_catalogue(sessionmaker)
    parsed: Parsed = parse_table(table, catalogue, options or ImportOptions(), today)
    if parsed.problems:
        raise ImportFailed(str(path), parsed.problems)
    if not parsed.rows:
        raise ImportFailed(str(path), ["no prices found in the file", *parsed.notices])
    plan = ImportPlan(str(path), parsed.format, parsed.rows, parsed.notices)
    plan.outliers = await _outliers(sessionmaker, parsed.rows)
    return plan


async def _outliers(sessionmaker: SessionMaker, rows: list[ImportRow]
                    ) -> list[tuple[ImportRow, Decimal]]:
    """Against the stored median of the 90 days up to the file's newest day (files may be
    old), or the file's own median when nothing is stored."""
    groups: dict[tuple[int, str, str], list[ImportRow]] = defaultdict(list)
    for row in rows:
        groups[(row.commodity.id, row.quality, row.level)].append(row)
    found = []
    for (commodity_id, quality, level), members in groups.items():
        newest = max(r.observed_on for r in members)
        usual = await usual_price(sessionmaker, commodity_id, quality, level, newest)
        if usual is None and len(members) >= MIN_SAMPLE:
            usual = median([r.value for r in members])
        found += [(r, usual) for r in members if usual is not None and is_absurd(r.value, usual)]
    return sorted(found, key=lambda item: item[0].line)


async def apply_import(
    sessionmaker: SessionMaker, plan: ImportPlan, now: datetime, progress: Progress = _silent,
) -> ImportResult:
    rows = plan.rows
    added = updated = 0
    async with sessionmaker() as session, session.begin():
        existing = await _existing(session, rows)
        fresh: list[dict[str, object]] = []
        changed: set[int] = set()
        for done, row in enumerate(rows, 1):
            stored = existing.get(row.key)
            if stored is None:
                fresh.append(_values(row, now))
                changed.add(row.commodity.id)
            elif (stored.value, stored.valid_until, stored.source) != (
                row.value, row.valid_until, row.source
            ):
                session.add(PriceAudit(price_id=stored.id, action="updated",
                                       old_value=stored.value, new_value=row.value,
                                       old_source=stored.source, new_source=row.source, at=now))
                stored.value, stored.valid_until, stored.source = (
                    row.value, row.valid_until, row.source)
                stored.status, stored.updated_at = PriceStatus.PUBLISHED, now
                updated += 1
                changed.add(row.commodity.id)
            if done % CHUNK == 0:
                progress("check", done, len(rows))
        progress("check", len(rows), len(rows))
        for start in range(0, len(fresh), CHUNK):
            await session.execute(insert(Price), fresh[start:start + CHUNK])
            added += len(fresh[start:start + CHUNK])
            progress("write", added, len(fresh))
        if changed:
            await session.execute(update(Commodity).where(Commodity.id.in_(changed))
                                  .values(data_version=Commodity.data_version + 1))
        audit.record(session, Action.PRICE_IMPORTED, actor=None, details={
            "file": Path(plan.source).name, "format": plan.format, "added": added,
            "updated": updated, "unchanged": len(rows) - added - updated}, at=now)
    return ImportResult(added, updated, len(rows) - added - updated)


def _values(row: ImportRow, now: datetime) -> dict[str, object]:
    return {"commodity_id": row.commodity.id, "place_id": row.place.id, "level": row.level,
            "quality": row.quality, "value": row.value, "unit": row.commodity.unit,
            "observed_on": row.observed_on, "valid_until": row.valid_until,
            "source": row.source, "origin": Origin.IMPORT, "status": PriceStatus.PUBLISHED,
            "created_at": now, "updated_at": now}


async def _existing(session: AsyncSession, rows: list[ImportRow]
                    ) -> dict[tuple[int, int, str, str, date], Price]:
    """Stored non-member prices the file could touch, read per commodity and place."""
    spans: dict[tuple[int, int], tuple[date, date]] = {}
    for row in rows:
        key = (row.commodity.id, row.place.id)
        low, high = spans.get(key, (row.observed_on, row.observed_on))
        spans[key] = (min(low, row.observed_on), max(high, row.observed_on))
    found: dict[tuple[int, int, str, str, date], Price] = {}
    for (commodity_id, place_id), (low, high) in spans.items():
        prices = await session.scalars(select(Price).where(
            Price.commodity_id == commodity_id, Price.place_id == place_id,
            Price.observed_on.between(low, high), Price.origin != Origin.CITIZEN))
        for price in prices:
            found[(price.commodity_id, price.place_id, price.level, price.quality,
                   price.observed_on)] = price
    return found
