"""`berdaya tips …`: the tip library to and from files facilitators can edit."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import CliError, settings_of
from bot.services import tips_formats, tips_library
from bot.services.tips_formats import LibraryError
from bot.setup import open_database
from models import utcnow

app = typer.Typer(help="Technology tips: import and export the library.", no_args_is_help=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(
        help="A folder of .md files, one .md, a .csv or an .xlsx (default: the shipped tips)",
    )] = None,
) -> None:
    """Add new tips and update changed ones (matched by id); nothing is stored if any row is
    wrong."""
    try:
        records = (list(tips_library.shipped_records()) if path is None
                   else tips_formats.read_path(path))
    except LibraryError as exc:
        raise CliError(_problems(exc)) from None
    settings = settings_of(ctx)

    async def go() -> tips_library.ImportResult:
        async with open_database(settings) as sessionmaker:
            return await tips_library.import_records(sessionmaker, records, utcnow())

    result = asyncio.run(go())
    typer.echo(f"tips: {result.added} added, {result.updated} updated, "
               f"{result.unchanged} unchanged")


@app.command("export")
def export(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(
        help="tips.csv, tips.xlsx, or a folder for one .md file per tip",
    )],
) -> None:
    """Write every tip, drafts included, for editing or backup."""
    settings = settings_of(ctx)

    async def go() -> list[tips_formats.TipRecord]:
        async with open_database(settings) as sessionmaker:
            return await tips_library.export_records(sessionmaker)

    records = asyncio.run(go())
    try:
        count = tips_formats.write_path(records, path)
    except LibraryError as exc:
        raise CliError(_problems(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    typer.echo(f"tips: {count} written to {path}")


def _problems(exc: LibraryError) -> str:
    """All problems, one per line, so a facilitator can fix the file in one go."""
    return "the tips were not imported:\n  " + "\n  ".join(exc.problems)
