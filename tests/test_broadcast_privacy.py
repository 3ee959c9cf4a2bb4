"""UU PDP: a member's export lists the broadcasts they got; erasure removes that record."""

from __future__ import annotations

from sqlalchemy import func, select

import bot.services.broadcasts_privacy  # noqa: F401 - registers the sections, as handlers do
from bot.config import Settings
from bot.db import SessionMaker
from bot.playground.botapi import FakeBotApi
from bot.services import privacy
from models.broadcast import Broadcast, Delivery
from tests.support.broadcasts import FakeTime, broadcast, crowd, engine, facilitator
from tests.support.clock import Clock


async def test_export_and_erasure(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    [person] = await crowd(api, seeded, 1)
    sent = await broadcast(seeded, sender, clock, "Harga <b>kopi</b>")
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    await worker.close()
    exported = await privacy.export_member(seeded, person.id, clock())
    [received] = exported["broadcasts_received"]
    assert (received["broadcast"], received["status"], received["text"]) == (
        sent.id, "sent", "Harga kopi")
    assert (await privacy.export_member(seeded, sender.id, clock()))["broadcasts_sent"][0][
        "broadcast"] == sent.id
    assert await privacy.erase_member(seeded, person.id, clock())
    assert await privacy.erase_member(seeded, sender.id, clock())
    async with seeded() as session:
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 0
        kept = await session.get(Broadcast, sent.id)
    assert kept is not None and kept.sender_id is None and kept.total == 2
