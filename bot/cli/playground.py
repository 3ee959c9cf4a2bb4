"""`berdaya playground`: the whole bot with a local Telegram and a web chat, no token needed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import CliError, settings_of
from bot.playground.runner import DEFAULT_DATABASE, PortInUse, serve


def playground(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port of the web chat.")] = 8080,
    host: Annotated[str, typer.Option(help="Address to listen on (keep it local: the chat "
                                      "has no login).")] = "127.0.0.1",
    fresh: Annotated[bool, typer.Option(
        "--fresh", help=f"Start over: recreate ./{DEFAULT_DATABASE} with the demo data.",
    )] = False,
) -> None:
    """Try Berdaya in the browser: a local Telegram, the real bot and demo data.

    The playground keeps its own SQLite file, ./berdaya-playground.db, and never uses the
    configured database or token.
    """
    settings = settings_of(ctx)
    try:
        asyncio.run(serve(settings, host=host, port=port, database=Path(DEFAULT_DATABASE),
                          fresh=fresh, announce=typer.echo))
    except PortInUse as exc:
        raise CliError(str(exc)) from None
    except KeyboardInterrupt:
        pass
    typer.echo("Playground stopped. Sampai jumpa!")
