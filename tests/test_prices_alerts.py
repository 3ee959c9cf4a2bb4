"""Alerts fire once per crossing; the morning summary goes out once a day from 06.00 WIB."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.db import SessionMaker
from bot.services import prices
from bot.services.prices_alerts import (
    MAX_ALERTS,
    create_alert,
    delete_alert,
    due_alerts,
    due_digests,
    member_alerts,
)
from bot.services.prices_report import record_price
from models import Status
from models.price import Direction, Level
from tests.support.members import make_member

WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


async def farm_price(sessionmaker: SessionMaker, value: int, day: date = DAY) -> None:
    catalogue = await prices.load_catalogue(sessionmaker)
    rubber, farm = catalogue.by_code("karet"), catalogue.place_by_code("kebun-15.02.02")
    assert rubber and farm
    await record_price(sessionmaker, commodity_id=rubber.id, place_id=farm.id,
                       level=Level.PRODUSEN, quality="", value=Decimal(value), observed_on=day,
                       reported_by=None, now=NOW)


async def alert(sessionmaker: SessionMaker, member_id: int, direction: Direction,
                threshold: int):  # type: ignore[no-untyped-def]
    catalogue = await prices.load_catalogue(sessionmaker)
    rubber = catalogue.by_code("karet")
    assert rubber
    return await create_alert(sessionmaker, catalogue, member_id=member_id,
                              commodity_id=rubber.id, quality="", direction=direction,
                              threshold=Decimal(threshold), today=DAY, now=NOW)


async def fired(sessionmaker: SessionMaker, day: date = DAY) -> list[Decimal]:
    catalogue = await prices.load_catalogue(sessionmaker)
    notices = await due_alerts(sessionmaker, catalogue, day, NOW)
    return [n.alert.threshold for n in notices]


async def test_once_per_crossing(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 901, "Siti")
    await farm_price(seeded, 14500, DAY - timedelta(1))
    made = await alert(seeded, member.id, Direction.ABOVE, 15000)
    assert made.alert is not None and not made.alert.beyond
    assert made.current.value == Decimal(14500)
    assert await fired(seeded) == []
    await farm_price(seeded, 15200, DAY)
    assert await fired(seeded) == [Decimal(15000)]
    assert await fired(seeded) == [], "not again while it stays above"
    await farm_price(seeded, 15400, DAY + timedelta(1))
    assert await fired(seeded, DAY + timedelta(1)) == []
    await farm_price(seeded, 14800, DAY + timedelta(2))
    assert await fired(seeded, DAY + timedelta(2)) == [], "crossing back is silent"
    await farm_price(seeded, 15100, DAY + timedelta(3))
    assert await fired(seeded, DAY + timedelta(3)) == [Decimal(15000)], "and it fires again"


async def test_an_alert_already_past_waits_for_a_crossing(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 902, "Siti")
    await farm_price(seeded, 14000)
    made = await alert(seeded, member.id, Direction.BELOW, 15000)
    assert made.alert is not None and made.alert.beyond
    assert await fired(seeded) == []


async def test_only_active_members_are_alerted(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 903, "Siti", status=Status.STOPPED)
    await farm_price(seeded, 14000, DAY - timedelta(1))
    await alert(seeded, member.id, Direction.ABOVE, 15000)
    await farm_price(seeded, 16000)
    assert await fired(seeded) == []


async def test_alert_limits_duplicates_and_deleting(seeded: SessionMaker) -> None:
    siti = await make_member(seeded, 904, "Siti")
    budi = await make_member(seeded, 905, "Budi")
    await farm_price(seeded, 14000)
    first = await alert(seeded, siti.id, Direction.ABOVE, 15000)
    again = await alert(seeded, siti.id, Direction.ABOVE, 15000)
    assert first.alert is not None and again.alert is None and not again.too_many
    for step in range(1, MAX_ALERTS):
        await alert(seeded, siti.id, Direction.ABOVE, 15000 + step * 100)
    assert (await alert(seeded, siti.id, Direction.BELOW, 9000)).too_many
    assert not await delete_alert(seeded, budi.id, first.alert.id), "not someone else's"
    assert await delete_alert(seeded, siti.id, first.alert.id)
    assert len(await member_alerts(seeded, siti.id)) == MAX_ALERTS - 1


async def digests_at(sessionmaker: SessionMaker, local: datetime) -> list[int]:
    catalogue = await prices.load_catalogue(sessionmaker)
    return [d.recipient.member_id for d in await due_digests(sessionmaker, catalogue, local)]


async def test_morning_summary_once_a_day_from_six(seeded: SessionMaker) -> None:
    reader = await make_member(seeded, 906, "Siti")
    idle = await make_member(seeded, 907, "Budi")
    catalogue = await prices.load_catalogue(seeded)
    rubber = catalogue.by_code("karet")
    assert rubber
    await prices.toggle_follow(seeded, reader.id, rubber.id)
    for member in (reader, idle):
        await prices.set_digest(seeded, member.id, True)
    await farm_price(seeded, 14500)
    assert await digests_at(seeded, datetime(2026, 3, 2, 5, 59, tzinfo=WIB)) == []
    assert await digests_at(seeded, datetime(2026, 3, 2, 6, 0, tzinfo=WIB)) == [reader.id], (
        "a member without commodities gets nothing")
    assert await digests_at(seeded, datetime(2026, 3, 2, 6, 1, tzinfo=WIB)) == []
    assert await digests_at(seeded, datetime(2026, 3, 3, 13, 0, tzinfo=WIB)) == [], (
        "never in the afternoon")
    assert await digests_at(seeded, datetime(2026, 3, 4, 7, 30, tzinfo=WIB)) == [reader.id]
    await prices.set_digest(seeded, reader.id, False)
    assert await digests_at(seeded, datetime(2026, 3, 5, 6, 0, tzinfo=WIB)) == []
