"""`berdaya run`: the production bot, by long polling or behind a webhook."""

from __future__ import annotations

import asyncio

import typer
from telegram import Update

from bot.app import build_application
from bot.cli.common import CliError, settings_of
from bot.setup import prepare_database

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
    application = build_application(settings)
    if settings.telegram.mode == "webhook":
        application.run_webhook(
            listen=webhook.listen, port=webhook.port, url_path=webhook.path,
            webhook_url=f"{webhook.public_url.rstrip('/')}/{webhook.path}",
            secret_token=webhook.secret_token.get_secret_value() or None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
