"""`berdaya` command line: run the bot, manage the database, admins and data files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bot import __version__
from bot.cli import (
    admin,
    audit,
    broadcasts,
    db,
    link,
    playground,
    prices,
    report,
    run,
    tips,
    trainings,
)
from bot.cli.common import CliError, State, fail
from bot.config import ConfigError
from bot.services.regions import RegionFileError
from bot.setup import DatabaseUnavailable

app = typer.Typer(
    name="berdaya", help="Berdaya: trainings, market prices and tips for Merangin's villagers.",
    no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(admin.app, name="admin")
app.add_typer(broadcasts.app, name="broadcasts")
app.add_typer(prices.app, name="prices")
app.add_typer(tips.app, name="tips")
app.add_typer(trainings.app, name="trainings")
app.command("run")(run.run)
app.command("link")(link.link)
app.command("playground")(playground.playground)
app.command("report")(report.report)
app.command("audit")(audit.audit)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"berdaya {__version__}")
        raise typer.Exit


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="TOML settings file (default: $BERDAYA_CONFIG, else ./config.toml)",
    )] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.",
    )] = False,
) -> None:
    """Settings come from the file, then BERDAYA_<SECTION>__<KEY> environment variables."""
    ctx.obj = State(config)


def main() -> None:
    """Every expected failure is one line on stderr and exit code 1, never a traceback."""
    try:
        app(standalone_mode=True)
    except (CliError, ConfigError, RegionFileError, DatabaseUnavailable) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        sys.exit(130)
