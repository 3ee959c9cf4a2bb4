"""Sender processes: a dead one's claimed rows are taken back; two live ones never share a row."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select
from telegram import Bot

from bot.app import PLACEHOLDER_TOKEN
from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import Translator
from bot.jobs import broadcasts_render as render
from bot.jobs.broadcasts_request import AiohttpRequest
from bot.playground.botapi import FakeBotApi
from bot.services import broadcasts_outbox as outbox
from bot.services.broadcasts_workers import WorkerLease
from models.broadcast import BroadcastWorker, Delivery, DeliveryStatus
from tests.support.broadcasts import FakeTime, broadcast, crowd, engine, facilitator, received
from tests.support.clock import Clock


async def statuses(sessionmaker: SessionMaker) -> Counter[str]:
    async with sessionmaker() as session:
        return Counter(dict((await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status))).all()))


async def test_rows_of_a_dead_sender_are_sent_by_the_next_one(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    """A sender dies holding claimed rows, one of them already sent but not yet recorded:
    the next sender sends everything; only that one message arrives twice."""
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 9)
    await broadcast(seeded, sender, clock, "Tetap sampai")
    dead = await WorkerLease.acquire(seeded, clock())
    await outbox.promote_due(seeded, clock())
    await outbox.prepare_batch(seeded, clock())
    claimed = await outbox.claim_sends(seeded, dead.id, clock(), 4)
    async with Bot(PLACEHOLDER_TOKEN, base_url=api.base_url, request=AiohttpRequest()) as bot:
        content = (await outbox.contents(seeded, {claimed[0].broadcast_id}))[
            claimed[0].broadcast_id]
        assert claimed[0].chat_id is not None
        await render.send(bot, claimed[0].chat_id, content, Translator("id", settings.program.tz))
    if dead._lock is not None:  # PostgreSQL: the process is gone, so is its connection
        await dead._lock.invalidate()
    assert (await statuses(seeded))[DeliveryStatus.SENDING] == 4

    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    await worker.close()
    assert await statuses(seeded) == Counter({DeliveryStatus.SENT: 10})
    copies = {p.chat_id: len(received(api, p.chat_id or 0, "Tetap sampai"))
              for p in [sender, *people]}
    assert copies.pop(claimed[0].chat_id) == 2
    assert set(copies.values()) == {1}
    async with seeded() as session:
        assert await session.scalar(select(func.count()).select_from(BroadcastWorker)) == 0


async def test_a_live_sender_keeps_its_rows(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock, backend: str,
) -> None:
    """Housekeeping of another sender leaves a live sender's claims alone."""
    sender = await facilitator(api, seeded)
    await crowd(api, seeded, 3)
    await broadcast(seeded, sender, clock)
    alive = await WorkerLease.acquire(seeded, clock())
    await outbox.promote_due(seeded, clock())
    await outbox.prepare_batch(seeded, clock())
    await outbox.claim_sends(seeded, alive.id, clock(), 2)
    other = await WorkerLease.acquire(seeded, clock())
    assert await other.reclaim(clock()) == 2
    assert (await statuses(seeded))[DeliveryStatus.SENDING] == 2
    await alive.release()
    await other.release()
    assert (await statuses(seeded))[DeliveryStatus.QUEUED] == 4


async def test_two_senders_never_send_the_same_delivery(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock, backend: str,
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite supports one sender process; several need PostgreSQL's "
                    "FOR UPDATE SKIP LOCKED")
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 299)
    await broadcast(seeded, sender, clock, "Dua pengirim")
    first = engine(api, seeded, settings, clock, FakeTime(), rate=None, notices=False)
    second = engine(api, seeded, settings, clock, FakeTime(), rate=None, notices=False)
    first.batch = second.batch = 20  # small batches: many claims racing each other
    await first.start()
    await second.start()
    await outbox.promote_due(seeded, clock())
    await outbox.prepare_batch(seeded, clock())
    await asyncio.gather(first.drain(), second.drain())
    await asyncio.gather(first.close(), second.close())
    assert first.stats["sent"] > 0 and second.stats["sent"] > 0
    assert first.stats["sent"] + second.stats["sent"] == 300
    assert all(len(received(api, p.chat_id or 0, "Dua pengirim")) == 1
               for p in [sender, *people])
    assert await statuses(seeded) == Counter({DeliveryStatus.SENT: 300})
