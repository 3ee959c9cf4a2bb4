"""`/ekspor` end to end: periods, kecamatan, phone numbers, typed ranges, refusals, the file."""

from __future__ import annotations

from typing import Any

import pytest

from bot.db import SessionMaker
from bot.services import audit
from models import Role
from tests.support.clock import Clock
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.reports import (
    AFTER_MARCH,
    PHONE_SITI,
    Programme,
    build_programme,
    open_book,
    records,
    sheet_rows,
)

MARCH_FILE = "berdaya-laporan-2026-03-01_2026-03-31.xlsx"
PERIODS = ["Bulan ini", "Bulan lalu", "3 bulan terakhir", "Tahun ini", "✏️ Ketik tanggal sendiri"]


@pytest.fixture
async def programme(harness: BotHarness, seeded: SessionMaker, clock: Clock) -> Programme:
    built = await build_programme(seeded)
    clock.set(AFTER_MARCH)
    for telegram_id in (9001, 9002, 9003):
        harness.api.user(telegram_id).chat_state.started = True
    return built


def workbook(harness: BotHarness, user: TestUser, name: str = MARCH_FILE) -> Any:
    document = user.last_reply.document
    assert document is not None and document["file_name"] == name
    return open_book(harness.api.files.get(document["file_id"]).data)


async def test_admin_chooses_period_area_and_phone_numbers(
    harness: BotHarness, seeded: SessionMaker, programme: Programme,
) -> None:
    admin = harness.user(9001)
    await admin.send("/ekspor")
    assert admin.text == "📊 Laporan program (Excel)\nUntuk periode kapan?"
    assert admin.buttons == PERIODS
    await admin.tap("Bulan lalu")
    assert admin.text == ("📊 Laporan 1 Mar 2026 – 31 Mar 2026\nUntuk seluruh kabupaten atau "
                          "satu kecamatan?")
    assert admin.buttons[:3] == ["🗺 Seluruh kabupaten", "Bangko", "Bangko Barat"]
    assert len(admin.buttons) == 25
    await admin.tap("🗺 Seluruh kabupaten")
    assert admin.text.startswith("Sertakan nomor telepon anggota?")
    await admin.tap("🔒 Dengan nomor telepon")
    assert admin.text.splitlines() == [
        "📊 Laporan program 1 Mar 2026 – 31 Mar 2026", "Seluruh kabupaten",
        "Anggota: 6 · Pelatihan: 2 · Kehadiran: 4 · Harga: 3 · Siaran: 2",
        "🔒 Berisi nomor telepon: simpan berkas ini dengan aman dan jangan disebarkan.",
        "Lembar \"Keterangan\" menjelaskan setiap kolom."]
    book = workbook(harness, admin)
    assert book.sheetnames == ["Keterangan", "Anggota", "Pelatihan", "Kehadiran", "Harga",
                               "Siaran"]
    siti = next(r for r in records(book["Anggota"]) if r["Nama"] == "Siti Aminah")
    assert siti["Telepon"] == PHONE_SITI
    assert admin.chat[-2].text == "📊 Laporan 1 Mar 2026 – 31 Mar 2026: berkasnya ada di bawah ini."
    [entry] = [e for e in await audit.entries(seeded) if e.action == "report.exported"]
    assert entry.actor_id == programme.admin.id
    assert entry.details["contacts"] is True and entry.details["kecamatan"] is None


async def test_facilitator_picks_a_kecamatan_and_gets_no_phone_numbers(
    harness: BotHarness, programme: Programme,
) -> None:
    staff = harness.user(9002)
    await staff.send("/ekspor")
    await staff.tap("Bulan lalu")
    await staff.tap("Bangko")
    assert "Kecamatan Bangko" in staff.text and "Berisi nomor telepon" not in staff.text
    book = workbook(harness, staff)
    assert "Telepon" not in sheet_rows(book["Anggota"])[0]
    assert {r["Kecamatan"] for r in records(book["Anggota"])} == {"Bangko"}


async def test_tampered_phone_number_button_is_refused(
    harness: BotHarness, programme: Programme,
) -> None:
    staff = harness.user(9002)
    await staff.send("/ekspor")
    await staff.tap_data(staff.chat[-1].message_id, "ex.c:20260301:20260331:-:1")
    assert staff.text == ("⚠️ Maaf, hanya admin program yang boleh mengunduh nomor telepon "
                          "anggota.")
    assert all(item.document is None for item in staff.chat)


async def test_limited_facilitator_gets_their_kecamatan_only(
    harness: BotHarness, programme: Programme,
) -> None:
    limited = harness.user(9003)
    await limited.send("/ekspor")
    await limited.tap("Bulan lalu")
    assert "Kecamatan Muara Siau" in limited.text
    book = workbook(harness, limited)
    assert {r["Nama"] for r in records(book["Anggota"])} == {"Pak Terbatas", "Rahmat"}
    await limited.send("/ekspor")
    await limited.tap_data(limited.chat[-1].message_id, "ex.k:20260301:20260331:15.02.02")
    assert limited.text == ("⚠️ Anda hanya dapat mengunduh laporan untuk kecamatan Anda "
                            "sendiri, Muara Siau.")
    await limited.tap_data(limited.chat[-1].message_id, "ex.k:20260301:20260331:-")
    assert "Kecamatan Muara Siau" in limited.text  # "everything" narrows to their kecamatan


async def test_typed_range_is_explained_until_it_is_right(
    harness: BotHarness, programme: Programme,
) -> None:
    limited = harness.user(9003)
    await limited.send("/ekspor")
    await limited.tap("✏️ Ketik tanggal sendiri")
    assert limited.text.startswith("✏️ Ketik periodenya, misalnya 1/11/2026 - 30/11/2026")
    await limited.send("31/3/2026 - 1/3/2026")
    assert limited.text == ("⚠️ Tanggal pertama jatuh sesudah tanggal kedua. Tolong ketik "
                            "tanggal yang lebih awal dulu.\nKetik periodenya lagi, atau kirim "
                            "/batal untuk berhenti.")
    await limited.send("1/5/2026 - 31/5/2026")
    assert limited.text.startswith("⚠️ Periode itu belum dimulai.")
    await limited.send("1/1/2025 - 31/3/2026")
    assert limited.text.startswith("⚠️ Satu laporan paling lama mencakup 366 hari")
    await limited.send("bulan kemarin")
    assert limited.text.startswith("⚠️ Tanggalnya tidak terbaca.")
    await limited.send_sticker()
    assert limited.text.startswith("Tolong ketik periodenya sebagai teks")
    await harness.restart()
    await limited.send("1 Maret 2026 - 31 Maret 2026")
    assert limited.text.startswith("📊 Laporan program 1 Mar 2026 – 31 Mar 2026")
    workbook(harness, limited)
    await limited.send("1/3/2026 - 31/3/2026")  # the typed step is over: no second report
    assert [item.document is not None for item in limited.chat].count(True) == 1


async def test_typed_range_then_buttons_and_a_note_when_empty(
    harness: BotHarness, programme: Programme,
) -> None:
    admin = harness.user(9001)
    await admin.send("/ekspor")
    await admin.tap("✏️ Ketik tanggal sendiri")
    await admin.send("1/1/2026 - 31/1/2026")
    assert admin.text.startswith("📊 Laporan 1 Jan 2026 – 31 Jan 2026\nUntuk seluruh kabupaten")
    await admin.tap("🗺 Seluruh kabupaten")
    await admin.tap("Tanpa nomor telepon")
    assert "Tidak ada data pada periode ini: lembar-lembarnya hanya berisi judul kolom." \
        in admin.text
    book = workbook(harness, admin, "berdaya-laporan-2026-01-01_2026-01-31.xlsx")
    assert all(len(sheet_rows(book[name])) == 1
               for name in ("Anggota", "Pelatihan", "Kehadiran", "Harga", "Siaran"))


async def test_cancelling_the_typed_step(harness: BotHarness, programme: Programme) -> None:
    staff = harness.user(9002)
    await staff.send("/ekspor")
    await staff.tap("✏️ Ketik tanggal sendiri")
    await staff.send("/batal")
    assert staff.text == "Baik, tidak jadi membuat laporan."


async def test_members_are_refused_politely(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 5001)
    villager = harness.user(5001)
    await villager.send("/ekspor")
    assert villager.text == "Maaf, fitur ini hanya untuk fasilitator program."
    await villager.send("/start")
    await villager.tap_data(villager.chat[-1].message_id, "ex.p:20260301:20260331")
    assert villager.sim.callback_answers[-1].text == \
        "Maaf, fitur ini hanya untuk fasilitator program."


async def test_english_speaking_staff_read_english(harness: BotHarness, seeded: SessionMaker,
                                                   clock: Clock) -> None:
    await make_member(seeded, 9010, "Ms Admin", role=Role.ADMIN, language="en")
    clock.set(AFTER_MARCH)
    admin = harness.user(9010)
    await admin.send("/ekspor")
    assert admin.buttons[:2] == ["This month", "Last month"]
    await admin.tap("Last month")
    await admin.tap("Bangko")
    await admin.tap("Without phone numbers")
    assert admin.text.splitlines()[:2] == ["📊 Programme report 1 Mar 2026 – 31 Mar 2026",
                                           "Kecamatan Bangko"]
