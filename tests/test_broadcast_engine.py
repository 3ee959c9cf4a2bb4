"""The delivery engine against the local Bot API: once to everyone, paced, reported."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db import SessionMaker
from bot.playground.botapi import FakeBotApi
from bot.services import broadcasts
from models import Status
from models.broadcast import Broadcast, BroadcastStatus, Delivery, DeliveryStatus
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


async def deliveries(sessionmaker: SessionMaker, broadcast_id: int) -> list[Delivery]:
    async with sessionmaker() as session:
        return list(await session.scalars(
            select(Delivery).where(Delivery.broadcast_id == broadcast_id).order_by(Delivery.id)))


async def stored(sessionmaker: SessionMaker, broadcast_id: int) -> Broadcast:
    async with sessionmaker() as session:
        found = await session.get(Broadcast, broadcast_id)
        assert found is not None
        return found


async def test_every_member_gets_it_once_and_the_sender_a_summary(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 6)
    sent = await broadcast(seeded, sender, clock, "Harga <b>kopi</b> naik")
    worker = engine(api, seeded, settings, clock, FakeTime())
    await worker.drain()
    await worker.close()
    for person in people:
        copies = received(api, person.chat_id or 0, "Harga kopi naik")
        assert len(copies) == 1
        assert copies[0].html == "Harga <b>kopi</b> naik"
    rows = await deliveries(seeded, sent.id)
    assert [r.status for r in rows] == [DeliveryStatus.SENT] * 7  # the sender is a member too
    assert all(r.message_id and r.sent_at and r.revision == 1 for r in rows)
    done = await stored(seeded, sent.id)
    assert done.status == BroadcastStatus.DONE and done.total == 7
    summary = received(api, sender.chat_id or 0, "selesai")
    assert summary and "Terkirim: 7" in summary[-1].text


async def test_paced_at_the_configured_rate(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    await crowd(api, seeded, 39)
    await broadcast(seeded, sender, clock)
    time = FakeTime()
    worker = engine(api, seeded, settings, clock, time, rate=20, notices=False)
    await worker.drain()
    await worker.close()
    assert worker.stats["sent"] == 40
    assert time.slept == pytest.approx(39 / 20, abs=0.01)


async def test_a_member_who_stopped_is_skipped(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    stays, leaves = await crowd(api, seeded, 2)
    sent = await broadcast(seeded, sender, clock)
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    assert await worker_prepares(worker)
    from bot.services import members

    await members.set_status(seeded, leaves.id, Status.STOPPED)
    await worker.drain()
    await worker.close()
    by_member = {r.member_id: r for r in await deliveries(seeded, sent.id)}
    assert by_member[stays.id].status == DeliveryStatus.SENT
    assert by_member[leaves.id].status == DeliveryStatus.SKIPPED
    assert by_member[leaves.id].error == "member stopped"
    assert received(api, leaves.chat_id or 0) == []


async def worker_prepares(worker) -> bool:  # type: ignore[no-untyped-def]
    """Writes the rows without sending (the job's first steps)."""
    from bot.services import broadcasts_outbox as outbox

    await worker.start()
    now = worker.clock()
    await outbox.promote_due(worker.sessionmaker, now)
    return bool(await outbox.prepare_batch(worker.sessionmaker, now))


async def test_scheduled_broadcast_waits_for_its_time(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    person = await reachable(api, seeded, 7001)
    later = clock() + timedelta(hours=2)
    sent = await broadcast(seeded, sender, clock, "Nanti siang", scheduled_at=later)
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    assert received(api, person.chat_id or 0) == []
    assert (await stored(seeded, sent.id)).status == BroadcastStatus.SCHEDULED
    clock.advance(timedelta(hours=2))
    await worker.drain()
    await worker.close()
    assert len(received(api, person.chat_id or 0, "Nanti siang")) == 1


async def test_cancel_before_sending_sends_nothing(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 3)
    sent = await broadcast(seeded, sender, clock)
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    assert await worker_prepares(worker)
    await broadcasts.cancel_broadcast(seeded, sent.id, member_id=sender.id, now=clock())
    await worker.drain()
    await worker.close()
    assert all(received(api, p.chat_id or 0) == [] for p in people)
    assert {r.status for r in await deliveries(seeded, sent.id)} == {DeliveryStatus.CANCELLED}
    assert (await stored(seeded, sent.id)).finished_at is not None
