"""Alerts by buttons and the 06.00 summary, end to end, with the jobs run at a chosen time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db import SessionMaker
from bot.jobs.prices import check_alerts, send_digests
from bot.services import prices
from bot.services.prices_alerts import member_alerts
from tests.support.clock import Clock
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.prices import TODAY, put_price

WIB = ZoneInfo("Asia/Jakarta")


def sent(user: TestUser, start: str) -> list[str]:
    """Bot messages starting with `start`: the background tick may have sent them first."""
    return [item.text for item in user.chat if item.from_bot and (item.text or "")
            .startswith(start)]


async def test_alert_by_buttons_fires_once_per_crossing(
    harness: BotHarness, seeded: SessionMaker, clock: Clock
) -> None:
    member = await make_member(seeded, 1001)
    await put_price(seeded, "karet", "kebun-15.02.02", 14600)
    siti = harness.user(1001)
    await siti.send("/harga karet")
    await siti.tap("🔔 Beri tahu saya")
    assert "• Harga tingkat petani (median 1 tempat): Rp14.600 · 2 Mar 2026" in siti.text
    await siti.tap("📈 naik di atas")
    assert siti.last_reply.inline_buttons == ["Rp15.400", "Rp16.100", "Rp17.600"]
    await siti.tap("Rp15.400")
    assert siti.text.startswith("🔔 Siap! Saya akan memberi tahu Anda sekali saat harga Karet "
                                "naik di atas Rp15.400.")
    await check_alerts(harness.app)
    assert sent(siti, "🔔 Harga") == []
    await put_price(seeded, "karet", "kebun-15.02.02", 15500, TODAY + timedelta(days=1))
    clock.advance(timedelta(days=1))
    await check_alerts(harness.app)
    await check_alerts(harness.app)
    alerted = sent(siti, "🔔 Harga Karet sekarang di atas Rp15.400.")
    assert len(alerted) == 1, "once per crossing"
    assert "Rp15.500 · 3 Mar 2026" in alerted[0]
    assert siti.last_reply.inline_buttons == ["💰 Lihat harga"]
    [alert] = await member_alerts(seeded, member.id)
    assert alert.beyond


async def test_typed_amount_list_and_delete(harness: BotHarness, seeded: SessionMaker) -> None:
    member = await make_member(seeded, 1001)
    await put_price(seeded, "kayu_manis", "muara-madras", 56000)
    siti = harness.user(1001)
    await siti.send("/harga kayu manis")
    await siti.tap("🔔 Beri tahu saya")
    await siti.tap("📉 turun di bawah")
    await siti.send("lima puluh ribu")
    assert siti.text.startswith("Saya tidak bisa membaca harga")
    await siti.send("Rp 50rb")
    assert "turun di bawah Rp50.000" in siti.text
    await siti.tap("🔔 Pemberitahuan saya")
    assert "• Kayu manis di bawah Rp50.000" in siti.text
    await siti.tap("🗑 Kayu manis di bawah Rp50.000")
    assert siti.text.startswith("Anda belum punya pemberitahuan harga.")
    assert await member_alerts(seeded, member.id) == []


async def test_grade_choice_for_rubber(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    await put_price(seeded, "karet", "kebun-15.02.02", 14600)
    await put_price(seeded, "karet", "disbun-jambi", 29000, level="penetapan", quality="100")
    siti = harness.user(1001)
    await siti.send("/harga karet")
    await siti.tap("🔔 Beri tahu saya")
    assert siti.text == "🔔 Harga mana yang mau dipantau?"
    assert siti.last_reply.inline_buttons[:3] == ["Karet", "Karet KKK 40%", "Karet KKK 50%"]
    await siti.tap("Karet KKK 50%")
    assert "Dihitung dari harga KKK 100%" in siti.text and "Rp14.500" in siti.text


async def test_nothing_to_watch(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    siti = harness.user(1001)
    await siti.send("/harga kentang")
    await siti.tap("🔔 Beri tahu saya")
    assert siti.text == "Belum ada harga Kentang, jadi belum ada yang bisa dipantau."


async def test_morning_summary_at_six(harness: BotHarness, seeded: SessionMaker,
                                      clock: Clock) -> None:
    member = await make_member(seeded, 1001)
    catalogue = await prices.load_catalogue(seeded)
    rubber = catalogue.by_code("karet")
    assert rubber
    await prices.toggle_follow(seeded, member.id, rubber.id)
    await prices.set_digest(seeded, member.id, True)
    await put_price(seeded, "karet", "kebun-15.02.02", 14600)
    siti = harness.user(1001)
    await siti.send("/harga")
    clock.set(datetime(2026, 3, 3, 5, 59, tzinfo=WIB))
    await send_digests(harness.app)
    assert sent(siti, "☀️") == []
    clock.set(datetime(2026, 3, 3, 6, 0, tzinfo=WIB))
    await send_digests(harness.app)
    [text] = sent(siti, "☀️")
    assert text.startswith("☀️ Harga pagi ini, Selasa, 3 Maret 2026")
    assert "Karet · per kg" in text and "tingkat petani: Rp14.600" in text
    assert "2 Mar 2026 · Fasilitator Berdaya" in text
    assert "Untuk menghentikan ringkasan ini: /harga, lalu ☀️." in text
    clock.set(datetime(2026, 3, 3, 6, 5, tzinfo=WIB))
    await send_digests(harness.app)
    assert len(sent(siti, "☀️")) == 1, "once a day"
