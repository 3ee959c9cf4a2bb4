"""Telegram says no: 429 pauses everything, 5xx and network errors retry, 403/400 settle."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db import SessionMaker
from bot.jobs.broadcasts_app import engine_of
from bot.playground.botapi import FakeBotApi
from bot.services import members
from models import Status
from models.broadcast import Delivery, DeliveryStatus
from tests.support.broadcasts import (
    FakeTime,
    broadcast,
    crowd,
    engine,
    facilitator,
    reachable,
    received,
)
from tests.support.clock import Clock
from tests.support.harness import BotHarness
from tests.support.members import make_member


async def row_of(sessionmaker: SessionMaker, member_id: int) -> Delivery:
    async with sessionmaker() as session:
        found = await session.scalar(select(Delivery).where(Delivery.member_id == member_id))
        assert found is not None
        return found


async def test_429_pauses_all_sending_then_everyone_gets_it_once(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 12)
    await broadcast(seeded, sender, clock, "Pengumuman")
    time = FakeTime()
    stamps: list[float] = []
    api.subscribe(lambda event: stamps.append(time.now) if event["type"] == "message" else None)
    api.inject_fault(method="sendMessage", error_code=429, retry_after=7, times=1,
                     chat_id=people[5].chat_id)
    worker = engine(api, seeded, settings, clock, time, notices=False)
    await worker.drain()
    await worker.close()
    assert worker.stats["flood_waits"] == 1
    for person in [sender, *people]:
        assert len(received(api, person.chat_id or 0, "Pengumuman")) == 1
    gaps = [later - earlier for earlier, later in pairwise(stamps)]
    assert max(gaps) >= 7
    assert (await row_of(seeded, people[5].id)).attempts == 0


@pytest.mark.parametrize("fault", [
    {"error_code": 500},
    {"error_code": 502},  # nginx's HTML page, as Telegram's front answers
    {"error_code": 500, "disconnect": True},
])
async def test_server_and_network_errors_are_retried_with_backoff(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
    fault: dict[str, Any],
) -> None:
    sender = await facilitator(api, seeded)
    person = await reachable(api, seeded, 7001)
    await broadcast(seeded, sender, clock, "Coba lagi")
    api.inject_fault(method="sendMessage", times=2, chat_id=person.chat_id, **fault)
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    row = await row_of(seeded, person.id)
    assert (row.status, row.attempts) == (DeliveryStatus.QUEUED, 1)
    clock.advance(timedelta(seconds=1))
    await worker.drain()
    assert (await row_of(seeded, person.id)).attempts == 1  # the backoff is not over yet
    clock.advance(timedelta(seconds=1))
    await worker.drain()
    assert (await row_of(seeded, person.id)).attempts == 2
    clock.advance(timedelta(seconds=8))
    await worker.drain()
    await worker.close()
    row = await row_of(seeded, person.id)
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)
    assert len(received(api, person.chat_id or 0, "Coba lagi")) == 1


async def test_the_third_failure_is_final(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    person = await reachable(api, seeded, 7001)
    await broadcast(seeded, sender, clock)
    api.inject_fault(method="sendMessage", error_code=500, times=3, chat_id=person.chat_id)
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    for _ in range(3):
        await worker.drain()
        clock.advance(timedelta(minutes=1))
    await worker.drain()
    await worker.close()
    row = await row_of(seeded, person.id)
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 3)
    assert row.error == "Internal Server Error"
    assert received(api, person.chat_id or 0) == []


async def test_403_skips_and_marks_the_member_blocked(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    blocker, reader = await crowd(api, seeded, 2)
    api.user(blocker.chat_id or 0).chat_state.blocked = True
    await broadcast(seeded, sender, clock, "Halo")
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    await worker.close()
    row = await row_of(seeded, blocker.id)
    assert row.status == DeliveryStatus.SKIPPED
    assert row.error == "Forbidden: bot was blocked by the user"
    found = await members.get_member(seeded, blocker.id)
    assert found is not None and found.status == Status.BLOCKED
    assert (await row_of(seeded, reader.id)).status == DeliveryStatus.SENT


async def test_chat_not_found_fails_with_the_reason(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    ghost = await make_member(seeded, 424242, "Tanpa Obrolan")  # no chat on this Telegram
    await broadcast(seeded, sender, clock)
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    await worker.close()
    row = await row_of(seeded, ghost.id)
    assert (row.status, row.error) == (DeliveryStatus.FAILED, "Chat not found")
    assert row.attempts == 1


async def test_faults_end_to_end_in_the_running_bot(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    """The application's own engine: a 5xx retried after its backoff, a 403 skipped, and the
    sender's summary counting both right."""
    api = harness.api
    sender = await facilitator(api, seeded)
    flaky, blocker, reader = await crowd(api, seeded, 3)
    api.user(blocker.chat_id or 0).chat_state.blocked = True
    api.inject_fault(method="sendMessage", error_code=502, chat_id=flaky.chat_id)
    await broadcast(seeded, sender, clock, "Ujung ke ujung")
    engine = engine_of(harness.app)
    assert engine is not None
    engine.wake()
    await harness.wait_for(lambda: len(received(api, reader.chat_id or 0)) == 1)
    assert received(api, flaky.chat_id or 0) == []
    clock.advance(timedelta(seconds=3))
    engine.wake()
    await harness.wait_for(lambda: len(received(api, flaky.chat_id or 0)) == 1)
    await harness.wait_for(lambda: any(
        item.inline_buttons for item in received(api, sender.chat_id or 0, "Siaran #1 selesai")))
    summary = received(api, sender.chat_id or 0, "Siaran #1 selesai")[-1]
    assert "Terkirim: 3 · ⚠️ Gagal: 0 · ⏭ Dilewati: 1" in summary.text
