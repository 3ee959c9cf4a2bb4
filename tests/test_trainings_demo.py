"""The playground's demo trainings: plausible, varied, some full, counters consistent."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.playground import demo_trainings
from bot.services import trainings
from models.training import HOLDS_SEAT, Enrollment, Training
from tests.support.clock import START
from tests.support.trainings import BANGKO


async def test_demo_trainings(seeded: SessionMaker) -> None:
    await demo_trainings.load(seeded, START)
    await demo_trainings.load(seeded, START)  # a second load adds nothing
    page = await trainings.browse(seeded, START, page_size=100)
    assert page.total == len(demo_trainings.DEMOS) >= 12
    views = page.items
    assert len({v.training.kecamatan_code for v in views}) >= 10
    assert {v.training.organizer_kind for v in views} == {"pemda", "lsm", "swasta"}
    assert len({v.training.category for v in views}) >= 8
    full = [v.training.title for v in views if v.training.seats_left == 0]
    assert len(full) == 2
    assert any(v.training.seats_left > 0 for v in views)
    assert any(v.training.kecamatan_code == BANGKO and v.training.seats_left == 0 for v in views)
    async with seeded() as session:
        for training in await session.scalars(select(Training)):
            holders = await session.scalar(select(func.count()).select_from(Enrollment).where(
                Enrollment.training_id == training.id, Enrollment.status.in_(HOLDS_SEAT)))
            assert training.seats_taken == holders
