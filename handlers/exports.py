"""Reporting journey (issue 9): placeholder until its module lands."""

from __future__ import annotations

from telegram.ext import Application


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Nothing yet."""
