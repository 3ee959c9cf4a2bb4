"""`berdaya prices import FILE`: load prices from a CSV or XLSX file, all or nothing."""

from __future__ import annotations

import asyncio
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli.common import CliError, settings_of
from bot.services.price_import import ImportFailed, ImportPlan, apply_import, plan_import
from bot.services.price_import_rows import ImportOptions
from bot.setup import open_database

app = typer.Typer(help="Market prices.", no_args_is_help=True)

SHOWN = 20
STAGES = {"read": "reading", "check": "checking", "write": "writing"}


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="CSV or XLSX: Berdaya's long format (date, commodity, place, "
        "level, price, unit, source), a PIHPS grid, a Bapanas panel or a Disbun Jambi TBS table.",
    )],
    place: Annotated[str | None, typer.Option(
        help="Price point of a PIHPS/Bapanas export (code or name), e.g. pihps-jambi")] = None,
    level: Annotated[str | None, typer.Option(
        help="produsen, grosir, eceran or penetapan (default: read from the title rows)")] = None,
    day: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD",
        help="The day a Bapanas export calls 'hari ini', when its title does not say")] = None,
    source: Annotated[str | None, typer.Option(help="Source shown with every price")] = None,
    yes: Annotated[bool, typer.Option(
        "--yes", help="Import prices far from the usual ones without asking")] = False,
) -> None:
    """Check every row, then import them in one transaction; importing twice changes nothing."""
    settings = settings_of(ctx)
    try:
        chosen_day = date.fromisoformat(day) if day else None
    except ValueError:
        raise CliError(f"--date must look like 2026-03-02, not {day!r}") from None
    options = ImportOptions(place=place, level=level, day=chosen_day, source=source)
    today = datetime.now(settings.program.tz).date()
    console = Console(stderr=True)

    async def go() -> str:
        async with open_database(settings) as sessionmaker:
            with _progress(console) as bar:
                task = bar.add_task("reading", total=None)

                def progress(stage: str, done: int, total: int) -> None:
                    bar.update(task, description=STAGES[stage], completed=done, total=total)

                try:
                    plan = await plan_import(sessionmaker, file, today, options, progress)
                except ImportFailed as failed:
                    bar.stop()
                    for problem in failed.problems:
                        console.print(f"  {problem}", markup=False, highlight=False)
                    raise CliError(f"{file}: {len(failed.problems)} problem(s); nothing was "
                                   "imported") from None
                _report_notices(console, plan)
                if plan.outliers and not yes:
                    bar.stop()
                    _confirm_outliers(console, plan)
                    bar.start()
                result = await apply_import(sessionmaker, plan, datetime.now(settings.program.tz),
                                            progress)
        return (f"{file.name} ({plan.format}): {result.added} added, {result.updated} updated, "
                f"{result.unchanged} unchanged")

    typer.echo(asyncio.run(go()))


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True)


def _report_notices(console: Console, plan: ImportPlan) -> None:
    for notice in plan.notices[:SHOWN]:
        console.print(f"  note: {notice}", markup=False, highlight=False)
    if len(plan.notices) > SHOWN:
        console.print(f"  note: … and {len(plan.notices) - SHOWN} more", markup=False)


def _confirm_outliers(console: Console, plan: ImportPlan) -> None:
    """The extra confirmation for prices more than ten times off the usual (a typing slip?)."""
    for row, usual in plan.outliers[:SHOWN]:
        console.print(f"  line {row.line}: {row.commodity.name_id} {row.value} is more than ten "
                      f"times away from the usual {usual}", markup=False, highlight=False)
    count = len(plan.outliers)
    if not sys.stdin.isatty():
        raise CliError(f"{count} price(s) are far from the usual ones; check them, or pass "
                       "--yes to import them anyway; nothing was imported")
    if not typer.confirm(f"Import these {count} price(s) anyway?", default=False, err=True):
        raise CliError("nothing was imported")
