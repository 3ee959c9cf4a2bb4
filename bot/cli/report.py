"""`berdaya report`: placeholder until issue 9's module lands."""

from __future__ import annotations

import typer

from bot.cli.common import CliError


def report(ctx: typer.Context) -> None:
    """Write the programme report workbook."""
    raise CliError("not built yet")
