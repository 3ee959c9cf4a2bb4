"""Playground demo prices: 90 days, labelled as demo, around the documented levels."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.playground import demo_prices
from bot.services import prices
from bot.services.prices_query import overview, reference
from models.price import Origin, Price

NOW = datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
TODAY = date(2026, 3, 20)


async def test_demo_prices(sessionmaker: SessionMaker) -> None:
    await demo_prices.load(sessionmaker, NOW)
    async with sessionmaker() as session:
        total = await session.scalar(select(func.count()).select_from(Price))
        first = await session.scalar(select(func.min(Price.observed_on))
                                     .where(Price.origin == Origin.DEMO))
        unlabelled = await session.scalar(select(func.count()).select_from(Price).where(
            Price.origin != Origin.DEMO, ~Price.source.contains("demo")))
    assert total and total > 1000
    assert first is not None and (TODAY - first).days >= 89
    assert unlabelled == 0, "every demo price says it is demo"
    await demo_prices.load(sessionmaker, NOW)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Price)) == total

    catalogue = await prices.load_catalogue(sessionmaker)
    palm, rubber, cinnamon = (catalogue.by_code(c) for c in ("tbs", "karet", "kayu_manis"))
    assert palm and rubber and cinnamon
    palm_view = await overview(sessionmaker, catalogue, palm.id, TODAY)
    set_price = reference(palm_view, "10-20").set_price
    assert set_price is not None and set_price.value == Decimal("3669.78")
    rubber_view = await overview(sessionmaker, catalogue, rubber.id, TODAY, "15.02.02")
    farm = [s.latest.value for s in rubber_view.series if s.level == "produsen"]
    assert farm and all(13300 <= v <= 15000 for v in farm)
    assert rubber_view.citizen and rubber_view.citizen[0].count >= 3
    cinnamon_view = await overview(sessionmaker, catalogue, cinnamon.id, TODAY)
    madras = [s for s in cinnamon_view.series if s.place.code == "muara-madras"]
    assert madras and 55000 <= madras[0].latest.value <= 57000
    assert not rubber_view.stale
