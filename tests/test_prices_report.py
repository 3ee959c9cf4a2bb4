"""/lapor_harga and /tinjau_harga end to end: facilitators record prices and review reports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.db import SessionMaker
from bot.services import prices
from bot.services.prices_report import report_offer
from models import Role
from models.price import Price, PriceAudit, PriceStatus
from tests.support.clock import START
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.prices import TODAY, put_price


async def facilitator(harness: BotHarness, sessionmaker: SessionMaker) -> TestUser:
    await make_member(sessionmaker, 3001, "Dewi", role=Role.FACILITATOR)
    return harness.user(3001)


async def report_robusta(dewi: TestUser, price: str) -> None:
    await dewi.send("/lapor_harga")
    assert "Catat harga." in dewi.text
    await dewi.send("kopii robusta")
    assert dewi.text == "Kopi robusta: Mutu yang mana?"
    await dewi.tap("asalan")
    assert "Harga ini dari mana?" in dewi.text
    await dewi.tap("Pasar Baru Bangko")
    assert dewi.text == "Di Pasar Baru Bangko, harga yang mana?"
    await dewi.tap("grosir")
    assert "Berapa harganya per kg?" in dewi.text
    await dewi.send(price)


async def stored(sessionmaker: SessionMaker) -> list[tuple[Decimal, str, str]]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(Price).order_by(Price.id))
        return [(p.value, p.quality, p.level) for p in rows]


async def test_record_then_replace_with_audit(harness: BotHarness, seeded: SessionMaker) -> None:
    dewi = await facilitator(harness, seeded)
    await report_robusta(dewi, "Rp 62rb")
    summary = dewi.text
    assert "Periksa dulu harganya" in summary
    assert "Komoditas: Kopi robusta asalan" in summary
    assert "Tempat: Pasar Baru Bangko" in summary and "Tingkat: grosir" in summary
    assert "Harga: Rp62.000 per kg" in summary and "Tanggal: Senin, 2 Maret 2026" in summary
    await dewi.tap("✅ Simpan")
    assert dewi.text.startswith("✅ Tersimpan: Kopi robusta asalan di Pasar Baru Bangko, "
                                "Rp62.000 per kg, 2 Mar 2026.")
    await dewi.tap("➕ Catat harga lain")
    await dewi.tap("Kopi robusta")
    await dewi.tap("asalan")
    await dewi.send("pasar baru bangko")
    await dewi.tap("grosir")
    await dewi.send("63.500")
    assert "Untuk hari itu sudah tercatat Rp62.000; laporan ini akan menggantinya" in dewi.text
    await dewi.tap("✅ Simpan")
    assert "Menggantikan Rp62.000." in dewi.text
    assert await stored(seeded) == [(Decimal(63500), "asalan", "grosir")]
    async with seeded() as session:
        audit = (await session.scalars(select(PriceAudit))).one()
    assert (audit.old_value, audit.new_value, audit.action) == (
        Decimal(62000), Decimal(63500), "replaced")


async def test_farm_gate_yesterday_and_typed_place(harness: BotHarness,
                                                   seeded: SessionMaker) -> None:
    dewi = await facilitator(harness, seeded)
    await dewi.send("/lapor_harga")
    await dewi.tap("Kayu manis")
    await dewi.tap("🌾 Tingkat petani di kecamatan lain")
    await dewi.tap("Kec. Jangkat")
    assert "Berapa harganya per kg?" in dewi.text, "a farm gate has one level"
    await dewi.send("56 ribu")
    await dewi.tap("Kemarin")
    assert "Tanggal: Minggu, 1 Maret 2026" in dewi.text
    await dewi.tap("✅ Simpan")
    async with seeded() as session:
        price = (await session.scalars(select(Price))).one()
    assert (price.value, price.observed_on, price.level) == (
        Decimal(56000), TODAY - timedelta(days=1), "produsen")


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("0", "Harga tidak boleh nol."),
        ("-62000", "Harga tidak boleh minus."),
        ("enam puluh ribu", "Saya tidak bisa membaca harga dari “enam puluh ribu”."),
        ("62rb/liter", "Harga Kopi robusta dihitung per kg, bukan per liter."),
    ],
)
async def test_bad_prices_are_asked_again(harness: BotHarness, seeded: SessionMaker,
                                          typed: str, answer: str) -> None:
    dewi = await facilitator(harness, seeded)
    await report_robusta(dewi, typed)
    assert dewi.text.startswith(answer)
    await dewi.send("62.000")
    assert "Periksa dulu harganya" in dewi.text


async def test_absurd_price_needs_an_extra_yes(harness: BotHarness, seeded: SessionMaker) -> None:
    for back, value in ((3, 61000), (2, 62000), (1, 61500)):
        await put_price(seeded, "kopi_robusta", "pasar-baru-bangko", value,
                        TODAY - timedelta(days=back), level="grosir", quality="asalan")
    dewi = await facilitator(harness, seeded)
    await report_robusta(dewi, "6.200.000")
    assert "lebih dari sepuluh kali lipat dari harga biasanya, sekitar Rp61.500" in dewi.text
    await dewi.tap("Bukan, ketik ulang")
    await dewi.send("62.000")
    assert "Periksa dulu harganya" in dewi.text
    await dewi.tap("✏️ Ubah harga")
    await dewi.send("6.000")
    await dewi.tap("Ya, benar")
    assert "Harga: Rp6.000 per kg" in dewi.text


async def test_unknown_commodity_and_place(harness: BotHarness, seeded: SessionMaker) -> None:
    dewi = await facilitator(harness, seeded)
    await dewi.send("/lapor_harga")
    await dewi.send("krt")
    assert dewi.text == "Saya belum kenal “krt”. Maksud Anda:"
    await dewi.tap("Karet")
    await dewi.tap("Tanpa mutu")
    await dewi.send("Pasar Mars")
    assert dewi.text.startswith("Saya belum kenal tempat “Pasar Mars”.")
    await dewi.send("/batal")
    assert dewi.text == "Dibatalkan."
    assert await stored(seeded) == []


async def test_members_cannot_record_prices(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    siti = harness.user(1001)
    await siti.send("/lapor_harga")
    assert siti.text == "Maaf, fitur ini hanya untuk fasilitator program."
    await siti.send("/tinjau_harga")
    assert siti.text == "Maaf, fitur ini hanya untuk fasilitator program."


async def test_review_of_held_members_reports(harness: BotHarness, seeded: SessionMaker) -> None:
    catalogue = await prices.load_catalogue(seeded)
    rubber, farm = catalogue.by_code("karet"), catalogue.farm_gate("15.02.02")
    assert rubber and farm
    for index, value in enumerate((14000, 14100, 13900, 45000, 2000)):
        member = await make_member(seeded, 1001 + index, f"Petani {index}")
        await report_offer(seeded, commodity_id=rubber.id, quality="", value=Decimal(value),
                           place=farm, member_id=member.id, today=TODAY, now=START)
    dewi = await facilitator(harness, seeded)
    await dewi.send("/lapor_harga")
    assert "(2 laporan warga menunggu Anda periksa: /tinjau_harga)" in dewi.text
    await dewi.send("/tinjau_harga")
    assert "🔎 2 laporan menunggu diperiksa." in dewi.text
    assert "Karet di Kec. Bangko: Rp45.000 per kg, dilaporkan 2 Mar 2026." in dewi.text
    await dewi.tap("✅ Tampilkan")
    assert "Rp2.000" in dewi.text
    await dewi.tap("🗑 Tolak")
    assert dewi.text == "✅ Tidak ada laporan warga yang menunggu diperiksa."
    async with seeded() as session:
        statuses = (await session.scalars(
            select(Price.status).where(Price.value.in_([45000, 2000])).order_by(Price.value)
        )).all()
        actions = (await session.scalars(select(PriceAudit.action).order_by(PriceAudit.id))).all()
    assert statuses == [PriceStatus.REJECTED, PriceStatus.PUBLISHED]
    assert actions == ["approved", "rejected"]


async def test_a_half_recorded_price_survives_a_restart(harness: BotHarness,
                                                        seeded: SessionMaker) -> None:
    dewi = await facilitator(harness, seeded)
    await dewi.send("/lapor_harga")
    await dewi.tap("Pinang")
    await dewi.tap("Pasar Rakyat Bangko")
    await dewi.tap("grosir")
    await harness.restart()
    await dewi.send("11.500")
    assert "Komoditas: Pinang" in dewi.text and "Harga: Rp11.500 per kg" in dewi.text
    await dewi.tap("✅ Simpan")
    assert await stored(seeded) == [(Decimal(11500), "", "grosir")]
