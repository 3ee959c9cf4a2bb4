"""/cek_harga end to end: the trader's offer against the references, and "laporan warga"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import SessionMaker
from models.price import Level, Price, PriceStatus
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.prices import TODAY, put_price


async def rubber_references(sessionmaker: SessionMaker) -> None:
    for place, value in (("kebun-15.02.02", 14000), ("kebun-15.02.05", 14400),
                         ("kebun-15.02.03", 14200)):
        await put_price(sessionmaker, "karet", place, value, quality="50")
    await put_price(sessionmaker, "karet", "disbun-jambi", 29000, TODAY - timedelta(days=2),
                    level=Level.PENETAPAN, quality="100", until=TODAY + timedelta(days=4))


async def offer_for_rubber(user: TestUser, offer: str) -> None:
    await user.send("/cek_harga")
    assert "Toke menawar harga untuk komoditas apa?" in user.text
    await user.tap("Karet")
    assert "kadar karet kering (KKK)" in user.text
    await user.tap("KKK 50%")
    assert "Berapa tawaran toke per kg untuk Karet KKK 50%?" in user.text
    await user.send(offer)


@pytest.mark.parametrize(
    ("offer", "verdict"),
    [
        ("Rp 13rb", "👉 Tawaran ini di bawah harga tingkat petani: kurang Rp1.200 (8,5%)."),
        ("14.250", "👍 Tawaran ini kurang lebih sama dengan harga tingkat petani (selisih "
                   "Rp50, 0,4%)."),
        ("15,1 rb", "✅ Tawaran ini di atas harga tingkat petani: lebih Rp900 (6,3%)."),
    ],
)
async def test_offer_verdicts(harness: BotHarness, seeded: SessionMaker, offer: str,
                              verdict: str) -> None:
    await make_member(seeded, 1001)
    await rubber_references(seeded)
    siti = harness.user(1001)
    await offer_for_rubber(siti, offer)
    text = siti.text
    assert text.startswith("⚖️ Tawaran toke: ")
    assert ("• Harga tingkat petani (median 3 tempat): Rp14.200 · 2 Mar 2026 · "
            "Fasilitator Berdaya") in text
    assert ("• Harga penetapan: Rp14.500 · 28 Feb 2026 – 6 Mar 2026 · "
            "Fasilitator Berdaya") in text
    assert "Dihitung dari harga KKK 100%" in text
    assert verdict in text
    assert siti.last_reply.inline_buttons == ["📝 Laporkan tawaran ini", "⚖️ Cek lagi",
                                              "◀ Harga"]


async def test_palm_age_and_no_reference(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    await put_price(seeded, "tbs", "disbun-jambi", "3669.78", TODAY - timedelta(days=3),
                    level=Level.PENETAPAN, quality="10-20", until=TODAY + timedelta(days=17))
    siti = harness.user(1001)
    await siti.send("/cek_harga sawit")
    assert "umur pohon sawit" in siti.text
    await siti.tap("umur 10–20 tahun")
    await siti.send("3.100")
    assert "Harga penetapan: Rp3.669,78" in siti.text
    assert "di bawah harga penetapan: kurang Rp569,78 (15,5%)" in siti.text
    await siti.tap("⚖️ Cek lagi")
    await siti.tap("umur 3 tahun")
    await siti.send("2.000")
    assert "Belum ada harga acuan terbaru" in siti.text


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("0", "Harga tidak boleh nol."),
        ("-14000", "Harga tidak boleh minus."),
        ("mahal", "Saya tidak bisa membaca harga dari “mahal”."),
        ("14rb/liter", "Harga Karet dihitung per kg, bukan per liter."),
        ("14rb per karung", "Saya tidak kenal satuan “karung”."),
        ("99999 jt", "Angka itu terlalu besar."),
    ],
)
async def test_bad_offers_are_asked_again(harness: BotHarness, seeded: SessionMaker,
                                          typed: str, answer: str) -> None:
    await make_member(seeded, 1001)
    await rubber_references(seeded)
    siti = harness.user(1001)
    await offer_for_rubber(siti, typed)
    assert siti.text.startswith(answer)
    await siti.send("14.200")
    assert "kurang lebih sama" in siti.text, "the step is kept and the next answer works"


async def test_stickers_and_buttons_steps(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    siti = harness.user(1001)
    await siti.send("/cek_harga karet")
    await siti.send("lima puluh")
    assert siti.text == "Silakan ketuk salah satu tombol di atas, atau kirim /batal untuk berhenti."
    await siti.tap("Tidak tahu")
    await siti.send_sticker()
    assert siti.text == "Silakan ketik angkanya dengan papan ketik, misalnya 14.500."
    await siti.send("/batal")
    assert siti.text == "Dibatalkan."


async def test_absurd_offer_needs_a_second_yes(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    await rubber_references(seeded)
    await put_price(seeded, "karet", "kebun-15.02.02", 14100, TODAY - timedelta(days=1),
                    quality="50")
    siti = harness.user(1001)
    await offer_for_rubber(siti, "145.000")
    assert "Rp145.000 jauh dari harga biasanya, sekitar Rp14.150. Apakah sudah benar?" in siti.text
    await siti.tap("Bukan, ketik ulang")
    assert "Berapa tawaran toke" in siti.text
    await siti.send("145.000")
    await siti.tap("Ya, sudah benar")
    assert "di atas harga tingkat petani" in siti.text


async def test_reporting_offers_as_members_reports(harness: BotHarness,
                                                   seeded: SessionMaker) -> None:
    await rubber_references(seeded)
    for index, offer in enumerate(("13.800", "14.000", "14.100", "41.000")):
        await make_member(seeded, 1001 + index, f"Petani {index}")
        farmer = harness.user(1001 + index)
        await offer_for_rubber(farmer, offer)
        await farmer.tap("📝 Laporkan tawaran ini")
        if offer == "41.000":
            assert "fasilitator akan memeriksanya dulu" in farmer.text
        else:
            assert "sudah masuk laporan warga untuk Kec. Bangko" in farmer.text
            assert farmer.last_reply.inline_buttons == []
    async with seeded() as session:
        reports = (await session.scalars(select(Price).where(Price.origin == "citizen")
                                         .order_by(Price.id))).all()
    assert [(r.value, r.status) for r in reports] == [
        (13800, PriceStatus.PUBLISHED), (14000, PriceStatus.PUBLISHED),
        (14100, PriceStatus.PUBLISHED), (41000, PriceStatus.PENDING)]
    siti = harness.user(1001)
    await siti.send("/harga karet")
    assert "🗣 Laporan warga (tawaran toke, belum diperiksa)" in siti.text
    assert ("• Kec. Bangko, KKK 50%: median Rp14.000 dari 3 laporan · 2 Mar 2026"
            in siti.text)


async def test_no_kecamatan_no_report(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001, desa_code=None)
    await rubber_references(seeded)
    siti = harness.user(1001)
    await offer_for_rubber(siti, "14.000")
    await siti.tap("📝 Laporkan tawaran ini")
    assert "Kecamatan Anda belum tercatat" in (siti.sim.callback_answers[-1].text or "")
