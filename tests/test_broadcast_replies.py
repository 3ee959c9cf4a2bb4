"""A member chatting with the bot is answered at once, even while a broadcast waits out a 429."""

from __future__ import annotations

import time

from bot.db import SessionMaker
from bot.jobs.broadcasts_app import engine_of
from tests.support.broadcasts import broadcast, crowd, facilitator, reachable, received
from tests.support.clock import Clock
from tests.support.harness import BotHarness


async def test_replies_do_not_wait_behind_a_paused_broadcast(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    api = harness.api
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 5)
    await reachable(api, seeded, 4242, "Pak Tani")
    api.inject_fault(method="sendMessage", error_code=429, retry_after=60,
                     chat_id=people[0].chat_id)
    await broadcast(seeded, sender, clock, "Tertahan")
    engine = engine_of(harness.app)
    assert engine is not None
    engine.wake()
    await harness.wait_for(lambda: engine.stats["flood_waits"] == 1)
    chatting = harness.user(4242)
    started = time.monotonic()
    await chatting.send("/bantuan")
    assert time.monotonic() - started < 5
    assert "Berdaya" in chatting.text
    assert all(received(api, p.chat_id or 0, "Tertahan") == [] for p in people[1:])
