"""The audit trail at the services: every staff action leaves one row, a refused one none."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from bot.db import SessionMaker
from bot.services import audit, broadcasts, prices, privacy, tips_manage, trainings, trainings_io
from bot.services import trainings_attendance as attendance
from bot.services import trainings_enroll as enroll
from bot.services.audit import Entry
from bot.services.broadcasts import BroadcastRefused
from bot.services.broadcasts_audience import Audience
from bot.services.price_import import apply_import, plan_import
from bot.services.prices_report import pending_reports, record_price, report_offer, review
from bot.services.trainings import TrainingGone, TrainingStale
from bot.services.trainings_rules import TrainingRejected
from models import Member, Role
from tests.support.clock import START, Clock
from tests.support.members import make_member
from tests.support.prices import TODAY
from tests.support.trainings import BANGKO, KUNGKAI, WIB, at, draft, make_training

NAME, PHONE = "Bu Rina Marlina", "+6281298765432"


async def trail(sessionmaker: SessionMaker) -> list[Entry]:
    """Oldest first, as things happened."""
    return list(reversed(await audit.entries(sessionmaker)))


def brief(entries: list[Entry]) -> list[tuple[str, int | None, str, str | None]]:
    return [(e.action, e.actor_id, e.actor_role, e.subject) for e in entries]


def private_free(entries: list[Entry], *words: str) -> bool:
    text = json.dumps([e.details for e in entries], ensure_ascii=False)
    return not any(word in text for word in (NAME, PHONE, *words))


async def rina(sessionmaker: SessionMaker) -> Member:
    return await make_member(sessionmaker, 900, NAME, role=Role.FACILITATOR, phone=PHONE)


async def test_a_training_created_changed_and_cancelled(seeded: SessionMaker) -> None:
    owner = await rina(seeded)
    training = await make_training(seeded, created_by=owner.id)
    moved = draft(title="Menjahit Tas Rahasia", starts_at=at(6, 13), ends_at=at(6, 16))
    await trainings.update_training(seeded, training.id, moved, START, actor=owner,
                                    expected_version=1, tz=WIB)
    await trainings.update_training(seeded, training.id, moved, START, actor=owner,
                                    expected_version=2, tz=WIB)  # nothing changed: no row
    change = await trainings.cancel_training(seeded, training.id, START, actor=owner,
                                             expected_version=2)
    entries = await trail(seeded)
    subject = f"training:{training.id}"
    assert brief(entries) == [
        ("training.created", owner.id, "facilitator", subject),
        ("training.changed", owner.id, "facilitator", subject),
        ("training.cancelled", owner.id, "facilitator", subject),
    ]
    created, changed, cancelled = (e.details for e in entries)
    assert created == {"desa": KUNGKAI, "starts_at": "2026-03-05T02:00:00+00:00", "capacity": 20}
    assert changed == {"fields": ["title", "starts_at", "ends_at"],
                       "starts_at": ["2026-03-05T02:00:00+00:00", "2026-03-06T06:00:00+00:00"],
                       "ends_at": ["2026-03-05T05:00:00+00:00", "2026-03-06T09:00:00+00:00"]}
    assert cancelled == {"told": change.told}
    assert all(e.at == START for e in entries)
    assert private_free(entries, "Rahasia", "Menjahit")


async def test_refused_actions_leave_no_row(seeded: SessionMaker, clock: Clock) -> None:
    owner = await rina(seeded)
    other = await make_member(seeded, 901, "Pak Lain", role=Role.FACILITATOR)
    member = await make_member(seeded, 1001)
    with pytest.raises(TrainingRejected):  # a start in the past
        await trainings.create_training(seeded, draft(starts_at=at(1, 9), ends_at=at(1, 12)),
                                        START, owner.id)
    assert await trail(seeded) == []
    training = await make_training(seeded, created_by=owner.id)
    with pytest.raises(TrainingGone):
        await trainings.cancel_training(seeded, training.id, START, actor=other,
                                        expected_version=1)
    with pytest.raises(TrainingStale):
        await trainings.update_training(seeded, training.id, draft(capacity=30), START,
                                        actor=owner, expected_version=7, tz=WIB)
    with pytest.raises(TrainingRejected):
        await trainings.update_training(seeded, training.id, draft(capacity=0), START,
                                        actor=owner, expected_version=1, tz=WIB)
    with pytest.raises(BroadcastRefused):  # members do not broadcast
        await broadcasts.create_broadcast(seeded, sender_member_id=member.id, text="Halo",
                                          audience=Audience(), now=clock())
    with pytest.raises(BroadcastRefused):  # a facilitator limited to Bangko, asking for more
        async with seeded() as session, session.begin():
            (await session.get_one(Member, owner.id)).scope_kecamatan = BANGKO
        await broadcasts.create_broadcast(seeded, sender_member_id=owner.id, text="Halo",
                                          audience=Audience(kecamatan=("15.02.03",)),
                                          now=clock())
    assert [e.action for e in await trail(seeded)] == ["training.created"]


async def test_attendance_ticks_and_the_code_by_staff_only(seeded: SessionMaker) -> None:
    owner = await rina(seeded)
    training = await make_training(seeded, created_by=owner.id)
    member = await make_member(seeded, 1001)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    now = at(5, 9)
    assert await attendance.toggle(seeded, training.id, member.id, owner, now) is True
    assert await attendance.toggle(seeded, training.id, member.id, owner, now) is False
    code = await attendance.code_for(seeded, training.id, owner, now)
    assert await attendance.code_for(seeded, training.id, owner, now) == code
    result = await attendance.check_in(seeded, member.id, code, now)  # the member's own: no row
    assert result.outcome == attendance.CheckIn.PRESENT
    entries = (await trail(seeded))[1:]
    subject = f"training:{training.id}"
    assert brief(entries) == [
        ("attendance.marked", owner.id, "facilitator", subject),
        ("attendance.marked", owner.id, "facilitator", subject),
        ("attendance.code_opened", owner.id, "facilitator", subject),
    ]
    assert [e.details for e in entries] == [{"member": member.id, "present": True},
                                            {"member": member.id, "present": False}, {}]
    assert private_free(entries, code)


async def test_a_training_import_is_one_row_by_the_command_line(seeded: SessionMaker,
                                                                tmp_path: Path) -> None:
    row = ("{title},menjahit,Belajar,{desa},Balai Desa,,,2026-03-12 09:00,2026-03-12 12:00,20,"
           ",Dinas Koperasi,pemda,")
    path = tmp_path / "jadwal.csv"
    path.write_text("\n".join([",".join(trainings_io.COLUMNS),
                               row.format(title="Menjahit", desa=KUNGKAI),
                               row.format(title="Kopi", desa=KUNGKAI)]) + "\n")
    result = await trainings_io.import_records(seeded, trainings_io.read_records(path),
                                               str(path), START, WIB)
    first = result.first_id or 0
    (entry,) = await trail(seeded)
    assert brief([entry]) == [("training.imported", None, "cli", None)]
    assert entry.details == {"file": "jadwal.csv", "count": 2, "ids": [first, first + 1]}


async def test_prices_reported_replaced_and_reviewed(seeded: SessionMaker) -> None:
    owner = await rina(seeded)
    catalogue = await prices.load_catalogue(seeded)
    rubber, farm = catalogue.by_code("karet"), catalogue.farm_gate(BANGKO)
    assert rubber is not None and farm is not None
    key = {"commodity_id": rubber.id, "place_id": farm.id, "level": "produsen", "quality": "",
           "observed_on": TODAY, "reported_by": owner.id, "now": START}
    first = await record_price(seeded, value=Decimal(14000), **key)  # type: ignore[arg-type]
    await record_price(seeded, value=Decimal("14200.50"), **key)  # type: ignore[arg-type]
    for index, value in enumerate((14000, 14100, 13900, 45000)):
        farmer = await make_member(seeded, 1001 + index, f"Petani {index}")
        await report_offer(seeded, commodity_id=rubber.id, quality="", value=Decimal(value),
                           place=farm, member_id=farmer.id, today=TODAY, now=START)
    entries = await trail(seeded)
    assert [e.action for e in entries] == ["price.reported", "price.overridden"]
    (held,) = [report.price for report in await pending_reports(seeded)]
    assert await review(seeded, held.id, approve=False, reviewer_id=owner.id, now=START)
    assert await review(seeded, held.id, approve=True, reviewer_id=owner.id, now=START) is None
    entries = await trail(seeded)
    price = f"price:{first.price.id}"
    assert brief(entries) == [
        ("price.reported", owner.id, "facilitator", price),
        ("price.overridden", owner.id, "facilitator", price),
        ("price.reviewed", owner.id, "facilitator", f"price:{held.id}"),
    ]
    where = {"commodity": rubber.id, "place": f"kebun-{BANGKO}", "level": "produsen",
             "quality": "", "observed_on": "2026-03-02"}
    assert entries[0].details == {**where, "value": "14000"}
    assert entries[1].details == {**where, "value": "14200.5", "from": "14000"}
    assert entries[2].details == {**where, "value": "45000", "decision": "rejected"}


async def test_a_price_file_import_is_one_row(seeded: SessionMaker, tmp_path: Path) -> None:
    path = tmp_path / "harga.csv"
    path.write_text("tanggal,komoditas,tempat,tingkat,harga,satuan,sumber,kualitas\n"
                    "2026-03-02,karet,Kec. Bangko,produsen,14.000,kg,Survei,\n"
                    "2026-03-02,kayu manis,Muara Madras,produsen,56.000,kg,Survei,\n")
    plan = await plan_import(seeded, path, TODAY)
    await apply_import(seeded, plan, START)
    await apply_import(seeded, plan, START)
    entries = await trail(seeded)
    assert brief(entries) == [("price.imported", None, "cli", None)] * 2
    assert entries[0].details == {"file": "harga.csv", "format": plan.format, "added": 2,
                                  "updated": 0, "unchanged": 0}
    assert entries[1].details["unchanged"] == 2


async def test_tips_written_changed_published(seeded: SessionMaker) -> None:
    owner = await rina(seeded)
    tip = await tips_manage.create_tip(
        seeded, tips_manage.Draft("id", "kopi", "Petik merah", "Isi rahasia tips"),
        author_id=owner.id, now=START, publish=False)
    await tips_manage.update_text(seeded, tip.id, "id", START, title="Judul rahasia",
                                  actor=owner)
    await tips_manage.update_tip(seeded, tip.id, START, actor=owner, category="pascapanen",
                                 source="Buku rahasia")
    await tips_manage.set_published(seeded, tip.id, True, START, actor=owner)
    await tips_manage.set_published(seeded, tip.id, True, START, actor=owner)  # no change
    await tips_manage.set_published(seeded, tip.id, False, START, actor=owner)
    with pytest.raises(LookupError):
        await tips_manage.set_published(seeded, 9999, True, START, actor=owner)
    entries = await trail(seeded)
    subject = f"tip:{tip.id}"
    assert brief(entries) == [(action, owner.id, "facilitator", subject) for action in (
        "tip.created", "tip.saved", "tip.saved", "tip.published", "tip.unpublished")]
    assert [e.details for e in entries[:3]] == [
        {"category": "kopi", "language": "id", "published": False},
        {"fields": ["title"], "language": "id"}, {"fields": ["category", "source"]}]
    assert private_free(entries, "rahasia", "Petik")


async def test_broadcasts_created_corrected_cancelled(seeded: SessionMaker, clock: Clock) -> None:
    owner = await rina(seeded)
    sent = await broadcasts.create_broadcast(
        seeded, sender_member_id=owner.id, text="Rapat rahasia besok",
        audience=Audience(kecamatan=(BANGKO,), groups=("petani",)), now=clock(),
        scheduled_at=at(3, 9))
    await broadcasts.correct_broadcast(seeded, sent.id, member_id=owner.id,
                                       text="Rapat rahasia lusa", now=clock())
    await broadcasts.cancel_broadcast(seeded, sent.id, member_id=owner.id, now=clock())
    with pytest.raises(BroadcastRefused):  # finished already
        await broadcasts.cancel_broadcast(seeded, sent.id, member_id=owner.id, now=clock())
    entries = await trail(seeded)
    subject = f"broadcast:{sent.id}"
    assert brief(entries) == [(action, owner.id, "facilitator", subject) for action in (
        "broadcast.created", "broadcast.corrected", "broadcast.cancelled")]
    assert entries[0].details == {"audience": {"kecamatan": [BANGKO], "groups": ["petani"]},
                                  "scheduled_at": "2026-03-03T02:00:00+00:00"}
    assert [e.details for e in entries[1:]] == [{"revision": 2}, {"revision": 2}]
    assert private_free(entries, "rahasia")


async def test_own_data_exported_then_erased(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 1001, NAME, phone=PHONE)
    assert await privacy.export_member(seeded, member.id, START)
    assert await privacy.erase_member(seeded, member.id, START)
    assert not await privacy.erase_member(seeded, member.id, START)
    assert await privacy.export_member(seeded, member.id, START) == {}
    entries = await trail(seeded)
    subject = f"member:{member.id}"
    assert brief(entries) == [("member.data_exported", member.id, "member", subject),
                              ("member.erased", member.id, "member", subject)]
    assert entries[1].details == {"role": "member"}
    assert [e.actor_name for e in entries] == [None, None]  # the row stays, the name is gone
    assert private_free(entries)
