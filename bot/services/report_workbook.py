"""The programme report (Excel) for the regency government and funders, and its audit trail.

Who may ask: staff (`/ekspor`) and the command line. Phone numbers only for admins and the
command line, and only when asked for. A facilitator limited to one kecamatan gets that
kecamatan and is refused any other (`OutOfScope`); the others choose a kecamatan or the whole
kabupaten. Every export is recorded in the audit trail with its period, scope and row counts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import BinaryIO

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services import audit
from bot.services import report_columns as words
from bot.services import report_rows as rows
from bot.services.audit import Action
from bot.services.report_period import Period, Problem, ReportRefused, check_period
from bot.services.report_sheets import Cover, SheetWriter, write_guide
from bot.services.scope import scope_of
from bot.services.statistics_sql import UnknownKecamatan, area_names
from models import Member, Role

AUDIT_KEYS = {words.MEMBERS: "members", words.TRAININGS: "trainings",
              words.ATTENDANCE: "attendance", words.PRICES: "prices",
              words.BROADCASTS: "broadcasts"}


@dataclass(frozen=True, slots=True)
class ReportResult:
    period: Period
    counts: dict[str, int]
    """Rows per sheet, by the sheet's (Indonesian) name, in the workbook's order."""
    new_members: int
    kecamatan: str | None
    kecamatan_name: str | None

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values())


def file_name(period: Period) -> str:
    return f"berdaya-laporan-{period.start.isoformat()}_{period.end.isoformat()}.xlsx"


def _check_actor(actor: Member | None, contacts: bool) -> None:
    if actor is None:
        return
    if not actor.is_staff or not actor.is_registered:
        raise ReportRefused(Problem.NOT_ALLOWED)
    if contacts and actor.role != Role.ADMIN:
        raise ReportRefused(Problem.CONTACTS_NOT_ALLOWED)


async def _fill(writer: SheetWriter, source: AsyncIterator[rows.Row] | list[rows.Row]) -> None:
    """Rows go to the sheet in batches on a worker thread: openpyxl's XML writing is slow
    (seconds for 50,000 members) and must not hold up the bot's other chats."""
    if isinstance(source, list):
        for start in range(0, len(source), rows.CHUNK):
            await asyncio.to_thread(writer.extend, source[start:start + rows.CHUNK])
        return
    batch: list[rows.Row] = []
    async for row in source:
        batch.append(row)
        if len(batch) >= rows.CHUNK:
            await asyncio.to_thread(writer.extend, batch)
            batch = []
    if batch:
        await asyncio.to_thread(writer.extend, batch)


async def _write_sheets(session: AsyncSession, book: Workbook,
                        query: rows.Query) -> dict[str, int]:
    lookups = await rows.load_lookups(session, query.tz)
    members = SheetWriter(book, words.MEMBERS, [*words.MEMBER_COLUMNS, words.PHONE_COLUMN]
                          if query.contacts else words.MEMBER_COLUMNS)
    await _fill(members, rows.member_rows(session, query, lookups))
    trainings = SheetWriter(book, words.TRAININGS, words.TRAINING_COLUMNS)
    await _fill(trainings, await rows.training_rows(session, query, lookups))
    attendance = SheetWriter(book, words.ATTENDANCE, words.ATTENDANCE_COLUMNS)
    await _fill(attendance, rows.attendance_rows(session, query))
    prices = SheetWriter(book, words.PRICES, words.PRICE_COLUMNS)
    await _fill(prices, rows.price_rows(session, query, lookups))
    broadcasts = SheetWriter(book, words.BROADCASTS, words.BROADCAST_COLUMNS)
    await _fill(broadcasts, await rows.broadcast_rows(session, query, lookups))
    return {writer.sheet.title: writer.finish()
            for writer in (members, trainings, attendance, prices, broadcasts)}


async def export_report(
    sessionmaker: SessionMaker, *, start: date, end: date, actor: Member | None,
    kecamatan: str | None = None, contacts: bool = False, now: datetime, tz: tzinfo,
    out: BinaryIO,
) -> ReportResult:
    """Writes the workbook to `out` and records the export; `actor=None` is the command line.

    Raises `ReportRefused` (bad period, not allowed, unknown kecamatan) or `OutOfScope`.
    """
    _check_actor(actor, contacts)
    period = check_period(start, end, now.astimezone(tz).date())
    kecamatan = scope_of(actor).check(kecamatan)
    since, until = period.bounds(tz)
    query = rows.Query(kecamatan, since, until, tz, contacts)
    book = Workbook(write_only=True)
    guide = book.create_sheet(words.GUIDE)
    async with sessionmaker() as session:
        try:
            kabupaten, kecamatan_name = await area_names(session, kecamatan)
        except UnknownKecamatan:
            raise ReportRefused(Problem.UNKNOWN_KECAMATAN) from None
        counts = await _write_sheets(session, book, query)
        new_members = await rows.count_new_members(session, query)
    kabupaten = kabupaten or "Kabupaten"
    scope = f"Kecamatan {kecamatan_name} ({kecamatan})" if kecamatan else f"Seluruh {kabupaten}"
    generated = query.local(now)
    assert generated is not None
    write_guide(guide, Cover(period.start, period.end, generated, kabupaten, scope,
                             kecamatan is not None, contacts, counts, new_members),
                words.PHONE_COLUMN if contacts else None)
    await asyncio.to_thread(book.save, out)
    async with sessionmaker() as session, session.begin():
        audit.record(session, Action.REPORT_EXPORTED, actor=actor, at=now, details={
            "from": period.start.isoformat(), "to": period.end.isoformat(),
            "kecamatan": kecamatan, "contacts": contacts,
            "rows": {AUDIT_KEYS[name]: count for name, count in counts.items()},
        })
    return ReportResult(period, counts, new_members, kecamatan, kecamatan_name)
