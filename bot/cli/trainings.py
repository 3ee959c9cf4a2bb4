"""`berdaya trainings import FILE` and `berdaya trainings export`: trainings in spreadsheets."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.cli.common import CliError, settings_of
from bot.services import trainings_io
from bot.services.trainings_io import TrainingFileError
from bot.setup import open_database
from models.training import Category

app = typer.Typer(help="Trainings: import a schedule, export trainings with their numbers.",
                  no_args_is_help=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="CSV or XLSX with the columns " + ",".join(trainings_io.COLUMNS)
        + ". Times are local, e.g. 2026-03-12 09:00. category: "
        + ", ".join(c.value for c in Category) + ". organizer_kind: pemda, lsm or swasta. "
        "target_groups: group codes separated by commas (petani, migran, disabilitas, "
        "perempuan, pemuda, usaha), empty for everyone. desa_code: the Kemendagri code.",
    )],
) -> None:
    """Check every row, then publish them all in one transaction, or none."""
    settings = settings_of(ctx)
    console = Console(stderr=True)
    records = _read(file, console)

    async def go() -> trainings_io.Imported:
        async with open_database(settings) as sessionmaker:
            with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                          console=console, transient=True) as bar:
                task = bar.add_task("checking", total=len(records))
                return await trainings_io.import_records(
                    sessionmaker, records, str(file), datetime.now(settings.program.tz),
                    settings.program.tz, lambda: bar.advance(task))

    try:
        result = asyncio.run(go())
    except TrainingFileError as error:
        _fail(console, error)
    typer.echo(f"{file.name}: {result.count} training(s) published"
               + (f", numbers {result.first_id}–{result.first_id + result.count - 1}"
                  if result.first_id is not None else ""))


def _read(file: Path, console: Console) -> list[tuple[int, trainings_io.Record]]:
    try:
        return trainings_io.read_records(file)
    except TrainingFileError as error:
        _fail(console, error)


def _fail(console: Console, error: TrainingFileError) -> NoReturn:
    for problem in error.problems:
        console.print(f"  {problem}", markup=False, highlight=False)
    raise CliError(f"{error.source}: {len(error.problems)} problem(s); nothing was imported")


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write: .xlsx for Excel, anything else is CSV "
        "(default: CSV on standard output)",
    )] = None,
) -> None:
    """Every training with enrolled, waitlisted, attended and average rating."""
    settings = settings_of(ctx)

    async def go() -> list[trainings_io.Record]:
        async with open_database(settings) as sessionmaker:
            return await trainings_io.export_records(sessionmaker, settings.program.tz)

    records = asyncio.run(go())
    if output is None:
        trainings_io.write_csv(records, sys.stdout)
        return
    try:
        if output.suffix.lower() == ".xlsx":
            trainings_io.write_xlsx(records, output)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                trainings_io.write_csv(records, handle)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}") from None
    typer.echo(f"{len(records)} training(s) written to {output}", err=True)
