"""`berdaya report`: the programme report workbook (Excel), with the operator's (admin's) rights.

Audited like `/ekspor`, with no member as the actor.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from bot.cli.common import CliError, settings_of
from bot.config import Settings
from bot.services import places
from bot.services.report_period import MAX_DAYS, Problem, ReportRefused, check_period
from bot.services.report_period import read_day as read_typed_day
from bot.services.report_workbook import ReportResult, export_report
from bot.services.trainings_dates import DateTextError
from bot.setup import open_database
from models import utcnow

PROBLEMS = {
    Problem.REVERSED: "--from is after --to",
    Problem.FUTURE: "the period starts after today: there is nothing to report yet",
    Problem.TOO_LONG: f"a report covers at most {MAX_DAYS} days",
    Problem.UNKNOWN_KECAMATAN: "unknown kecamatan",
}


def _day(option: str, text: str, today: date) -> date:
    try:
        return read_typed_day(text, today)
    except DateTextError:
        raise CliError(f"{option}: cannot read {text!r} as a date (use YYYY-MM-DD or "
                       "D/M/YYYY)") from None


def report(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD or D/M/YYYY.")],
    end: Annotated[str, typer.Option("--to", help="Last day (included).")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="The .xlsx file to write (default: "
        "berdaya-laporan-FROM_TO.xlsx)")] = None,
    with_contacts: Annotated[bool, typer.Option(
        "--with-contacts", help="Add members' phone numbers (personal data: keep the file "
        "safe).")] = False,
    kecamatan: Annotated[str | None, typer.Option(
        "--kecamatan", help="Only this kecamatan, by code (15.02.02) or name (Bangko).")] = None,
) -> None:
    """Members, trainings and attendance, prices and broadcasts of a period, in one workbook."""
    settings = settings_of(ctx)
    today = utcnow().astimezone(settings.program.tz).date()
    first, last = _day("--from", start, today), _day("--to", end, today)
    try:
        check_period(first, last, today)
    except ReportRefused as exc:
        raise CliError(PROBLEMS[exc.problem]) from None
    target = out or Path(f"berdaya-laporan-{first.isoformat()}_{last.isoformat()}.xlsx")
    try:
        handle = target.open("wb")
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with handle:
            result = _export(settings, first, last, kecamatan, with_contacts, handle)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
    typer.echo(f"{target}: {counts}")
    if result.is_empty:
        typer.echo("no data in this period: the sheets hold only their headers")


def _export(settings: Settings, first: date, last: date, kecamatan: str | None,
            contacts: bool, out: BinaryIO) -> ReportResult:
    async def go() -> ReportResult:
        async with open_database(settings) as sessionmaker:
            code = None
            if kecamatan is not None:
                region = await places.find_kecamatan(sessionmaker, kecamatan)
                if region is None:
                    raise CliError(f"unknown kecamatan {kecamatan!r} (give its code, such as "
                                   "15.02.02, or its name)")
                code = region.code
            return await export_report(
                sessionmaker, start=first, end=last, actor=None, kecamatan=code,
                contacts=contacts, now=utcnow(), tz=settings.program.tz, out=out)

    try:
        return asyncio.run(go())
    except ReportRefused as exc:
        raise CliError(PROBLEMS.get(exc.problem, exc.problem.value)) from None
