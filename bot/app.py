"""The one application factory, used by `berdaya run`, the playground, tests and benchmarks."""

from __future__ import annotations

import warnings
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest
from telegram.warnings import PTBUserWarning

import handlers
from bot.config import Settings
from bot.context import BerdayaContext
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.logsetup import mask_all_handlers
from bot.persistence import SqlPersistence
from bot.runtime import Runtime
from bot.updates import BerdayaApplication, PerChatUpdateProcessor
from handlers.commands import publish_commands

warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
"""Conversation state is per chat on purpose (a form's buttons and typed answers share one
state), so PTB's advice to track state per message does not apply; it would print on every start."""

PLACEHOLDER_TOKEN = "123456:PLAYGROUND-NO-TOKEN-NEEDED-000000"


def build_application(
    settings: Settings,
    *,
    base_url: str | None = None,
    request: BaseRequest | None = None,
    sessionmaker: SessionMaker | None = None,
    rate_limiter: bool = True,
    **runtime_options: Any,
) -> Application:  # type: ignore[type-arg]
    """Everything wired; the caller only decides how updates arrive (polling, webhook, tests).

    `base_url` (the fake Bot API's, for tests and the playground) wins over the configured one.
    Without a `sessionmaker` the engine is made from the settings and disposed at shutdown.
    """
    token = settings.telegram.token.get_secret_value() or PLACEHOLDER_TOKEN
    mask_all_handlers(token, settings.telegram.webhook.secret_token.get_secret_value())
    engine = None
    if sessionmaker is None:
        engine = create_engine(settings.database.url, echo=settings.database.echo)
        sessionmaker = create_sessionmaker(engine)
    runtime = Runtime(settings=settings, sessionmaker=sessionmaker, **runtime_options)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await publish_commands(application, handlers.COMMANDS)
        await handlers.start_jobs(application)

    async def post_shutdown(_application: Application) -> None:  # type: ignore[type-arg]
        if engine is not None:
            await engine.dispose()

    builder = (
        ApplicationBuilder()
        .application_class(BerdayaApplication)
        .token(token)
        .base_url(base_url or settings.telegram.base_url)
        .base_file_url(_file_url(base_url) if base_url else settings.telegram.base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.program.tz,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .context_types(ContextTypes(context=BerdayaContext, bot_data=lambda: runtime))
        .concurrent_updates(PerChatUpdateProcessor())
        .persistence(SqlPersistence(sessionmaker))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    builder = builder.request(request or HTTPXRequest(connection_pool_size=64))
    builder = builder.get_updates_request(HTTPXRequest(read_timeout=40))
    application = builder.build()
    handlers.register(application)
    return application


def _file_url(base_url: str) -> str:
    """`http://host/bot` → `http://host/file/bot`, the layout Telegram and the fake share."""
    head, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"
