"""`berdaya run`: the production bot, by long polling or behind a webhook."""

from __future__ import annotations

import asyncio
import logging

import typer
from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.app import build_application
from bot.cli.common import CliError, settings_of
from bot.config import Settings
from bot.setup import prepare_database

log = logging.getLogger(__name__)

NO_TOKEN = (
    "no bot token configured. Create a bot with @BotFather in Telegram, then put the token in "
    "config.toml ([telegram] token = \"…\") or BERDAYA_TELEGRAM__TOKEN. "
    "To try Berdaya without a token, run: berdaya playground"
)


def run(ctx: typer.Context) -> None:
    """Migrate the database, then serve Telegram until Ctrl-C."""
    settings = settings_of(ctx)
    if not settings.telegram.token.get_secret_value():
        raise CliError(NO_TOKEN)
    webhook = settings.telegram.webhook
    if settings.telegram.mode == "webhook" and not webhook.public_url:
        raise CliError("webhook mode needs [telegram.webhook] public_url (the https address "
                       "Telegram can reach, e.g. https://bot.example.org)")
    asyncio.run(prepare_database(settings))
    username = asyncio.run(_check_telegram(settings))
    log.info("connected to Telegram as @%s", username)
    _serve(build_application(settings), settings)


async def _check_telegram(settings: Settings) -> str:
    """Fail in one line before PTB's start-up, whose own failure path logs whole tracebacks."""
    bot = Bot(settings.telegram.token.get_secret_value(), base_url=settings.telegram.base_url)
    try:
        async with bot:
            return bot.username
    except InvalidToken:
        raise CliError("Telegram rejected the bot token: copy it again from @BotFather") from None
    except NetworkError as exc:
        raise CliError(f"cannot reach Telegram at {settings.telegram.base_url}: {exc}") from None


def _serve(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    webhook = settings.telegram.webhook
    if settings.telegram.mode == "webhook":
        application.run_webhook(
            listen=webhook.listen, port=webhook.port, url_path=webhook.path,
            webhook_url=f"{webhook.public_url.rstrip('/')}/{webhook.path}",
            secret_token=webhook.secret_token.get_secret_value() or None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
