"""`berdaya broadcasts report ID`: who got a broadcast, who did not, and why, as CSV."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from bot.cli.common import CliError, settings_of
from bot.config import Settings
from bot.services.broadcasts_report import UnknownBroadcast, write_report
from bot.setup import open_database

app = typer.Typer(help="Broadcasts: per-recipient reports.", no_args_is_help=True)


@app.command()
def report(
    ctx: typer.Context,
    broadcast_id: Annotated[str, typer.Argument(
        metavar="ID", help="The broadcast's number, as /siaran_riwayat shows it (#12 → 12).")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="CSV file to write (default: siaran-ID.csv; '-' = standard "
        "output)")] = None,
) -> None:
    """One row per recipient: status, Telegram's reason when it failed, times, corrections."""
    number = broadcast_id.lstrip("#")
    if not number.isdigit():
        raise CliError(f"ID must be a broadcast number such as 12, not {broadcast_id!r}")
    settings = settings_of(ctx)
    target = output or Path(f"siaran-{number}.csv")
    if str(target) == "-":
        _write(settings, int(number), sys.stdout)
        return
    try:
        out = target.open("w", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with out:
            count = _write(settings, int(number), out)
    except CliError:
        target.unlink(missing_ok=True)
        raise
    typer.echo(f"{target}: {count} recipient(s)")


def _write(settings: Settings, broadcast_id: int, out: TextIO) -> int:
    async def go() -> int:
        async with open_database(settings) as sessionmaker:
            return await write_report(sessionmaker, broadcast_id, out, settings.program.tz)

    try:
        return asyncio.run(go())
    except UnknownBroadcast:
        raise CliError(f"there is no broadcast {broadcast_id}") from None
