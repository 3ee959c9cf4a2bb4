"""The programme report workbook: sheets, headers, values, privacy, scope, refusals, audit."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.db import SessionMaker
from bot.services import audit
from bot.services import report_rows as rows
from bot.services.places import find_kecamatan
from bot.services.report_period import Problem, ReportRefused
from bot.services.report_workbook import ReportResult, export_report
from bot.services.scope import OutOfScope
from models import Member, Role
from models.audit import AuditEntry
from tests.support.members import make_member
from tests.support.reports import (
    AFTER_MARCH,
    MARCH,
    PHONE_RAHMAT,
    PHONE_SITI,
    Programme,
    build_programme,
    member,
    open_book,
    records,
    sheet_rows,
)
from tests.support.trainings import BANGKO, KUNGKAI, MUARA_SIAU, WIB, at

SHEETS = ["Keterangan", "Anggota", "Pelatihan", "Kehadiran", "Harga", "Siaran"]


async def export(sessionmaker: SessionMaker, actor: Member | None, *,
                 period: tuple[date, date] = MARCH, kecamatan: str | None = None,
                 contacts: bool = False, now: datetime = AFTER_MARCH
                 ) -> tuple[Any, ReportResult]:
    out = io.BytesIO()
    result = await export_report(sessionmaker, start=period[0], end=period[1], actor=actor,
                                 kecamatan=kecamatan, contacts=contacts, now=now, tz=WIB, out=out)
    return open_book(out.getvalue()), result


@pytest.fixture
async def programme(seeded: SessionMaker) -> Programme:
    return await build_programme(seeded)


async def test_admin_report_holds_every_sheet_with_values(
    seeded: SessionMaker, programme: Programme,
) -> None:
    book, result = await export(seeded, programme.admin, contacts=True)
    assert book.sheetnames == SHEETS
    assert result.counts == {"Anggota": 6, "Pelatihan": 2, "Kehadiran": 4, "Harga": 3,
                             "Siaran": 2}

    members = {r["Nama"]: r for r in records(book["Anggota"])}
    assert sheet_rows(book["Anggota"])[0] == [
        "ID anggota", "Nama", "Desa/Kelurahan", "Kecamatan", "Kelompok", "Bahasa", "Peran",
        "Status", "Terdaftar pada", "Versi persetujuan", "Telepon"]
    assert set(members) == {"Pak Admin", "Bu Fasilitator", "Pak Terbatas", "Siti Aminah",
                            "Rahmat", "Kelompok Usaha =SUM(1;2)"}
    siti = members["Siti Aminah"]
    assert siti["ID anggota"] == programme.siti.id
    assert (siti["Desa/Kelurahan"], siti["Kecamatan"]) == ("Kungkai", "Bangko")
    assert siti["Kelompok"] == "Petani kecil, Perempuan/ibu rumah tangga"
    assert (siti["Bahasa"], siti["Peran"], siti["Status"]) == ("Indonesia", "Anggota", "Aktif")
    assert siti["Terdaftar pada"] == datetime(2026, 2, 10, 9, 0)
    assert siti["Telepon"] == PHONE_SITI
    assert members["Rahmat"]["Telepon"] == PHONE_RAHMAT
    assert members["Rahmat"]["Kecamatan"] == "Muara Siau"
    assert members["Rahmat"]["Bahasa"] == "Inggris"
    assert members["Pak Admin"]["Peran"] == "Admin"
    assert book["Anggota"]["I2"].number_format == "dd/mm/yyyy hh:mm"
    assert book["Anggota"]["A1"].font.b and book["Anggota"].freeze_panes == "A2"
    assert book["Anggota"].column_dimensions["B"].width == 28

    trainings = {r["Judul"]: r for r in records(book["Pelatihan"])}
    sewing = trainings["Menjahit Pakaian Dasar"]
    assert sewing["ID pelatihan"] == programme.bangko_training
    assert (sewing["Kecamatan"], sewing["Desa/Kelurahan"]) == ("Bangko", "Kungkai")
    assert sewing["Mulai"] == datetime(2026, 3, 5, 9, 0)
    assert (sewing["Kuota"], sewing["Terdaftar"], sewing["Daftar tunggu"], sewing["Hadir"]) \
        == (2, 2, 1, 2)
    assert sewing["Tingkat kehadiran"] == 1
    assert (sewing["Rata-rata nilai"], sewing["Jumlah penilai"]) == (3, 2)
    assert (sewing["Kategori"], sewing["Status"]) == ("Menjahit", "Terbit")
    fish = trainings["Budidaya Ikan Nila"]
    assert (fish["Terdaftar"], fish["Hadir"], fish["Tingkat kehadiran"]) == (1, 0, 0)
    assert fish["Rata-rata nilai"] is None

    attendance = records(book["Kehadiran"])
    by_name = {r["Nama"]: r for r in attendance if r["ID pelatihan"] == programme.bangko_training}
    assert by_name["Siti Aminah"]["Status pendaftaran"] == "Terdaftar"
    assert (by_name["Siti Aminah"]["Hadir"], by_name["Siti Aminah"]["Nilai"]) == ("Ya", 4)
    assert by_name["Rahmat"]["Status pendaftaran"] == "Daftar tunggu"
    assert by_name["Rahmat"]["Hadir"] == "Tidak"
    erased = by_name["(data dihapus)"]
    assert erased["ID anggota"] is None and (erased["Hadir"], erased["Nilai"]) == ("Ya", 2)

    prices = records(book["Harga"])
    assert [(p["Tanggal"], p["Komoditas"], p["Harga (Rp)"]) for p in prices] == [
        (datetime(2026, 3, 3), "Karet", 14000), (datetime(2026, 3, 4), "Cabai merah", 45000),
        (datetime(2026, 3, 5), "TBS sawit", 3100)]
    rubber = prices[0]
    assert (rubber["Mutu"], rubber["Tingkat harga"], rubber["Kecamatan"]) == (
        "KKK 50%", "Petani", "Bangko")
    assert (rubber["Satuan"], rubber["Sumber"], rubber["Pelapor"], rubber["Status"]) == (
        "per kg", "Fasilitator Berdaya", "Fasilitator", "Terbit")
    assert prices[2]["Kecamatan"] is None and prices[2]["Tempat"] == "Disbun Provinsi Jambi"
    assert book["Harga"]["A2"].number_format == "dd/mm/yyyy"

    broadcasts = records(book["Siaran"])
    first, second = broadcasts
    assert first["Dikirim pada"] == datetime(2026, 3, 6, 9, 0)
    assert (first["Pengirim"], first["Sasaran"], first["Isi pesan"]) == (
        "Bu Fasilitator", "Semua anggota aktif", "Pelatihan menjahit besok")
    assert (first["Penerima"], first["Terkirim"], first["Gagal"], first["Dilewati"],
            first["Status"]) == (4, 2, 1, 1, "Selesai")
    assert second["Sasaran"] == "Kecamatan: Muara Siau; Kelompok: Pemuda"
    assert (second["Penerima"], second["Terkirim"]) == (1, 1)


async def test_guide_explains_period_scope_and_columns(
    seeded: SessionMaker, programme: Programme,
) -> None:
    book, _ = await export(seeded, programme.admin, contacts=True)
    guide = {row[0]: row[1] for row in sheet_rows(book["Keterangan"]) if row and row[0]}
    assert guide["Periode"] == "1 Maret 2026 sampai 31 Maret 2026"
    assert guide["Cakupan"] == "Seluruh Kabupaten Merangin"
    assert guide["Dibuat pada"] == datetime(2026, 4, 1, 10, 0)
    assert guide["Nomor telepon"].startswith("Dicantumkan")
    assert guide["Anggota baru"] == "1 anggota mendaftar dalam periode ini."
    assert guide["Telepon"].startswith("Nomor telepon yang diberikan anggota")
    assert guide["Tingkat kehadiran"].startswith("Hadir dibagi terdaftar")
    for header in ("Lembar Anggota", "Lembar Pelatihan", "Lembar Kehadiran", "Lembar Harga",
                   "Lembar Siaran"):
        assert header in guide
    assert "Catatan" not in guide


async def test_no_phone_numbers_without_asking_or_for_facilitators(
    seeded: SessionMaker, programme: Programme,
) -> None:
    book, _ = await export(seeded, programme.admin)
    assert "Telepon" not in sheet_rows(book["Anggota"])[0]
    assert PHONE_SITI not in str(sheet_rows(book["Anggota"]))
    book, _ = await export(seeded, programme.facilitator)
    assert "Telepon" not in sheet_rows(book["Anggota"])[0]
    with pytest.raises(ReportRefused) as refused:
        await export(seeded, programme.facilitator, contacts=True)
    assert refused.value.problem is Problem.CONTACTS_NOT_ALLOWED


async def test_limited_facilitator_gets_only_their_kecamatan(
    seeded: SessionMaker, programme: Programme,
) -> None:
    book, result = await export(seeded, programme.limited)
    assert result.kecamatan == MUARA_SIAU
    assert {r["Nama"] for r in records(book["Anggota"])} == {"Pak Terbatas", "Rahmat"}
    assert [r["Judul"] for r in records(book["Pelatihan"])] == ["Budidaya Ikan Nila"]
    assert [(r["Pelatihan"], r["Nama"]) for r in records(book["Kehadiran"])] == [
        ("Budidaya Ikan Nila", "Rahmat")]
    assert [r["Komoditas"] for r in records(book["Harga"])] == ["Cabai merah"]
    siaran = records(book["Siaran"])
    assert [(r["Penerima"], r["Terkirim"], r["Gagal"]) for r in siaran] == [(1, 0, 1), (1, 1, 0)]
    guide = {row[0]: row[1] for row in sheet_rows(book["Keterangan"]) if row and row[0]}
    assert guide["Cakupan"] == "Kecamatan Muara Siau (15.02.03)"
    assert "hanya memuat anggota yang tinggal di kecamatan ini" in guide["Satu kecamatan"]
    with pytest.raises(OutOfScope):
        await export(seeded, programme.limited, kecamatan=BANGKO)


async def test_unlimited_staff_may_choose_a_kecamatan(
    seeded: SessionMaker, programme: Programme,
) -> None:
    book, _ = await export(seeded, programme.facilitator, kecamatan=BANGKO)
    names = {r["Nama"] for r in records(book["Anggota"])}
    assert names == {"Pak Admin", "Bu Fasilitator", "Siti Aminah", "Kelompok Usaha =SUM(1;2)"}
    attendees = {r["Nama"] for r in records(book["Kehadiran"])}
    assert attendees == {"Siti Aminah"}  # Rahmat lives in Muara Siau; Ana's desa is erased
    sewing = records(book["Pelatihan"])[0]
    assert (sewing["Daftar tunggu"], sewing["Hadir"]) == (1, 2)  # …but both are counted
    with pytest.raises(ReportRefused) as refused:
        await export(seeded, programme.admin, kecamatan=KUNGKAI)  # a desa, not a kecamatan
    assert refused.value.problem is Problem.UNKNOWN_KECAMATAN


async def test_text_is_never_a_formula_nor_broken(seeded: SessionMaker,
                                                  programme: Programme) -> None:
    book, _ = await export(seeded, programme.admin)
    cell = next(row[1] for row in book["Anggota"].iter_rows(min_row=2)
                if str(row[1].value).startswith("Kelompok Usaha"))
    assert cell.value == "Kelompok Usaha =SUM(1;2)" and cell.data_type == "s"
    formula_named = await member(seeded, 5100, "=HYPERLINK(\"http://x\")", at(4, 9),
                                 desa_code=KUNGKAI)
    book, _ = await export(seeded, programme.admin)
    cell = next(row[1] for row in book["Anggota"].iter_rows(min_row=2)
                if row[0].value == formula_named.id)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"
    bell = await member(seeded, 5101, "Budi\x07 Santoso", at(4, 9), desa_code=KUNGKAI)
    book, _ = await export(seeded, programme.admin)
    assert next(row[1] for row in book["Anggota"].iter_rows(min_row=2, values_only=True)
                if row[0] == bell.id) == "Budi Santoso"


@pytest.mark.parametrize(("period", "problem"), [
    ((date(2026, 3, 31), date(2026, 3, 1)), Problem.REVERSED),
    ((date(2026, 4, 2), date(2026, 4, 30)), Problem.FUTURE),
    ((date(2025, 1, 1), date(2026, 3, 31)), Problem.TOO_LONG),
])
async def test_bad_periods_are_refused(seeded: SessionMaker, period: tuple[date, date],
                                       problem: Problem) -> None:
    admin = await make_member(seeded, 9001, "Pak Admin", role=Role.ADMIN)
    with pytest.raises(ReportRefused) as refused:
        await export(seeded, admin, period=period)
    assert refused.value.problem is problem


async def test_members_may_not_export(seeded: SessionMaker) -> None:
    villager = await make_member(seeded, 5001)
    with pytest.raises(ReportRefused) as refused:
        await export(seeded, villager)
    assert refused.value.problem is Problem.NOT_ALLOWED
    async with seeded() as session:
        assert await session.scalar(select(AuditEntry)) is None


async def test_empty_period_gives_headers_and_a_note(seeded: SessionMaker) -> None:
    book, result = await export(seeded, None, period=(date(2026, 1, 1), date(2026, 1, 31)))
    assert result.is_empty and book.sheetnames == SHEETS
    for name in SHEETS[1:]:
        assert len(sheet_rows(book[name])) == 1
    assert sheet_rows(book["Pelatihan"])[0][:3] == ["ID pelatihan", "Judul", "Kategori"]
    guide = {row[0]: row[1] for row in sheet_rows(book["Keterangan"]) if row and row[0]}
    assert guide["Catatan"].startswith("Tidak ada data untuk periode dan cakupan ini")


async def test_every_export_is_audited(seeded: SessionMaker, programme: Programme) -> None:
    await export(seeded, programme.admin, contacts=True, kecamatan=BANGKO)
    await export(seeded, None)
    entries = [e for e in await audit.entries(seeded) if e.action == "report.exported"]
    assert len(entries) == 2
    cli, chat = sorted(entries, key=lambda e: e.actor_id or 0)
    assert chat.actor_id == programme.admin.id and chat.actor_role == "admin"
    assert chat.details == {"from": "2026-03-01", "to": "2026-03-31", "kecamatan": BANGKO,
                            "contacts": True, "rows": {"members": 4, "trainings": 1,
                                                       "attendance": 1, "prices": 1,
                                                       "broadcasts": 1}}
    assert cli.actor_id is None and cli.actor_role == "cli"
    assert cli.details["rows"]["members"] == 6 and cli.details["contacts"] is False


async def test_members_are_read_in_chunks(seeded: SessionMaker, programme: Programme,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows, "CHUNK", 2)
    book, _ = await export(seeded, programme.admin)
    listed = records(book["Anggota"])
    assert len(listed) == 6
    assert [r["ID anggota"] for r in listed] == sorted(r["ID anggota"] for r in listed)
    siti = next(r for r in listed if r["Nama"] == "Siti Aminah")
    assert siti["Kelompok"] == "Petani kecil, Perempuan/ibu rumah tangga"


async def test_find_kecamatan_by_code_or_name(seeded: SessionMaker) -> None:
    for text in ("15.02.02", "Bangko", "bangko", "Kecamatan Bangko", "Kec. Bangko"):
        found = await find_kecamatan(seeded, text)
        assert found is not None and found.code == BANGKO, text
    assert await find_kecamatan(seeded, "Atlantis") is None
    assert await find_kecamatan(seeded, KUNGKAI) is None

