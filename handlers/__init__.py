"""Telegram handlers, one module per user journey; `register` wires them in a fixed order."""

from __future__ import annotations

from telegram.ext import Application

from bot.updates import name_handlers
from handlers import (
    audit,
    broadcasts,
    errors,
    exports,
    identity,
    menu,
    prices,
    registration,
    statistics,
    tips,
    trainings,
)
from handlers.commands import Command

JOURNEYS = [identity, registration, trainings, prices, tips, broadcasts, statistics, exports,
            audit, menu]
"""Registration order is priority order: earlier journeys see an update first."""

COMMANDS: list[Command] = [c for journey in JOURNEYS for c in getattr(journey, "COMMANDS", ())]


async def start_jobs(application: Application) -> None:  # type: ignore[type-arg]
    """Jobs are re-created from the tables at start-up: each journey schedules its own."""
    for journey in JOURNEYS:
        starter = getattr(journey, "start_jobs", None)
        if starter is not None:
            await starter(application)


def register(application: Application) -> None:  # type: ignore[type-arg]
    for journey in JOURNEYS:
        journey.register(application)
    application.add_error_handler(errors.on_error)
    name_handlers(application)
