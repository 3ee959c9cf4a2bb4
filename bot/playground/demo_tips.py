"""Playground demo data for tips: the shipped library, so a newcomer browses real advice."""

from __future__ import annotations

from datetime import datetime

from bot.db import SessionMaker
from bot.services import tips_library


async def load(sessionmaker: SessionMaker, now: datetime) -> None:
    """Imports the shipped tips (adds new ones, updates changed ones; safe to run again)."""
    await tips_library.import_records(sessionmaker, list(tips_library.shipped_records()), now)
