"""After sending, end to end: history, [Ralat], [Tarik], cancelling, the report, "Saya ikut"."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import SessionMaker
from bot.jobs.broadcasts_app import engine_of
from bot.services.broadcasts import Button
from models import Member
from models.broadcast import Broadcast, BroadcastStatus, ButtonKind
from models.training import Training
from tests.support.broadcasts import broadcast, crowd, facilitator, received
from tests.support.clock import Clock
from tests.support.harness import BotHarness, TestUser


async def sent_and_summarised(harness: BotHarness, sessionmaker: SessionMaker, clock: Clock,
                              sender: Member, text: str, **options: object) -> Broadcast:
    found = await broadcast(sessionmaker, sender, clock, text, **options)
    engine = engine_of(harness.app)
    assert engine is not None
    engine.wake()
    chat = sender.chat_id or 0
    await harness.wait_for(lambda: any(  # the summary (the edited progress has no buttons)
        item.inline_buttons for item in received(harness.api, chat, f"Siaran #{found.id} selesai")))
    return found


async def setup(harness: BotHarness, sessionmaker: SessionMaker) -> tuple[Member, list[Member],
                                                                         TestUser]:
    sender = await facilitator(harness.api, sessionmaker, 900)
    people = await crowd(harness.api, sessionmaker, 3)
    return sender, people, harness.user(900)


async def test_history_lists_broadcasts_with_counts(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    sender, _, staff = await setup(harness, seeded)
    await staff.send("/siaran_riwayat")
    assert staff.text == "Belum ada siaran. Mulai dengan /siaran."
    await sent_and_summarised(harness, seeded, clock, sender, "Harga cabai turun")
    await staff.send("/siaran_riwayat")
    assert "#1" in staff.text and "Harga cabai turun" in staff.text
    assert "Terkirim: 4 · ⚠️ Gagal: 0 · ⏭ Dilewati: 0" in staff.text
    await staff.tap("#1")
    assert "Kepada: Semua anggota aktif" in staff.text
    assert staff.buttons[:3] == ["✏️ Ralat", "🗑 Tarik", "📄 Laporan"]


async def test_correction_end_to_end(harness: BotHarness, seeded: SessionMaker,
                                     clock: Clock) -> None:
    sender, people, staff = await setup(harness, seeded)
    await sent_and_summarised(harness, seeded, clock, sender, "Pelatihan di Balai Desa")
    await staff.tap("✏️ Ralat")
    assert "Ralat siaran #1" in staff.text
    await staff.send_sticker()
    assert staff.text == "Mohon kirim teks yang sudah dibetulkan."
    await staff.send("Pelatihan pindah ke <b>Aula Kecamatan</b>")
    preview = staff.chat[-2]
    assert preview.html == "Pelatihan pindah ke <b>Aula Kecamatan</b>"
    await staff.tap("✏️ Kirim ralat")
    for person in people:
        await harness.wait_for(lambda p=person: received(harness.api, p.chat_id or 0)[0].edited)
        assert received(harness.api, person.chat_id or 0)[0].text == \
            "Pelatihan pindah ke Aula Kecamatan"
    await harness.wait_for(lambda: bool(received(harness.api, 900, "diterapkan pada 4 pesan")))


async def test_withdrawal_end_to_end(harness: BotHarness, seeded: SessionMaker,
                                     clock: Clock) -> None:
    sender, people, staff = await setup(harness, seeded)
    await sent_and_summarised(harness, seeded, clock, sender, "Salah grup")
    await staff.tap("🗑 Tarik")
    assert "Hapus siaran #1 dari 4 obrolan" in staff.text
    await staff.tap("🗑 Ya, tarik")
    await harness.wait_for(lambda: all(received(harness.api, p.chat_id or 0) == []
                                       for p in people))
    await harness.wait_for(lambda: bool(received(harness.api, 900, "dihapus dari 4 obrolan")))


async def test_cancelling_a_scheduled_broadcast(harness: BotHarness, seeded: SessionMaker,
                                                clock: Clock) -> None:
    sender, people, staff = await setup(harness, seeded)
    await broadcast(seeded, sender, clock, "Nanti sore", scheduled_at=clock() + timedelta(hours=6))
    await staff.send("/siaran_riwayat")
    assert "dijadwalkan" in staff.text
    await staff.tap("#1")
    await staff.tap("⛔ Batalkan")
    await staff.tap("Tidak")
    assert staff.text == "Baik, tidak ada yang diubah."
    await staff.tap("⛔ Batalkan")
    await staff.tap("Ya, batalkan")
    assert staff.text == "⛔ Siaran #1 dibatalkan. Tidak ada lagi yang akan menerimanya."
    async with seeded() as session:
        found = await session.get(Broadcast, 1)
        assert found is not None and found.status == BroadcastStatus.CANCELLED
    clock.advance(timedelta(hours=7))
    engine = engine_of(harness.app)
    assert engine is not None
    await engine.drain()
    assert all(received(harness.api, p.chat_id or 0) == [] for p in people)


async def test_the_report_is_a_csv_per_recipient(harness: BotHarness, seeded: SessionMaker,
                                                 clock: Clock) -> None:
    sender, people, staff = await setup(harness, seeded)
    harness.api.user(people[0].chat_id or 0).chat_state.blocked = True
    await sent_and_summarised(harness, seeded, clock, sender, "Laporan")
    await staff.tap("📄 Laporan")
    document = staff.last_reply.document
    assert document["file_name"] == "siaran-1.csv"
    data = harness.api.files.get(document["file_id"]).data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == 4
    by_name = {row["name"]: row for row in rows}
    assert by_name["Anggota 0"]["status"] == "skipped"
    assert by_name["Anggota 0"]["reason"] == "Forbidden: bot was blocked by the user"
    assert by_name["Anggota 1"]["status"] == "sent" and by_name["Anggota 1"]["message_id"]


async def test_another_facilitator_cannot_touch_it(harness: BotHarness, seeded: SessionMaker,
                                                   clock: Clock,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    sender, people, _ = await setup(harness, seeded)
    await facilitator(harness.api, seeded, 901)
    other = harness.user(901)
    await sent_and_summarised(harness, seeded, clock, sender, "Milik orang lain")
    await other.send("/siaran_riwayat")
    assert other.text == "Belum ada siaran. Mulai dengan /siaran."
    await other.send("/start")
    message_id = other.chat[-1].message_id
    await other.tap_data(message_id, "bc.w:1")
    assert other.sim.callback_answers[-1].text == "Maaf, fitur ini hanya untuk fasilitator " \
                                                  "program."
    assert len(other.sim.callback_answers) == 1
    assert not [r for r in caplog.records if r.name == "berdaya.errors"]  # answered once only
    await other.tap_data(message_id, "bc.wy:1")
    await other.tap_data(message_id, "bc.wy:satu")  # tampered: ignored
    assert all(len(received(harness.api, p.chat_id or 0)) == 1 for p in people)


async def test_i_am_in_opens_the_training_enrollment(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    sender, people, _ = await setup(harness, seeded)
    async with seeded() as session, session.begin():
        training = Training(
            title="Menjahit tas", category="menjahit", desa_code="15.02.02.1010",
            kecamatan_code="15.02.02", venue="Balai Desa", starts_at=clock() + timedelta(days=5),
            ends_at=clock() + timedelta(days=5, hours=3), capacity=20, organizer="LSM Berdaya",
            organizer_kind="lsm", created_by=sender.id)
        session.add(training)
    await sent_and_summarised(harness, seeded, clock, sender, "Ada pelatihan menjahit!",
                              button=Button(ButtonKind.JOIN, training_id=training.id))
    member = harness.user(people[0].chat_id or 0)
    assert member.buttons[0] == "✅ Saya ikut"
    await member.tap("✅ Saya ikut")
    assert "Menjahit tas" in member.text
    async with seeded() as session:
        assert await session.scalar(select(Training.seats_taken)) == 0  # it asks first
