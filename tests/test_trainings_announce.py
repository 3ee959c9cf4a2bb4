"""Announcing a new training to the members it is for, through the broadcast service."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import SessionMaker
from bot.jobs.broadcasts_app import engine_of
from bot.services import places, staff, trainings
from models import Member
from models.broadcast import Broadcast
from models.training import Enrollment, EnrollmentStatus
from tests.support.broadcasts import facilitator, reachable, received
from tests.support.clock import START
from tests.support.harness import BotHarness, TestUser
from tests.support.trainings import KUNGKAI, MUARA_SIAU, TIARO, draft, make_training
from tests.test_trainings_form import _fill_after_time, _fill_until_day

PASAR_BANGKO = "15.02.02.1010"


async def village(harness: BotHarness, seeded: SessionMaker) -> dict[str, Member]:
    api = harness.api
    return {
        "rina": await facilitator(api, seeded, 900),
        "siti": await reachable(api, seeded, 1001, "Siti", desa_code=KUNGKAI,
                                groups=("perempuan",)),
        "mary": await reachable(api, seeded, 1002, "Mary", desa_code=PASAR_BANGKO,
                                groups=("perempuan",), language="en"),
        "budi": await reachable(api, seeded, 1003, "Budi", desa_code=KUNGKAI, groups=("petani",)),
        "ani": await reachable(api, seeded, 1004, "Ani", desa_code=TIARO, groups=("perempuan",)),
    }


def alert(user: TestUser) -> str:
    answer = user.sim.callback_answers[-1]
    assert answer.show_alert
    return answer.text or ""


async def stored_broadcasts(sessionmaker: SessionMaker) -> list[Broadcast]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Broadcast).order_by(Broadcast.id)))


async def test_publish_then_announce_to_matching_members(harness: BotHarness,
                                                         seeded: SessionMaker) -> None:
    people = await village(harness, seeded)
    user = harness.user(900)
    await _fill_until_day(user)
    await user.tap("Kam 5/3")
    await user.tap("09.00")
    await _fill_after_time(user)  # for "Perempuan/ibu rumah tangga" only
    await user.tap("✅ Terbitkan")
    assert "✅ Sudah terbit!" in user.text and "Umumkan sekarang" in user.text
    assert user.buttons == ["📣 Umumkan ke 2 anggota", "Nanti saja"]
    offer = user.last_reply.message_id
    await user.tap("📣 Umumkan ke 2 anggota")
    assert "✓ 📣 Sedang diumumkan ke 2 anggota." in user.text
    made = await stored_broadcasts(seeded)
    assert [b.audience["languages"] for b in made] == [["id"], ["en"]]
    assert all(b.training_id is not None and b.sender_id == people["rina"].id for b in made)

    engine = engine_of(harness.app)
    assert engine is not None
    engine.wake()
    api = harness.api
    await harness.wait_for(lambda: bool(received(api, 1001, "Pelatihan baru di dekat Anda"))
                           and bool(received(api, 1002, "New training near you")))
    [item] = received(api, 1001, "Pelatihan baru")
    assert "Menjahit Tas Anyaman" in item.text and "Sisa" not in item.text
    for name in ("budi", "ani"):
        assert not received(api, people[name].chat_id or 0, "Pelatihan baru")
    siti = harness.user(1001)
    await siti.tap("✅ Saya ikut")
    assert "Anda mau mendaftar ke pelatihan ini?" in siti.text
    await siti.tap("✅ Ya, daftarkan saya")
    async with seeded() as session:
        enrolled = await session.scalar(select(Enrollment.status).where(
            Enrollment.member_id == people["siti"].id))
    assert enrolled == EnrollmentStatus.ENROLLED

    data = f"tr.an:{made[0].training_id}:1"
    await user.tap_data(offer, data)  # a second tap on the old offer
    assert "sudah diumumkan" in alert(user)
    assert len(await stored_broadcasts(seeded)) == 2


async def test_nobody_to_tell_and_not_now(harness: BotHarness, seeded: SessionMaker) -> None:
    await village(harness, seeded)
    user = harness.user(900)
    await _fill_until_day(user)
    await user.tap("Kam 5/3")
    await user.tap("09.00")
    assert "Berapa lama?" in user.text
    await user.tap("3 jam")
    await user.tap("25")
    await user.tap("Penyandang disabilitas")
    await user.tap("Selesai")
    await user.tap("LSM")
    await user.send("Yayasan Pundi Sumatra")
    await user.send("-")
    await user.tap("✅ Terbitkan")
    assert "Belum ada anggota terdaftar di kecamatan dan kelompok itu" in user.text
    assert user.buttons == []


async def test_stale_foreign_and_out_of_scope_taps(harness: BotHarness,
                                                   seeded: SessionMaker) -> None:
    people = await village(harness, seeded)
    rina = people["rina"]
    await facilitator(harness.api, seeded, 901)
    training = await make_training(seeded, created_by=rina.id)
    user, stranger = harness.user(900), harness.user(901)

    await stranger.send("/bantuan")
    await stranger.tap_data(stranger.last_reply.message_id, f"tr.an:{training.id}:1")
    assert "Hanya fasilitator yang menerbitkannya" in alert(stranger)

    await user.send("/bantuan")
    changed = draft(venue="Aula Kecamatan")
    await trainings.update_training(seeded, training.id, changed, START, actor=rina,
                                    expected_version=1, tz=harness.settings.program.tz)
    await user.tap_data(user.last_reply.message_id, f"tr.an:{training.id}:1")
    assert "sudah diubah, dibatalkan, atau sudah dimulai" in alert(user)
    await user.tap_data(user.last_reply.message_id, "tr.an:zz:1")
    assert await stored_broadcasts(seeded) == []

    desa = (await places.desa_list(seeded, MUARA_SIAU))[0].code
    elsewhere = await make_training(seeded, created_by=rina.id, desa_code=desa)
    await staff.set_scope(seeded, rina.id, "15.02.02", actor=None)
    await user.tap_data(user.last_reply.message_id, f"tr.an:{elsewhere.id}:1")
    assert "hanya bisa mengirim ke anggota di kecamatan Anda" in alert(user)
    assert await stored_broadcasts(seeded) == []
