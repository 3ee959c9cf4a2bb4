"""`/statistik` end to end: the figures staff read, the PNG chart, drilling down, and refusals."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update

from bot.db import SessionMaker
from models import Member, Role
from tests.support.clock import Clock
from tests.support.harness import BotHarness, TestUser
from tests.support.members import BANGKO_DESA, make_member
from tests.support.statistics import BANGKO, build_programme

KECAMATAN_COUNT = 24
PNG = b"\x89PNG\r\n\x1a\n"
WIB = ZoneInfo("Asia/Jakarta")


def bot_messages(user: TestUser) -> list[Any]:
    return [item for item in user.chat if item.from_bot]


def chart_bytes(harness: BotHarness, item: Any) -> bytes:
    stored = harness.api.files.get(item.photo[-1]["file_id"])
    assert stored is not None
    return bytes(stored.data)


async def limited_facilitator(sessionmaker: SessionMaker, telegram_id: int = 901) -> Member:
    member = await make_member(sessionmaker, telegram_id, "Pak Fasil", role=Role.FACILITATOR)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Member).where(Member.id == member.id)
                              .values(scope_kecamatan=BANGKO))
    return member


async def test_admin_reads_the_figures_and_gets_a_png_chart(
    harness: BotHarness, seeded: SessionMaker,
) -> None:
    await build_programme(seeded)
    admin = harness.user(900)
    await admin.send("/statistik")
    photo, summary = bot_messages(admin)[-2:]
    assert photo.photo, "the chart comes first, as a photo"
    assert chart_bytes(harness, photo).startswith(PNG)
    assert photo.caption == ("📊 Kabupaten Merangin: anggota aktif per wilayah dan pertumbuhan "
                             "per minggu.")
    text = admin.text
    assert summary.text == text and len(text) <= 4096
    assert text.startswith("📊 Statistik Berdaya · Kabupaten Merangin\nPer 2 Mar 2026, 08.00 WIB")
    assert ("👥 Anggota\nAktif: 3 (terdaftar: 4)\nBaru minggu ini (sejak 2 Mar 2026): 1\n"
            "Baru bulan ini (sejak 1 Mar 2026): 2") in text
    assert "📍 Anggota aktif per kecamatan\nBangko: 2\nMuara Siau: 1\n" in text
    assert ("🏷 Anggota aktif per kelompok sasaran\nPetani kecil: 2\n"
            "Buruh migran dan keluarganya: 0\n") in text, "every group, in the programme's order"
    assert "Perempuan/ibu rumah tangga: 1" in text and "Pemuda: 1" in text
    assert ("🎓 Pelatihan selesai dalam 30 hari terakhir\n"
            "Selesai: 1 · kursi terisi: 3 dari 20\n"
            "Kehadiran: 67% (2 dari 3 peserta)\n"
            "Nilai rata-rata: 4,5 ★ (2 penilaian)") in text
    assert ("💰 Laporan harga minggu ini: 2\n"
            "Dari fasilitator: 1 · dari anggota: 1 · menunggu diperiksa: 1") in text
    assert "📣 Siaran bulan ini: 1\nSampai ke 2 dari 4 penerima (50%)" in text
    assert text.endswith("💡 Tips paling banyak dibaca\n1. Sadap karet pagi hari — 3 pembaca\n"
                         "2. Bokar bersih <mutu> — 1 pembaca"), "titles are escaped, not markup"
    units = text.encode("utf-16-le")  # entity offsets count UTF-16 units (an emoji is two)
    bold = [units[2 * e["offset"]:2 * (e["offset"] + e["length"])].decode("utf-16-le")
            for e in summary.entities if e["type"] == "bold"]
    assert "Statistik Berdaya" in bold and "Anggota" in bold
    assert admin.buttons == ["📍 Per kecamatan"]


async def test_drill_down_into_a_kecamatan_and_back(
    harness: BotHarness, seeded: SessionMaker,
) -> None:
    await build_programme(seeded)
    admin = harness.user(900)
    await admin.send("/statistik")
    summary = admin.last_reply
    await admin.tap("📍 Per kecamatan")
    picker = admin.sim.chat_state.get(summary.message_id)
    assert picker is not None and len(picker.inline_buttons) == KECAMATAN_COUNT + 1
    assert picker.inline_buttons[-1] == "◀ Seluruh kabupaten"
    assert "Bangko" in picker.inline_buttons and "Muara Siau" in picker.inline_buttons
    await admin.tap("Bangko")
    photo = bot_messages(admin)[-2]
    assert chart_bytes(harness, photo).startswith(PNG)
    assert photo.caption.startswith("📊 Kecamatan Bangko:")
    text = admin.text
    assert text.startswith("📊 Statistik Berdaya · Kecamatan Bangko")
    assert "Aktif: 2 (terdaftar: 3)" in text
    assert "📍 Anggota aktif per desa\nKungkai: 1\nPasar Bangko: 1\n" in text
    assert "Muara Siau" not in text
    assert "Kehadiran: 67% (2 dari 3 peserta)" in text
    assert "Dari fasilitator: 1 · dari anggota: 0 · menunggu diperiksa: 0" in text
    assert "Sampai ke 2 dari 3 penerima (67%)" in text
    assert "1. Sadap karet pagi hari — 2 pembaca" in text and "Bokar" not in text
    assert admin.buttons == ["◀ Seluruh kabupaten", "📍 Per kecamatan"]
    await admin.tap("◀ Seluruh kabupaten")
    assert admin.text.startswith("📊 Statistik Berdaya · Kabupaten Merangin")
    assert "Aktif: 3 (terdaftar: 4)" in admin.text


async def test_kecamatan_by_name_and_bad_requests(
    harness: BotHarness, seeded: SessionMaker,
) -> None:
    await build_programme(seeded)
    admin = harness.user(900)
    await admin.send("/statistik muara siau")
    assert admin.text.startswith("📊 Statistik Berdaya · Kecamatan Muara Siau")
    assert "Aktif: 1 (terdaftar: 1)" in admin.text
    assert "Kehadiran" not in admin.text and "Belum ada." in admin.text
    await admin.send("/statistik <b>Atlantis</b>")
    assert admin.text == ("Saya tidak kenal kecamatan “<b>Atlantis</b>”. Kirim /statistik lalu "
                          "pilih dari daftar.")
    before = len(bot_messages(admin))
    message_id = admin.last_reply.message_id
    for forged in ("ss.k:15.02.02.1010", "ss.k:15.02", "ss.k:x'--"):
        await admin.tap_data(message_id, forged)
        answer = admin.sim.callback_answers[-1]
        assert (answer.text, answer.show_alert) == ("Kecamatan itu tidak ada dalam daftar.", True)
    for malformed in ("ss.k", "ss.k:15.02.02:extra"):
        await admin.tap_data(message_id, malformed)
        assert admin.sim.callback_answers[-1].text is None
    assert len(bot_messages(admin)) == before, "nothing sent for a bad button"


async def test_member_is_refused(harness: BotHarness, seeded: SessionMaker) -> None:
    await build_programme(seeded)
    ani = harness.user(1001)
    await ani.send("/statistik")
    assert ani.text == "Maaf, fitur ini hanya untuk fasilitator program."
    refusal = ani.last_reply
    await ani.tap_data(refusal.message_id, "ss.k:15.02.02")
    await ani.tap_data(refusal.message_id, "ss.p")
    answer = ani.sim.callback_answers[-1]
    assert (answer.text, answer.show_alert) == (
        "Maaf, fitur ini hanya untuk fasilitator program.", True)
    assert bot_messages(ani) == [refusal], "no figures, no chart"


async def test_limited_facilitator_sees_only_their_kecamatan(
    harness: BotHarness, seeded: SessionMaker,
) -> None:
    await build_programme(seeded)
    await limited_facilitator(seeded)
    fasil = harness.user(901)
    await fasil.send("/statistik")
    photo = bot_messages(fasil)[-2]
    assert chart_bytes(harness, photo).startswith(PNG)
    text = fasil.text
    assert text.startswith("📊 Statistik Berdaya · Kecamatan Bangko")
    assert "Aktif: 2 (terdaftar: 3)" in text and "Muara Siau" not in text
    assert fasil.last_reply.inline_buttons == [], "no picker for a limited facilitator"
    shown = len(bot_messages(fasil))

    await fasil.send("/statistik Muara Siau")
    assert fasil.text == "Anda hanya dapat melihat angka kecamatan Bangko."
    message_id = fasil.last_reply.message_id
    for stale in ("ss.k:15.02.03", "ss.p"):
        await fasil.tap_data(message_id, stale)
        answer = fasil.sim.callback_answers[-1]
        assert (answer.text, answer.show_alert) == (
            "Anda hanya dapat melihat angka kecamatan Bangko.", True)
    assert len(bot_messages(fasil)) == shown + 1, "only the typed refusal"

    await fasil.tap_data(message_id, "ss.a")
    assert fasil.text.startswith("📊 Statistik Berdaya · Kecamatan Bangko"), (
        "an old 'whole kabupaten' button shows their own kecamatan")
    await fasil.send("/statistik bangko")
    assert fasil.text.startswith("📊 Statistik Berdaya · Kecamatan Bangko")


async def test_empty_programme_gives_zeros(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 900, "Bu Admin", role=Role.ADMIN, desa_code=BANGKO_DESA)
    admin = harness.user(900)
    await admin.send("/statistik")
    photo = bot_messages(admin)[-2]
    assert chart_bytes(harness, photo).startswith(PNG)
    text = admin.text
    assert "Aktif: 0 (terdaftar: 0)" in text and "Baru minggu ini (sejak 2 Mar 2026): 0" in text
    assert "📍 Anggota aktif per kecamatan\nBelum ada anggota aktif." in text
    assert "Petani kecil: 0" in text
    assert "🎓 Pelatihan selesai dalam 30 hari terakhir\nBelum ada." in text
    assert "💰 Laporan harga minggu ini: 0" in text
    assert "📣 Siaran bulan ini: 0\n" in text and "penerima" not in text
    assert text.endswith("Belum ada tips yang dibaca.")


async def test_english_for_an_english_speaking_admin(
    harness: BotHarness, seeded: SessionMaker,
) -> None:
    await make_member(seeded, 900, "Admin", role=Role.ADMIN, language="en")
    admin = harness.user(900, language_code="en")
    await admin.send("/statistik")
    assert admin.text.startswith("📊 Berdaya statistics · Kabupaten Merangin\nAs of 2 Mar 2026")
    assert "Active: 0 (registered: 0)" in admin.text and "Small farmer: 0" in admin.text
    assert admin.buttons == ["📍 Per kecamatan"]


async def test_weeks_and_months_follow_the_clock(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    await build_programme(seeded)
    admin = harness.user(900)
    clock.set(datetime(2026, 3, 9, 0, 5, tzinfo=WIB))  # Monday of the next week, 00.05 WIB
    await admin.send("/statistik")
    assert "Baru minggu ini (sejak 9 Mar 2026): 0\nBaru bulan ini (sejak 1 Mar 2026): 2" in (
        admin.text)
    assert "💰 Laporan harga minggu ini: 0" in admin.text
    assert "📣 Siaran bulan ini: 1\n" in admin.text
    clock.set(datetime(2026, 4, 1, 8, tzinfo=WIB))
    await admin.send("/statistik")
    text = admin.text
    assert "Baru bulan ini (sejak 1 Apr 2026): 0" in text and "📣 Siaran bulan ini: 0" in text
    assert ("Selesai: 1 · kursi terisi: 1 dari 20\nKehadiran: 0% (0 dari 1 peserta)\n"
            "Belum ada penilaian.") in text, "25 February is out of the window, 5 March is in"
