"""`berdaya db …`: migrations and reference data."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import settings_of
from bot.services import regions
from bot.setup import open_database

app = typer.Typer(help="Database: migrations and reference data.", no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Apply every migration up to the newest."""
    settings = settings_of(ctx)

    async def go() -> None:
        async with open_database(settings):
            pass

    asyncio.run(go())
    typer.echo("database is up to date")


@app.command()
def seed(
    ctx: typer.Context,
    regions_file: Annotated[Path | None, typer.Option(
        "--regions", help="CSV with code,name,level,parent_code (default: Merangin, built in)",
    )] = None,
) -> None:
    """Load the region list; running it again changes nothing."""
    settings = settings_of(ctx)
    if regions_file is None:
        rows = regions.parse_regions(regions.default_region_text(), "built-in Merangin list")
    else:
        rows = regions.read_region_file(regions_file)

    async def go() -> regions.SeedResult:
        async with open_database(settings) as sessionmaker:
            return await regions.seed_regions(sessionmaker, rows)

    result = asyncio.run(go())
    typer.echo(f"regions: {result.added} added, {result.updated} updated, "
               f"{result.unchanged} unchanged")
