"""The delivery engine of this bot process, made from the Application and found again by the
handlers that store something new to send (so it looks at once instead of at its next poll)."""

from __future__ import annotations

import weakref

from telegram import Bot
from telegram.ext import Application

from bot.jobs import broadcasts as engine_job
from bot.jobs import broadcasts_progress as progress
from bot.jobs.broadcasts_request import AiohttpRequest
from bot.jobs.bulk import bulk_slots
from bot.runtime import Runtime

_engines: weakref.WeakKeyDictionary[Application, engine_job.DeliveryEngine] = (  # type: ignore[type-arg]
    weakref.WeakKeyDictionary())


def engine_for(application: Application) -> engine_job.DeliveryEngine:  # type: ignore[type-arg]
    """The engine of this bot process, made once: its own Bot on the same Bot API address."""
    engine = _engines.get(application)
    if engine is not None:
        return engine
    runtime: Runtime = application.bot_data
    app_bot = application.bot
    bot = Bot(app_bot.token, base_url=lambda _token: app_bot.base_url,
              base_file_url=lambda _token: app_bot.base_file_url,
              request=AiohttpRequest(connections=64))
    engine = engine_job.DeliveryEngine(
        runtime.sessionmaker, bot, settings=runtime.settings.broadcast, tz=runtime.tz,
        clock=runtime.now, translator=runtime.translator,
        notices=progress.SenderNotices(app_bot, runtime.sessionmaker, runtime.translator),
        rate=runtime.settings.broadcast.messages_per_second, owns_bot=True,
        slots=bulk_slots(application),
    )
    _engines[application] = engine
    return engine


def engine_of(application: Application) -> engine_job.DeliveryEngine | None:  # type: ignore[type-arg]
    return _engines.get(application)


def wake_engine(application: Application) -> None:  # type: ignore[type-arg]
    """After storing something to send: the engine of this process looks at once."""
    engine = _engines.get(application)
    if engine is not None:
        engine.wake()
