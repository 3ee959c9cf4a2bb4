"""`berdaya audit`: placeholder until issue 9's module lands."""

from __future__ import annotations

import typer

from bot.cli.common import CliError


def audit(ctx: typer.Context) -> None:
    """Print the audit trail."""
    raise CliError("not built yet")
