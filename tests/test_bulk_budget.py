"""Broadcasts, training reminders and weekly tips share one send budget per bot process."""

from __future__ import annotations

import asyncio
from itertools import pairwise

from bot.jobs.broadcasts_app import engine_of
from bot.jobs.broadcasts_pacer import Pacer, Slots
from bot.jobs.bulk import bulk_pacer, bulk_slots
from tests.support.harness import BotHarness


async def test_pacers_on_one_schedule_keep_the_rate_together() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0)

    shared = Slots.at_rate(10)
    reminders = Pacer(slots=shared, monotonic=lambda: now[0], sleep=sleep)
    tips = Pacer(slots=shared, monotonic=lambda: now[0], sleep=sleep)
    released: list[float] = []

    async def send(pacer: Pacer, chat_id: int) -> None:
        await pacer.wait(chat_id)
        released.append(now[0])

    await asyncio.gather(*(send(reminders, chat) for chat in range(10)),
                         *(send(tips, chat) for chat in range(100, 110)))
    released.sort()
    assert len(released) == 20
    assert all(b - a >= 0.1 - 1e-9 for a, b in pairwise(released))
    tips.pause(5)  # a 429 seen by one sender holds back the others too
    await reminders.wait(200)
    assert now[0] >= released[-1] + 5


async def test_the_running_bot_gives_every_bulk_sender_the_same_schedule(
        harness: BotHarness) -> None:
    engine = engine_of(harness.app)
    assert engine is not None
    slots = bulk_slots(harness.app)
    assert engine.pacer.slots is slots and bulk_pacer(harness.app).slots is slots
    assert engine.pacer.rate == harness.settings.broadcast.messages_per_second
    await harness.restart()
    assert bulk_slots(harness.app) is not slots  # a new process, a new budget
