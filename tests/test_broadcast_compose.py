"""`/siaran` end to end: a facilitator composes, previews and sends; members receive it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.jobs.broadcasts_app import engine_of
from bot.services import places
from models.broadcast import Broadcast
from models.price import Commodity, CommodityFollow
from models.training import Enrollment, EnrollmentStatus, Training
from tests.support.broadcasts import crowd, facilitator, reachable, received
from tests.support.clock import Clock
from tests.support.harness import BotHarness, TestUser

BANGKO = "15.02.02"
PASAR_BANGKO = "15.02.02.1010"


async def broadcasts_stored(sessionmaker: SessionMaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Broadcast)) or 0


async def compose(staff: TestUser, text: str) -> None:
    await staff.send("/siaran")
    assert "Siaran baru" in staff.text
    await staff.send(text)
    assert "Tambahkan tombol" in staff.text
    await staff.tap("Tanpa tombol")


async def test_a_member_is_refused_and_nothing_is_stored(
    harness: BotHarness, seeded: SessionMaker,
) -> None:
    await reachable(harness.api, seeded, 1001)
    member = harness.user(1001)
    await member.send("/siaran")
    assert member.text == "Maaf, fitur ini hanya untuk fasilitator program."
    await member.send("Pesan untuk semua")
    assert await broadcasts_stored(seeded) == 0
    await member.send("/siaran_riwayat")
    assert member.text == "Maaf, fitur ini hanya untuk fasilitator program."


async def test_compose_filter_preview_and_send(harness: BotHarness, seeded: SessionMaker) -> None:
    api = harness.api
    await facilitator(api, seeded, 900)
    in_bangko = await crowd(api, seeded, 3, desa_code=PASAR_BANGKO)
    elsewhere = (await places.desa_list(seeded, "15.02.05"))[0].code
    outside = await crowd(api, seeded, 2, first=6000, desa_code=elsewhere)
    staff = harness.user(900)
    await compose(staff, "Rapat <b>kelompok tani</b> & pengurus, Senin")
    assert "6 anggota</b> akan menerima" in staff.last_reply.html
    await staff.tap("📍 Kecamatan")
    await staff.tap("Bangko")
    assert "✓ Bangko" in staff.buttons
    assert "4 anggota</b> akan menerima" in staff.last_reply.html  # the facilitator lives there
    await staff.tap("⬅️ Kembali")
    assert "Kecamatan: Bangko" in staff.text
    await staff.tap("Lanjut ➡️")
    await staff.tap("Sekarang")
    preview, summary = staff.chat[-2:]
    assert preview.html == "Rapat <b>kelompok tani</b> &amp; pengurus, Senin"
    assert "4 anggota akan menerima" in summary.text and "Waktu: sekarang" in summary.text
    await staff.tap("📤 Kirim")
    assert "Siaran #1 sedang dikirim" in staff.text
    for person in in_bangko:
        await harness.wait_for(lambda p=person: len(received(api, p.chat_id or 0)) == 1)
        [copy] = received(api, person.chat_id or 0)
        assert copy.html == "Rapat <b>kelompok tani</b> &amp; pengurus, Senin"
    await harness.wait_for(lambda: any(item.inline_buttons
                                       for item in received(api, 900, "Siaran #1 selesai")))
    assert all(received(api, p.chat_id or 0) == [] for p in outside)
    progress, final = received(api, 900, "Siaran #1 selesai")
    assert progress.edited and "Terkirim: 4" in progress.text
    assert "Terkirim: 4" in final.text and "✏️ Ralat" in final.inline_buttons


async def test_no_recipients_cannot_continue(harness: BotHarness, seeded: SessionMaker) -> None:
    await facilitator(harness.api, seeded, 900)
    staff = harness.user(900)
    await compose(staff, "Untuk bahasa Inggris saja")
    await staff.tap("🗣 Bahasa")
    await staff.tap("English")
    assert "0 anggota</b> akan menerima" in staff.last_reply.html
    await staff.tap("⬅️ Kembali")
    await staff.tap("Lanjut ➡️")
    answer = staff.sim.callback_answers[-1]
    assert answer.show_alert and "Tidak ada anggota yang cocok" in (answer.text or "")
    assert "Lanjut ➡️" in staff.buttons


async def test_bad_content_gets_a_clear_reask(harness: BotHarness, seeded: SessionMaker) -> None:
    await facilitator(harness.api, seeded, 900)
    staff = harness.user(900)
    await staff.send("/siaran")
    await staff.send_sticker()
    assert "Stiker, pesan suara" in staff.text
    await staff.send_voice()
    assert "Mohon kirim teks, foto atau dokumen" in staff.text
    await staff.send("Isi yang benar")
    await staff.send("ini bukan pilihan")
    assert staff.text == "Mohon ketuk salah satu tombol di atas."
    await staff.tap("🔗 Tautan")
    await staff.send_sticker()
    assert staff.text == "Mohon ketik sebagai pesan teks."
    await staff.send("bukan tautan")
    assert "Itu bukan tautan" in staff.text
    await staff.send("https://merangin.go.id/pelatihan")
    await staff.send("x" * 41)
    assert "1 sampai 40 huruf" in staff.text
    await staff.send("Daftar di sini")
    assert "Siapa yang menerima" in staff.text
    await staff.send("/batal")
    assert staff.text == "Siaran dibatalkan. Tidak ada yang dikirim."
    assert await broadcasts_stored(seeded) == 0


async def test_photo_with_link_button(harness: BotHarness, seeded: SessionMaker) -> None:
    api = harness.api
    await facilitator(api, seeded, 900)
    [person] = await crowd(api, seeded, 1)
    staff = harness.user(900)
    await staff.send("/siaran")
    await staff.send_photo(caption="Poster pelatihan menjahit")
    await staff.tap("🔗 Tautan")
    await staff.send("https://merangin.go.id/pelatihan")
    await staff.send("Lihat jadwal")
    await staff.tap("Lanjut ➡️")
    await staff.tap("Sekarang")
    preview = staff.chat[-2]
    assert preview.photo and preview.caption == "Poster pelatihan menjahit"
    assert preview.inline_keyboard[0][0]["url"] == "https://merangin.go.id/pelatihan"
    await staff.tap("📤 Kirim")
    await harness.wait_for(lambda: len(received(api, person.chat_id or 0)) == 1)
    [copy] = received(api, person.chat_id or 0)
    assert copy.photo and copy.caption == "Poster pelatihan menjahit"
    assert copy.inline_buttons == ["Lihat jadwal"]


async def test_scheduled_send_survives_a_restart(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    api = harness.api
    await facilitator(api, seeded, 900)
    [person] = await crowd(api, seeded, 1)
    staff = harness.user(900)
    await compose(staff, "Pengingat besok")
    await staff.tap("Lanjut ➡️")
    await staff.tap("Nanti")
    await staff.send("kemarin 09.00")
    assert "tidak terbaca" in staff.text
    await staff.send("3/3 09.00")  # Tuesday 3 March 2026, the morning after the clock's now
    assert "Waktu:</b> Selasa, 3 Maret 2026 09.00 WIB" in staff.chat[-1].html
    await staff.tap("📤 Kirim")
    assert "dijadwalkan Selasa, 3 Maret 2026 09.00 WIB" in staff.text
    await harness.restart()
    clock.advance(timedelta(hours=24, minutes=59))
    engine = engine_of(harness.app)
    assert engine is not None
    engine.wake()
    clock.advance(timedelta(minutes=1))
    engine.wake()
    await harness.wait_for(lambda: len(received(api, person.chat_id or 0)) == 1)
    assert received(api, person.chat_id or 0)[0].text == "Pengingat besok"


async def test_a_time_in_the_past_is_asked_again(
    harness: BotHarness, seeded: SessionMaker,
) -> None:
    await facilitator(harness.api, seeded, 900)
    await crowd(harness.api, seeded, 1)
    staff = harness.user(900)
    await compose(staff, "Terlambat")
    await staff.tap("Lanjut ➡️")
    await staff.tap("Nanti")
    await staff.tap("Senin, 2 Maret 2026")  # today; it is 08.00
    await staff.tap("07.00")
    assert staff.text == "Waktu itu sudah lewat. Pilih waktu yang lebih lambat."
    await staff.send("10.30")
    assert "Waktu:</b> Senin, 2 Maret 2026 10.30 WIB" in staff.chat[-1].html


async def test_every_filter_in_the_panel(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    api = harness.api
    await facilitator(api, seeded, 900)
    women = await crowd(api, seeded, 2, desa_code=PASAR_BANGKO, groups=("perempuan",))
    elsewhere = (await places.desa_list(seeded, "15.02.05"))[0].code
    await crowd(api, seeded, 1, first=6000, language="en", groups=("petani",), desa_code=elsewhere)
    async with seeded() as session, session.begin():
        training = Training(
            title="Menjahit", category="menjahit", desa_code=PASAR_BANGKO, kecamatan_code=BANGKO,
            venue="Balai", starts_at=clock() + timedelta(days=3),
            ends_at=clock() + timedelta(days=3, hours=2), capacity=10, organizer="LSM",
            organizer_kind="lsm")
        session.add(training)
        await session.flush()
        session.add(Enrollment(training_id=training.id, member_id=women[0].id,
                               status=EnrollmentStatus.ENROLLED, queued_at=clock()))
        rubber = await session.scalar(select(Commodity).where(Commodity.code == "karet"))
        assert rubber is not None
        session.add(CommodityFollow(member_id=women[1].id, commodity_id=rubber.id))
    staff = harness.user(900)
    await compose(staff, "Untuk yang terpilih")
    assert "4 anggota</b>" in staff.last_reply.html

    async def only(title: str, choice: str, expected: int) -> None:
        await staff.tap(title)
        await staff.tap(choice)
        assert f"<b>{expected} anggota</b>" in staff.last_reply.html, staff.text
        await staff.tap(choice)  # unchoose: back to everyone
        await staff.tap("⬅️ Kembali")

    await staff.tap("🏘 Desa")
    assert "Pilih dulu satu atau beberapa kecamatan" in staff.text
    await staff.tap("⬅️ Kembali")
    await only("👥 Kelompok", "Perempuan", 2)
    await only("🗣 Bahasa", "English", 1)
    await only("📅 Peserta pelatihan", "Menjahit", 1)
    await only("🌾 Pengikut harga", "Karet", 1)
    await staff.tap("📍 Kecamatan")
    await staff.tap("Bangko")
    await staff.tap("⬅️ Kembali")
    await staff.tap("🏘 Desa")
    await staff.tap("Pasar Bangko")
    assert "<b>3 anggota</b>" in staff.last_reply.html  # the facilitator lives there too
    await staff.tap("⬅️ Kembali")
    assert "Desa: Pasar Bangko" in staff.text
    await staff.tap("📍 Kecamatan")
    await staff.tap("✓ Bangko")  # unchoosing the kecamatan drops its desa too
    await staff.tap("⬅️ Kembali")
    assert "Semua anggota aktif" in staff.text and "4 anggota</b>" in staff.last_reply.html


async def test_tampered_panel_buttons_change_nothing(
    harness: BotHarness, seeded: SessionMaker,
) -> None:
    await facilitator(harness.api, seeded, 900)
    staff = harness.user(900)
    await compose(staff, "Uji tombol palsu")
    panel = staff.last_reply.message_id
    await staff.tap_data(panel, "bs.v:k:0:99.99")
    assert staff.sim.callback_answers[-1].text == "Pilihan itu sudah tidak tersedia."
    await staff.tap_data(panel, "bs.v:z:0:x")
    await staff.tap_data(panel, "bs.v:t:0:satu")
    await staff.tap_data(panel, "bs.p:k")
    await staff.tap("⬅️ Kembali")
    assert "Semua anggota aktif" in staff.text


async def test_a_document_with_its_caption(harness: BotHarness, seeded: SessionMaker) -> None:
    api = harness.api
    await facilitator(api, seeded, 900)
    [person] = await crowd(api, seeded, 1)
    staff = harness.user(900)
    await staff.send("/siaran")
    await harness.processed(await staff.sim.send_document("jadwal.pdf", caption="x" * 1025))
    assert staff.text.startswith("Keterangan paling banyak 1.024 huruf")
    await harness.processed(await staff.sim.send_document("jadwal.pdf", caption="Jadwal tanam"))
    await staff.tap("Tanpa tombol")
    await staff.tap("Lanjut ➡️")
    await staff.tap("Sekarang")
    await staff.tap("📤 Kirim")
    await harness.wait_for(lambda: len(received(api, person.chat_id or 0)) == 1)
    [copy] = received(api, person.chat_id or 0)
    assert copy.document["file_name"] == "jadwal.pdf" and copy.caption == "Jadwal tanam"
