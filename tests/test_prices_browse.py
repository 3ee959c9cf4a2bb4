"""/harga and 💰 end to end: the member's commodities first, every price with date and source."""

from __future__ import annotations

from datetime import timedelta

from bot.db import SessionMaker
from bot.services import prices
from models.price import Level
from tests.support.harness import BotHarness
from tests.support.members import make_member
from tests.support.prices import TODAY, put_price, rubber_month


async def test_list_overview_and_every_price_with_date_and_source(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    member = await make_member(seeded, 1001)
    await rubber_month(seeded)
    await put_price(seeded, "karet", "disbun-jambi", 28500, TODAY - timedelta(days=3),
                    level=Level.PENETAPAN, quality="100", until=TODAY + timedelta(days=3))
    await put_price(seeded, "pinang", "kebun-15.02.02", 9500)
    catalogue = await prices.load_catalogue(seeded)
    cinnamon = catalogue.by_code("kayu_manis")
    assert cinnamon
    await prices.toggle_follow(seeded, member.id, cinnamon.id)
    siti = harness.user(1001)
    await siti.send("/harga")
    assert "Harga pasar" in siti.text
    assert siti.last_reply.inline_buttons[:3] == ["⭐ Kayu manis", "Karet", "Pinang"], (
        "own commodity first, then what the kecamatan trades")
    await siti.tap("Karet")
    text = siti.text
    assert "Karet · per kg" in text
    assert "Disbun Provinsi Jambi" in text and "KKK 100%" in text
    assert "Rp28.500" in text and "27 Feb 2026 – 5 Mar 2026" in text
    assert "Kec. Bangko" in text and "tingkat petani: Rp15.450 ▲2,3%" in text
    assert "2 Mar 2026 · Fasilitator Berdaya · 30 hari: Rp14.000–Rp15.450" in text
    assert "▲▼ dibandingkan seminggu sebelumnya." in text
    assert "⚠️" not in text
    assert siti.last_reply.inline_buttons == [
        "📈 Grafik 30 hari", "📈 90 hari", "🔔 Beri tahu saya", "⭐ Ikuti",
        "⚖️ Cek tawaran toke", "◀ Semua komoditas"]


async def test_old_prices_carry_a_warning(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    await put_price(seeded, "pinang", "kebun-15.02.02", 9500, TODAY - timedelta(days=10))
    siti = harness.user(1001)
    await siti.send("/harga pinang")
    assert "Rp9.500" in siti.text and "20 Feb 2026 · Fasilitator Berdaya" in siti.text
    assert "⚠️ Harga terbaru sudah 10 hari yang lalu (20 Feb 2026)" in siti.text


async def test_no_prices_yet(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    siti = harness.user(1001)
    await siti.send("/harga kentang")
    assert "Kentang · per kg" in siti.text and "Belum ada harga yang tercatat" in siti.text
    assert "Rp" not in siti.text


async def test_synonyms_typos_and_unknown_words(harness: BotHarness,
                                                seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    await put_price(seeded, "kayu_manis", "muara-madras", 56000)
    siti = harness.user(1001)
    for typed in ("/harga kulit manis", "/harga kayumanis", "/harga kayu manys",
                  "harga kulit manis"):
        await siti.send(typed)
        assert siti.text.startswith("💰 Kayu manis"), typed
        assert "Rp56.000" in siti.text
    await siti.send("/harga kopi")
    assert siti.text.startswith("💰 Kopi robusta")
    await siti.send("/harga krt")
    assert siti.text == "Saya belum kenal “krt”. Maksud Anda salah satu ini?"
    assert "Karet" in siti.last_reply.inline_buttons
    await siti.send("/harga <b>durian</b>")
    assert siti.text == ("Saya belum kenal “<b>durian</b>”. Silakan pilih dari daftar."), (
        "typed text is shown, escaped, not interpreted")
    await siti.tap("📋 Semua komoditas")
    assert "Harga pasar" in siti.text


async def test_menu_button_opens_the_list(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    siti = harness.user(1001)
    await siti.send("💰 Harga Pasar")
    assert "Komoditas apa?" in siti.text
    assert "☀️ Ringkasan pagi: mati" in siti.last_reply.inline_buttons


async def test_chart_is_a_small_png_with_date_and_source(harness: BotHarness,
                                                         seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    await rubber_month(seeded)
    await rubber_month(seeded, "pasar-rakyat-bangko", start=15000)
    siti = harness.user(1001)
    await siti.send("/harga karet")
    await siti.tap("📈 Grafik 30 hari")
    chart = siti.last_reply
    assert chart.photo, "a photo was sent"
    largest = chart.photo[-1]
    assert largest["file_size"] < 100_000 and largest["width"] == 640
    assert "Karet, 1 Feb 2026 – 2 Mar 2026" in siti.text
    assert "Sumber: Fasilitator Berdaya" in siti.text
    assert chart.inline_buttons == ["📈 90 hari", "◀ Harga"]
    await siti.tap("📈 90 hari")
    assert siti.last_reply.photo and siti.last_reply.inline_buttons[0] == "📈 30 hari"
    await siti.tap("◀ Harga")
    assert siti.text.startswith("💰 Karet")


async def test_follow_and_morning_summary(harness: BotHarness, seeded: SessionMaker) -> None:
    member = await make_member(seeded, 1001)
    await put_price(seeded, "pinang", "kebun-15.02.05", 9500)
    siti = harness.user(1001)
    await siti.send("/harga pinang")
    await siti.tap("⭐ Ikuti")
    assert siti.sim.callback_answers[-1].text.startswith("⭐ Pinang sekarang jadi komoditas Anda")
    assert "✓ Komoditas saya" in siti.last_reply.inline_buttons
    assert await prices.followed_commodities(seeded, member.id) != []
    await siti.tap("◀ Semua komoditas")
    assert siti.last_reply.inline_buttons[0] == "⭐ Pinang"
    await siti.tap("☀️ Ringkasan pagi: mati")
    assert "Setiap pagi pukul 06.00" in (siti.sim.callback_answers[-1].text or "")
    assert "☀️ Ringkasan pagi: nyala" in siti.last_reply.inline_buttons
    assert await prices.digest_enabled(seeded, member.id)
    await siti.tap("☀️ Ringkasan pagi: nyala")
    assert not await prices.digest_enabled(seeded, member.id)


async def test_unregistered_and_tampered(harness: BotHarness, seeded: SessionMaker) -> None:
    stranger = harness.user(2002)
    await stranger.send("/harga")
    assert "/daftar" in stranger.text
    await make_member(seeded, 1001)
    siti = harness.user(1001)
    await siti.send("/harga")
    listing = siti.last_reply
    for data in ("pc:999", "pc:abc", "pc", "pg:1:45:", "pf:x"):
        await siti.tap_data(listing.message_id, data)
    assert siti.last_reply.message_id == listing.message_id, "nothing was sent"
    assert "Harga pasar" in siti.text
