"""Placeholder: this journey is being built (see its issue)."""

from __future__ import annotations

from telegram.ext import Application


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Adds this journey's handlers."""
