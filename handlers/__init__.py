"""Telegram handlers, one module per user journey; `register` wires them in a fixed order."""

from __future__ import annotations

from telegram.ext import Application

from bot.updates import name_handlers
from handlers import errors, identity, menu


def register(application: Application) -> None:  # type: ignore[type-arg]
    identity.register(application)
    menu.register(application)
    application.add_error_handler(errors.on_error)
    name_handlers(application)
