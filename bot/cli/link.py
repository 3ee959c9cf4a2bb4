"""`berdaya link`: the t.me link and a QR code for a poster in a desa.

Villagers scan the poster, press Start, and their desa (and the training on the poster) is
already filled in; the facilitator who put the poster up is credited with the registration.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import qrcode
import typer
from telegram import Bot
from telegram.error import TelegramError

from bot.cli.common import CliError, settings_of
from bot.config import Settings
from bot.services import deeplinks
from bot.setup import open_database


def link(
    ctx: typer.Context,
    desa: Annotated[str, typer.Option(help="Kemendagri code of the desa, e.g. 15.02.02.1010")],
    training: Annotated[int | None, typer.Option(
        help="Training id: after registering, the member is offered this training.")] = None,
    by: Annotated[str | None, typer.Option(
        metavar="FACILITATOR", help="Telegram user id of the facilitator putting up the poster.",
    )] = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write the QR code PNG (default: berdaya-<desa>.png).")] = None,
) -> None:
    """Print the t.me link for a poster and write its QR code as a PNG."""
    if by is not None and not by.isdigit():
        raise CliError(f"--by must be the facilitator's numeric Telegram user id, not {by!r}")
    if training is not None and training <= 0:
        raise CliError(f"--training must be a positive training id, not {training}")
    payload = deeplinks.LinkPayload(desa, training, int(by) if by else None)
    try:
        deeplinks.encode(payload)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    settings = settings_of(ctx)
    username = asyncio.run(_check(settings, payload))
    url = deeplinks.start_link(username, payload)
    target = out or Path(f"berdaya-{desa}.png")
    try:
        qrcode.make(url, border=2).save(target)
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc}") from None
    typer.echo(url)
    typer.echo(f"QR code written to {target}")


async def _check(settings: Settings, payload: deeplinks.LinkPayload) -> str:
    async with open_database(settings) as sessionmaker:
        problems = await deeplinks.check_targets(sessionmaker, payload)
    if problems:
        raise CliError("; ".join(problems))
    return settings.telegram.bot_username.removeprefix("@") or await _ask_telegram(settings)


async def _ask_telegram(settings: Settings) -> str:
    """The bot's @username from getMe, when the config does not name it."""
    token = settings.telegram.token.get_secret_value()
    if not token:
        raise CliError("set [telegram] bot_username in the config (or a token, so the name can "
                       "be asked from Telegram)")
    try:
        async with Bot(token, base_url=settings.telegram.base_url) as bot:
            return bot.username
    except TelegramError as exc:
        raise CliError(f"cannot ask Telegram for the bot's name: {exc}; set [telegram] "
                       "bot_username instead") from None
