"""[Ralat] edits every delivered copy, [Tarik] deletes them; both through the same engine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db import SessionMaker
from bot.playground.botapi import FakeBotApi
from bot.services import broadcasts
from bot.services.broadcasts import BroadcastRefused, Problem
from models import Role
from models.broadcast import Broadcast, Delivery
from tests.support.broadcasts import FakeTime, broadcast, crowd, engine, facilitator, received
from tests.support.clock import Clock

PHOTO = "https://merangin.go.id/poster.jpg"


async def test_correction_edits_every_delivered_copy(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 3)
    sent = await broadcast(seeded, sender, clock, "Harga karet Rp12.000")
    worker = engine(api, seeded, settings, clock, FakeTime())
    await worker.drain()
    await broadcasts.correct_broadcast(seeded, sent.id, member_id=sender.id,
                                       text="Harga karet <b>Rp13.000</b>", now=clock())
    await worker.drain()
    await worker.close()
    for person in people:
        [copy] = received(api, person.chat_id or 0)
        assert copy.edited and copy.html == "Harga karet <b>Rp13.000</b>"
    async with seeded() as session:
        rows = list(await session.scalars(select(Delivery)))
        stored = await session.get(Broadcast, sent.id)
    assert {(r.revision, r.fix_error) for r in rows} == {(2, None)}
    assert stored is not None and stored.fixed_revision == 2
    assert received(api, sender.chat_id or 0, "Ralat siaran #1 sudah diterapkan pada 4 pesan")
    edits = [c for c in api.find_calls("editMessageText", ok=True)
             if "Rp13.000" in c.params["text"]]
    assert len(edits) == 4


async def test_a_photo_gets_its_caption_corrected(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    [person] = await crowd(api, seeded, 1)
    sent = await broadcast(seeded, sender, clock, "Poster pelatihan", photo=PHOTO)
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    [copy] = received(api, person.chat_id or 0)
    assert copy.photo and copy.caption == "Poster pelatihan"
    await broadcasts.correct_broadcast(seeded, sent.id, member_id=sender.id,
                                       text="Poster pelatihan (jam 09.00)", now=clock())
    await worker.drain()
    await worker.close()
    [copy] = received(api, person.chat_id or 0)
    assert copy.edited and copy.caption == "Poster pelatihan (jam 09.00)"


async def test_withdrawal_deletes_every_copy(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 3)
    sent = await broadcast(seeded, sender, clock, "Salah kirim")
    worker = engine(api, seeded, settings, clock, FakeTime())
    await worker.drain()
    await broadcasts.withdraw_broadcast(seeded, sent.id, member_id=sender.id, now=clock())
    await worker.drain()
    await worker.close()
    assert all(received(api, p.chat_id or 0, "Salah kirim") == [] for p in people)
    assert received(api, sender.chat_id or 0, "sudah dihapus dari 4 obrolan")


async def test_a_copy_that_cannot_be_edited_is_reported(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    cleared, reader = await crowd(api, seeded, 2)
    sent = await broadcast(seeded, sender, clock, "Versi satu")
    worker = engine(api, seeded, settings, clock, FakeTime())
    await worker.drain()
    api.inject_fault(method="editMessageText", error_code=400, chat_id=cleared.chat_id,
                     description="Bad Request: message to edit not found")
    await broadcasts.correct_broadcast(seeded, sent.id, member_id=sender.id, text="Versi dua",
                                       now=clock())
    await worker.drain()
    await worker.close()
    summary = await broadcasts.summary(seeded, sent.id)
    assert summary is not None
    assert (summary.fixes_pending, summary.fixes_failed) == (0, 1)
    [copy] = received(api, reader.chat_id or 0)
    assert copy.text == "Versi dua"
    notice = received(api, sender.chat_id or 0, "sudah diterapkan pada 2 pesan")
    assert notice and "Tidak bisa untuk 1" in notice[-1].text


async def test_only_the_sender_or_an_admin_may_correct(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    other = await facilitator(api, seeded, 901)
    admin = await facilitator(api, seeded, 902, role=Role.ADMIN)
    sent = await broadcast(seeded, sender, clock)
    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.correct_broadcast(seeded, sent.id, member_id=other.id, text="x",
                                           now=clock())
    assert refused.value.problem == Problem.NOT_ALLOWED
    fixed = await broadcasts.correct_broadcast(seeded, sent.id, member_id=admin.id,
                                               text="Benar", now=clock())
    assert fixed.revision == 2


async def test_withdrawing_after_48_hours_is_refused(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    sender = await facilitator(api, seeded)
    await crowd(api, seeded, 1)
    sent = await broadcast(seeded, sender, clock)
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    await worker.close()
    clock.advance(timedelta(hours=49))
    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.withdraw_broadcast(seeded, sent.id, member_id=sender.id, now=clock())
    assert refused.value.problem == Problem.TOO_OLD
