"""/pelatihan_kelola: numbers, people, editing (members are told) and cancelling."""

from __future__ import annotations

from bot.db import SessionMaker
from bot.jobs import trainings as job
from bot.services import trainings
from bot.services import trainings_attendance as attendance
from bot.services import trainings_enroll as enroll
from models import Member, Role
from tests.support.clock import START, Clock
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.trainings import WIB, at, make_training


async def _owner(harness: BotHarness, seeded: SessionMaker,
                 telegram_id: int = 900) -> tuple[Member, TestUser]:
    member = await make_member(seeded, telegram_id, "Bu Rina", role=Role.FACILITATOR)
    return member, harness.user(telegram_id, "Rina")


async def _open(user: TestUser, title: str = "Menjahit Pakaian Dasar") -> None:
    await user.send("/pelatihan_kelola")
    await user.tap(title)


async def test_the_card_shows_numbers_and_people(harness: BotHarness, seeded: SessionMaker,
                                                 clock: Clock) -> None:
    owner, user = await _owner(harness, seeded)
    training = await make_training(seeded, created_by=owner.id, capacity=2)
    names = ["Siti <b>&", "Rahmat", "Yanti"]
    members = [await make_member(seeded, 1001 + i, name) for i, name in enumerate(names)]
    for member in members:
        await enroll.enroll(seeded, training.id, member.id, START, tz=WIB, waitlist=True)
    clock.set(at(5, 9))
    await attendance.toggle(seeded, training.id, members[0].id, owner, clock())
    await attendance.rate(seeded, training.id, members[0].id, 4, clock())
    await attendance.add_comment(seeded, training.id, members[0].id, "Bagus <i>sekali</i>",
                                 clock())
    await _open(user)
    assert "👥 Terdaftar: 2 dari 2" in user.text
    assert "⏳ Daftar tunggu: 1 · 🎟 Ditawari: 0" in user.text
    assert "✅ Hadir: 1" in user.text
    assert "⭐ 4 dari 1 penilaian" in user.text
    await user.tap("👥 Peserta")
    people = user.last_reply
    assert "👤 Siti <b>& ✅ 4⭐ — Bagus <i>sekali</i>" in people.text
    assert "Siti &lt;b&gt;&amp;" in people.html  # what members typed is shown as typed
    assert "⏳1 Yanti" in people.text


async def test_editing_the_time_tells_members_and_old_buttons_go_stale(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    owner, user = await _owner(harness, seeded)
    training = await make_training(seeded, created_by=owner.id)
    member = await make_member(seeded, 1001)
    villager = harness.user(1001)
    await villager.send("/jadwal")
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    await _open(user)
    await user.tap("✏️ Ubah")
    assert "Perubahan Anda" in user.text
    await user.tap("✏️ Ubah sesuatu")
    await user.tap("📅 Tanggal dan jam")
    await user.tap("Jum 6/3")
    await user.tap("13.00")
    await user.tap("3 jam")
    assert "Jumat, 6 Maret 2026, 13.00–16.00 WIB" in user.text
    await user.tap("💾 Simpan perubahan")
    assert "💾 Tersimpan. 1 anggota sedang diberi tahu" in user.text
    await job.run(harness.app)
    assert "⚠️ Waktu pelatihan Anda berubah:" in villager.text
    assert "Jumat, 6 Maret 2026, 13.00–16.00 WIB" in villager.text
    view = await trainings.get_training(seeded, training.id)
    assert view is not None and view.training.version == 2
    # The list the member opened before the change: its detail button says so.
    await villager.tap_data(villager.chat[1].message_id, f"tr.d:{training.id}:1")
    assert "sudah berubah sejak daftar itu dibuat" in villager.text


async def test_edits_that_clash_are_not_saved(harness: BotHarness, seeded: SessionMaker) -> None:
    owner, user = await _owner(harness, seeded)
    training = await make_training(seeded, created_by=owner.id)
    await _open(user)
    await user.tap("✏️ Ubah")
    await user.tap("✏️ Ubah sesuatu")
    await user.tap("🪑 Jumlah kursi")
    await user.send("40")
    from tests.support.trainings import draft

    await trainings.update_training(seeded, training.id, draft(title="Judul Lain"), START,
                                    actor=owner, expected_version=1, tz=WIB)
    await user.tap("💾 Simpan perubahan")
    assert "Tidak ada yang disimpan" in user.text
    view = await trainings.get_training(seeded, training.id)
    assert view is not None and view.training.capacity == 20


async def test_cancel_asks_first_then_everyone_is_told(harness: BotHarness,
                                                       seeded: SessionMaker) -> None:
    owner, user = await _owner(harness, seeded)
    training = await make_training(seeded, created_by=owner.id)
    member = await make_member(seeded, 1001)
    villager = harness.user(1001)
    await villager.send("/pelatihan_saya")
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    await _open(user)
    await user.tap("❌ Batalkan pelatihan")
    assert "Batalkan pelatihan ini?" in user.text
    assert "1 anggota akan diberi tahu." in user.text
    await user.tap("Ya, batalkan")
    assert "dibatalkan" in user.text
    await job.run(harness.app)
    assert "❌ Maaf, pelatihan ini dibatalkan oleh penyelenggara:" in villager.text
    await user.tap_data(user.chat[-3].message_id, f"tr.mcy:{training.id}:1")
    assert "sudah berubah" in (user.sim.callback_answers[-1].text or "")


async def test_a_facilitator_cannot_touch_someone_elses_training(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    owner, _ = await _owner(harness, seeded)
    training = await make_training(seeded, created_by=owner.id)
    _, other = await _owner(harness, seeded, 901)
    await other.send("/pelatihan_kelola")
    assert "Anda belum punya pelatihan" in other.text
    message = other.last_reply.message_id
    for data in (f"tr.m:{training.id}", f"tr.mc:{training.id}:1", f"tr.mcy:{training.id}:1",
                 f"tr.mp:{training.id}", f"tr.me:{training.id}:1", f"tr.h:{training.id}:0",
                 f"tr.ht:{training.id}:1:0", f"tr.hc:{training.id}"):
        await other.tap_data(message, data)
        assert "tidak bisa" in (other.sim.callback_answers[-1].text or ""), data
    view = await trainings.get_training(seeded, training.id)
    assert view is not None and view.training.is_published and view.training.version == 1


async def test_an_admin_manages_every_training(harness: BotHarness, seeded: SessionMaker) -> None:
    owner, _ = await _owner(harness, seeded)
    await make_training(seeded, created_by=owner.id)
    await make_training(seeded, title="Dari Impor CSV")
    await make_member(seeded, 950, "Admin", role=Role.ADMIN)
    admin = harness.user(950)
    await admin.send("/pelatihan_kelola")
    assert len(admin.buttons) >= 2
    await admin.tap("Dari Impor CSV")
    assert "👥 Terdaftar: 0 dari 20" in admin.text
