"""/hadir: ticking names or checking in with a code; then a rating and a comment."""

from __future__ import annotations

from datetime import timedelta

from bot.db import SessionMaker
from bot.jobs import trainings as job
from bot.services import trainings
from bot.services import trainings_enroll as enroll
from models import Member, Role
from tests.support.clock import START, Clock
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.trainings import WIB, at, make_training


async def _setup(harness: BotHarness, seeded: SessionMaker
                 ) -> tuple[Member, TestUser, int, list[TestUser]]:
    owner = await make_member(seeded, 900, "Bu Rina", role=Role.FACILITATOR)
    training = await make_training(seeded, created_by=owner.id)
    users = []
    for telegram_id, name in ((1001, "Siti Aminah"), (1002, "Budi Santoso")):
        member = await make_member(seeded, telegram_id, name)
        await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
        user = harness.user(telegram_id, name.split()[0])
        await user.send("/pelatihan_saya")
        users.append(user)
    return owner, harness.user(900, "Rina"), training.id, users


async def test_ticking_names(harness: BotHarness, seeded: SessionMaker, clock: Clock) -> None:
    _, facilitator, training_id, _ = await _setup(harness, seeded)
    clock.set(at(5, 7))
    await facilitator.send("/hadir")
    await facilitator.tap("Menjahit Pakaian Dasar")
    assert "Tekan nama" in facilitator.text
    await facilitator.tap("⬜ Siti Aminah")
    assert "Daftar hadir dibuka satu jam sebelum" in (
        facilitator.sim.callback_answers[-1].text or "")
    clock.set(at(5, 8, 30))
    await facilitator.tap("⬜ Siti Aminah")
    assert "1 dari 2 hadir." in facilitator.text
    assert facilitator.buttons[:2] == ["⬜ Budi Santoso", "✅ Siti Aminah"]
    await facilitator.tap("✅ Siti Aminah")
    assert "0 dari 2 hadir." in facilitator.text
    await facilitator.tap("⬜ Siti Aminah")
    stats = await trainings.training_stats(seeded, training_id)
    assert stats.attended == 1


async def test_checking_in_with_the_code_then_rating(harness: BotHarness, seeded: SessionMaker,
                                                     clock: Clock) -> None:
    _, facilitator, training_id, (siti, budi) = await _setup(harness, seeded)
    clock.set(at(5, 8, 45))
    await facilitator.send("/hadir")
    await facilitator.tap("Menjahit Pakaian Dasar")
    await facilitator.tap("🔢 Tampilkan kode hadir")
    code = facilitator.text.split("/hadir ")[1].split()[0]
    assert len(code) == 4 and code.isdigit()

    await siti.send(f"/hadir {code}")
    assert "✅ Terima kasih! Anda tercatat hadir di <b>Menjahit Pakaian Dasar</b>." in \
        siti.last_reply.html
    await siti.send(f"/hadir {code}")
    assert "Anda sudah tercatat hadir" in siti.text
    wrong = "0000" if code != "0000" else "1111"
    await budi.send(f"/hadir {wrong}")
    assert "Kode itu salah" in budi.text
    await budi.send("/hadir 12")
    assert "Kodenya 4 angka" in budi.text
    await make_member(seeded, 1003, "Yanti")
    yanti = harness.user(1003)
    await yanti.send(f"/hadir {code}")
    assert "tidak ada di daftar peserta" in yanti.text

    clock.set(at(5, 12))
    await job.run(harness.app)
    assert "🙏 Terima kasih sudah ikut pelatihan ini:" in siti.text
    assert siti.buttons[:5] == ["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐"]
    assert "Terima kasih sudah ikut" not in budi.text  # did not come
    await siti.tap("4 ⭐")
    assert "Anda memberi 4 ⭐" in siti.text
    await siti.send("📅 Jadwal Pelatihan")  # a menu tap is never taken for a comment
    assert "Jadwal pelatihan" in siti.text
    await siti.send("Gurunya sabar, tapi ruangannya panas.")
    assert "komentar Anda membantu" in siti.text
    stats = await trainings.training_stats(seeded, training_id)
    assert (stats.attended, stats.ratings, stats.average_rating) == (1, 1, 4.0)

    clock.set(at(5, 16))
    await siti.send(f"/hadir {code}")  # the window has closed
    assert "Kode itu salah" in siti.text


async def test_guessing_codes_is_stopped(harness: BotHarness, seeded: SessionMaker,
                                         clock: Clock) -> None:
    _, _, _, (siti, _) = await _setup(harness, seeded)
    clock.set(at(5, 9))
    for guess in range(5):
        await siti.send(f"/hadir {guess:04d}")
    await siti.send("/hadir 9999")
    assert "Terlalu banyak kode yang salah" in siti.text
    clock.advance(timedelta(minutes=16))
    await siti.send("/hadir 9999")
    assert "Kode itu salah" in siti.text


async def test_only_attendees_rate_and_rating_buttons_are_checked(
    harness: BotHarness, seeded: SessionMaker, clock: Clock
) -> None:
    _, _, training_id, (siti, _) = await _setup(harness, seeded)
    message = siti.last_reply.message_id
    await siti.tap_data(message, f"tr.r:{training_id}:5")
    assert "Hanya peserta yang hadir" in (siti.sim.callback_answers[-1].text or "")
    await siti.tap_data(message, f"tr.r:{training_id}:9")
    await siti.tap_data(message, f"tr.r:{training_id}")
    stats = await trainings.training_stats(seeded, training_id)
    assert stats.ratings == 0


async def test_skipping_the_comment(harness: BotHarness, seeded: SessionMaker,
                                    clock: Clock) -> None:
    owner, _, training_id, (siti, _) = await _setup(harness, seeded)
    from bot.services import trainings_attendance as attendance

    clock.set(at(5, 9))
    async with seeded() as session:
        from sqlalchemy import select

        siti_id = await session.scalar(select(Member.id).where(Member.external_id == "1001"))
    await attendance.toggle(seeded, training_id, siti_id, owner, clock())
    clock.set(at(5, 12, 1))
    await job.run(harness.app)
    await siti.tap("5 ⭐")
    await siti.tap("Lewati")
    assert "Terima kasih atas nilai Anda!" in siti.text
    await siti.send("halo")
    assert "komentar" not in siti.text
