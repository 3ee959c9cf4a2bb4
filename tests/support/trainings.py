"""Test data for the trainings journey: a valid draft to vary, and published trainings."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.db import SessionMaker
from bot.services import trainings
from bot.services import trainings_rules as rules
from models.training import Training
from tests.support.clock import START

WIB = ZoneInfo("Asia/Jakarta")
KUNGKAI = "15.02.02.2004"  # a desa in kecamatan Bangko
BANGKO = "15.02.02"
TIARO = "15.02.03.2013"  # a desa in kecamatan Muara Siau
MUARA_SIAU = "15.02.03"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A WIB wall-clock moment in 2026 (the test clock starts on Monday 2 March)."""
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def draft(**changes: Any) -> rules.TrainingDraft:
    """Thursday 5 March 2026, 09.00–12.00 WIB in Kungkai, 20 seats."""
    base = rules.TrainingDraft(
        title="Menjahit Pakaian Dasar", category="menjahit", desa_code=KUNGKAI,
        venue="Balai Desa Kungkai", starts_at=at(5, 9), ends_at=at(5, 12), capacity=20,
        organizer="Dinas Koperasi dan UKM Merangin", organizer_kind="pemda",
        description="Belajar menjahit dengan mesin jahit untuk pemula.",
        target_groups=("perempuan",), accessibility="Ruangan di lantai dasar, tanpa tangga.",
    )
    return replace(base, **changes)


async def make_training(sessionmaker: SessionMaker, now: datetime = START,
                        created_by: int | None = None, **changes: Any) -> Training:
    return await trainings.create_training(sessionmaker, draft(**changes), now, created_by)


def later(hours: float) -> datetime:
    return START + timedelta(hours=hours)
