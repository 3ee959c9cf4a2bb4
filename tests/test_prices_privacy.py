"""UU PDP: a member's price data is exported, and on erasure anonymised or deleted."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

import bot.services.prices_privacy  # noqa: F401 - registers the price sections
from bot.db import SessionMaker
from bot.services import prices, privacy
from bot.services.prices_alerts import create_alert
from bot.services.prices_report import record_price, report_offer
from models import Role
from models.price import CommodityFollow, Direction, Price, PriceAlert, PriceAudit, PriceDigest
from tests.support.clock import START
from tests.support.members import make_member
from tests.support.prices import TODAY


async def test_export_and_erase(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 1001, "Siti", role=Role.FACILITATOR)
    catalogue = await prices.load_catalogue(seeded)
    rubber, farm = catalogue.by_code("karet"), catalogue.farm_gate("15.02.02")
    assert rubber and farm
    await report_offer(seeded, commodity_id=rubber.id, quality="", value=Decimal(14000),
                       place=farm, member_id=member.id, today=TODAY, now=START)
    for value in (14500, 14600):
        await record_price(seeded, commodity_id=rubber.id, place_id=farm.id, level="produsen",
                           quality="", value=Decimal(value), observed_on=TODAY,
                           reported_by=member.id, now=START)
    await prices.toggle_follow(seeded, member.id, rubber.id)
    await prices.set_digest(seeded, member.id, True)
    await create_alert(seeded, catalogue, member_id=member.id, commodity_id=rubber.id,
                       quality="", direction=Direction.ABOVE, threshold=Decimal(15000),
                       today=TODAY, now=START)
    exported = await privacy.export_member(seeded, member.id, START)
    assert [r["value"] for r in exported["price_reports"]] == ["14000.00", "14600.00"]
    assert exported["followed_commodities"] == ["karet"]
    assert exported["price_alerts"][0]["threshold"] == "15000.00"
    assert exported["price_morning_summary"]["last_sent_on"] is None
    assert await privacy.erase_member(seeded, member.id, START)
    async with seeded() as session:
        for model in (CommodityFollow, PriceAlert, PriceDigest):
            assert await session.scalar(select(func.count()).select_from(model)) == 0
        assert await session.scalar(select(func.count()).select_from(Price)) == 2, (
            "the prices stay for everyone, without their reporter")
        assert await session.scalar(select(func.count()).select_from(Price)
                                    .where(Price.reported_by.is_not(None))) == 0
        assert await session.scalar(select(func.count()).select_from(PriceAudit)
                                    .where(PriceAudit.changed_by.is_not(None))) == 0
