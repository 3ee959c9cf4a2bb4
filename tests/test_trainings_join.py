"""Members take a seat with a confirmation, wait in line, give seats back and take offers."""

from __future__ import annotations

from datetime import timedelta

from bot.db import SessionMaker
from bot.jobs import trainings as job
from bot.services import trainings
from bot.services import trainings_enroll as enroll
from handlers.trainings import offer_training
from models import Role
from tests.support.clock import START, Clock
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.trainings import WIB, at, draft, make_training


async def _enroll_by_chat(user: TestUser) -> None:
    await user.send("/jadwal")
    await user.tap("✍️ Daftar 1")
    assert "Anda mau mendaftar ke pelatihan ini?" in user.text
    await user.tap("✅ Ya, daftarkan saya")


async def test_enroll_with_confirmation(harness: BotHarness, seeded: SessionMaker) -> None:
    member = await make_member(seeded, 1001)
    training = await make_training(seeded, capacity=2)
    user = harness.user(1001)
    await _enroll_by_chat(user)
    assert "✅ Anda sudah terdaftar!" in user.text
    assert "malam sebelumnya dan 2 jam sebelum mulai" in user.text
    assert user.last_reply.inline_buttons == []  # the question cannot be answered twice
    held = await enroll.holding(seeded, training.id, member.id)
    assert held is not None and held.status == "enrolled"
    await user.send("/jadwal")
    assert "🪑 Sisa 1 kursi dari 2" in user.text
    assert "✅ Anda sudah terdaftar." in user.text


async def test_saying_no_changes_nothing(harness: BotHarness, seeded: SessionMaker) -> None:
    member = await make_member(seeded, 1001)
    training = await make_training(seeded)
    user = harness.user(1001)
    await user.send("/jadwal")
    await user.tap("✍️ Daftar 1")
    await user.tap("Tidak")
    assert "tidak ada yang diubah" in user.text
    assert await enroll.holding(seeded, training.id, member.id) is None


async def test_full_training_offers_the_waitlist_with_a_position(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    training = await make_training(seeded, capacity=1)
    first = await make_member(seeded, 1001, "Siti")
    await enroll.enroll(seeded, training.id, first.id, START, tz=WIB)
    await make_member(seeded, 1002, "Rahmat")
    user = harness.user(1002, "Rahmat")
    await user.send("/jadwal")
    assert "🪑 Penuh: Anda bisa masuk daftar tunggu" in user.text
    await user.tap("✍️ Daftar 1")
    assert "😔 Pelatihan ini sudah penuh." in user.text
    await user.tap("⏳ Masuk daftar tunggu")
    assert "⏳ Anda nomor 1 di daftar tunggu." in user.text
    await user.send("/pelatihan_saya")
    assert "Nomor Anda di daftar tunggu: 1" in user.text


async def test_the_last_seat_taken_while_confirming(harness: BotHarness,
                                                    seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=1)
    await make_member(seeded, 1001)
    other = await make_member(seeded, 1002, "Rahmat")
    user = harness.user(1001)
    await user.send("/jadwal")
    await user.tap("✍️ Daftar 1")
    await enroll.enroll(seeded, training.id, other.id, START, tz=WIB)
    await user.tap("✅ Ya, daftarkan saya")
    assert "😔 Pelatihan ini sudah penuh." in user.text
    await user.tap("⏳ Masuk daftar tunggu")
    assert "nomor 1" in user.text


async def test_withdrawing_offers_the_seat_to_the_next_who_takes_it(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    training = await make_training(seeded, capacity=1)
    await make_member(seeded, 1001, "Siti")
    waiting = await make_member(seeded, 1002, "Rahmat")
    holder, rahmat = harness.user(1001), harness.user(1002, "Rahmat")
    await _enroll_by_chat(holder)
    await rahmat.send("/pelatihan_saya")  # a member has talked to the bot before
    await enroll.enroll(seeded, training.id, waiting.id, START, tz=WIB, waitlist=True)

    await holder.send("/pelatihan_saya")
    assert "Menjahit Pakaian Dasar" in holder.text
    await holder.tap("🙅 Batal 1")
    assert "Lepaskan kursi Anda" in holder.text
    await holder.tap("Ya, batalkan")
    assert "nama Anda sudah keluar dari daftar" in holder.text

    await job.run(harness.app)
    assert "🎟 Kabar baik: ada kursi kosong untuk Anda!" in rahmat.text
    assert "Selasa, 3 Maret 2026, 08.00 WIB" in rahmat.text  # 24 hours from now
    await rahmat.tap("✅ Ambil kursi")
    assert "✅ Kursi ini untuk Anda!" in rahmat.text
    held = await enroll.holding(seeded, training.id, waiting.id)
    assert held is not None and held.status == "enrolled"
    await holder.send("/pelatihan_saya")
    assert "Anda belum terdaftar" in holder.text


async def test_an_unanswered_offer_moves_on_and_says_so(
    harness: BotHarness, seeded: SessionMaker, clock: Clock
) -> None:
    training = await make_training(seeded, capacity=1)
    holder = await make_member(seeded, 1001, "Siti")
    await make_member(seeded, 1002, "Rahmat")
    await make_member(seeded, 1003, "Yanti")
    await enroll.enroll(seeded, training.id, holder.id, START, tz=WIB)
    for telegram_id in (1002, 1003):
        user = harness.user(telegram_id)
        await user.send("/jadwal")
        await user.tap("✍️ Daftar 1")
        await user.tap("⏳ Masuk daftar tunggu")
    await enroll.withdraw(seeded, training.id, holder.id, START)
    await job.run(harness.app)
    rahmat, yanti = harness.user(1002), harness.user(1003)
    assert "Kabar baik" in rahmat.text
    assert "Kabar baik" not in yanti.text
    clock.advance(timedelta(hours=24))
    await job.run(harness.app)
    assert "⌛ Waktu untuk mengambil kursi Anda sudah habis" in rahmat.text
    assert "Kabar baik" in yanti.text
    offer = rahmat.chat[-2]
    await rahmat.tap_data(offer.message_id, f"tr.o:{training.id}")
    assert "tawaran ini sudah berakhir" in (offer.text or "")
    await yanti.tap("Tidak, terima kasih")
    assert "Kursinya diberikan ke orang berikutnya" in yanti.text


async def test_an_old_button_after_a_change_says_so_and_does_not_act(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    owner = await make_member(seeded, 900, "Bu Rina", role=Role.FACILITATOR)
    member = await make_member(seeded, 1001)
    training = await make_training(seeded, created_by=owner.id)
    user = harness.user(1001)
    await user.send("/jadwal")
    await user.tap("✍️ Daftar 1")
    await trainings.update_training(seeded, training.id, draft(starts_at=at(6, 13),
                                                               ends_at=at(6, 16)),
                                    START, actor=owner, expected_version=1, tz=WIB)
    await user.tap("✅ Ya, daftarkan saya")
    assert "sudah berubah sejak tombol ini dibuat" in (user.sim.callback_answers[-1].text or "")
    assert "⚠️ Pelatihan ini sudah berubah. Ini info terbarunya:" in user.text
    assert "Jumat, 6 Maret 2026, 13.00–16.00 WIB" in user.text
    assert await enroll.holding(seeded, training.id, member.id) is None
    await user.tap("✍️ Daftar")  # the fresh button works
    await user.tap("✅ Ya, daftarkan saya")
    assert "✅ Anda sudah terdaftar!" in user.text


async def test_cancelled_and_past_trainings_cannot_be_joined(
    harness: BotHarness, seeded: SessionMaker, clock: Clock
) -> None:
    owner = await make_member(seeded, 900, "Bu Rina", role=Role.FACILITATOR)
    await make_member(seeded, 1001)
    cancelled = await make_training(seeded, created_by=owner.id)
    soon = await make_training(seeded, title="Segera", starts_at=START + timedelta(hours=1),
                               ends_at=START + timedelta(hours=3))
    user = harness.user(1001)
    await user.send("/jadwal")
    list_message = user.last_reply.message_id
    await trainings.cancel_training(seeded, cancelled.id, START, actor=owner,
                                    expected_version=1)
    await user.tap_data(list_message, f"tr.e:{cancelled.id}:1")
    assert "sudah dibatalkan" in (user.sim.callback_answers[-1].text or "")
    await user.tap_data(list_message, f"tr.y:{cancelled.id}:2")
    assert "Maaf, pelatihan ini sudah dibatalkan." in user.text
    clock.advance(timedelta(hours=2))
    await user.tap_data(list_message, f"tr.e:{soon.id}:1")
    assert "pendaftaran ditutup" in (user.sim.callback_answers[-1].text or "")
    await user.tap_data(list_message, f"tr.y:{soon.id}:1")
    assert "pendaftaran ditutup" in user.text
    await user.tap_data(list_message, "tr.y:999:1")
    assert "Pelatihan ini sudah tidak ada." in user.text


async def test_offer_training_after_a_deep_link(harness: BotHarness, seeded: SessionMaker,
                                                clock: Clock) -> None:
    """Registration calls this; here it is driven through a tiny stand-in handler."""
    from telegram.ext import ApplicationHandlerStop, CommandHandler

    owner = await make_member(seeded, 900, "Bu Rina", role=Role.FACILITATOR)
    await make_member(seeded, 1001)
    training = await make_training(seeded, created_by=owner.id)
    gone = await make_training(seeded, title="Batal", created_by=owner.id)
    await trainings.cancel_training(seeded, gone.id, START, actor=owner, expected_version=1)

    async def link(update, context):  # type: ignore[no-untyped-def]
        await offer_training(update, context, int(context.args[0]))
        raise ApplicationHandlerStop

    harness.app.add_handler(CommandHandler("link", link), group=-1)
    user = harness.user(1001)
    await user.send(f"/link {training.id}")
    assert "Ini pelatihan dari tautan Anda:" in user.text
    assert user.buttons[0] == "✍️ Daftar"
    await user.send("/link 999")
    assert "tidak ditemukan" in user.text
    await user.send(f"/link {gone.id}")
    assert "sudah dibatalkan" in user.text
    clock.set(at(5, 10))
    await user.send(f"/link {training.id}")
    assert "sudah mulai atau sudah selesai" in user.text
