"""The playground's reporting demo: a programme with history, so /statistik has a story to tell."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.db import SessionMaker
from bot.playground import demo_statistics
from bot.services.scope import EVERYTHING
from bot.services.statistics import programme_statistics
from tests.support.clock import START

WIB = ZoneInfo("Asia/Jakarta")


async def test_demo_statistics(seeded: SessionMaker) -> None:
    await demo_statistics.load(seeded, START)
    await demo_statistics.load(seeded, START)  # a second load adds nothing
    stats = await programme_statistics(seeded, EVERYTHING, None, now=START, tz=WIB)
    members = stats.members
    assert members.registered == demo_statistics.MEMBERS
    assert 180 < members.active < demo_statistics.MEMBERS
    assert len(members.areas) >= 20 and members.areas[0].name == "Bangko"
    growth = [point.members for point in members.growth]
    assert growth == sorted(growth) and growth[0] < growth[-1] == demo_statistics.MEMBERS
    assert stats.trainings.held == len(demo_statistics.HELD)
    assert 0 < stats.trainings.attended < stats.trainings.enrolled
    assert 3 * stats.trainings.ratings < stats.trainings.rating_total <= 5 * stats.trainings.ratings
