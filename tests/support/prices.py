"""Test data for the prices journey: prices stored as a facilitator would record them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bot.db import SessionMaker
from bot.services import prices
from bot.services.prices_report import record_price
from models.price import Level, Price
from tests.support.clock import START

TODAY = date(2026, 3, 2)
"""The test clock's local day (Monday 2 March 2026, 08.00 WIB)."""
BANGKO = "15.02.02"


async def put_price(
    sessionmaker: SessionMaker, commodity: str, place: str, value: int | str,
    day: date = TODAY, *, level: str = Level.PRODUSEN, quality: str = "",
    until: date | None = None,
) -> Price:
    """One published price by commodity and place codes, e.g. ("karet", "kebun-15.02.02")."""
    catalogue = await prices.load_catalogue(sessionmaker)
    found, point = catalogue.by_code(commodity), catalogue.place_by_code(place)
    assert found is not None and point is not None, (commodity, place)
    recorded = await record_price(
        sessionmaker, commodity_id=found.id, place_id=point.id, level=level, quality=quality,
        value=Decimal(value), observed_on=day, valid_until=until, reported_by=None, now=START)
    return recorded.price


async def rubber_month(sessionmaker: SessionMaker, place: str = "kebun-15.02.02",
                       start: int = 14000, step: int = 50, days: int = 30) -> None:
    """A daily farm-gate rubber price rising by `step` a day, ending today."""
    for back in range(days):
        await put_price(sessionmaker, "karet", place, start + step * (days - 1 - back),
                        TODAY - timedelta(days=back))
