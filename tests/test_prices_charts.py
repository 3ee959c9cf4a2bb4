"""Charts: small PNGs in the member's language, redrawn only when new prices arrive."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.db import SessionMaker
from bot.i18n import Translator
from bot.services import prices
from bot.services.price_charts import price_chart
from bot.services.prices_report import record_price
from models.price import Level, Origin, Price

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
WIB = ZoneInfo("Asia/Jakarta")
PLACES = ["pasar-rakyat-bangko", "pasar-baru-bangko", "pasar-rantau-panjang",
          "pasar-muara-siau", "pasar-masurai", "muara-madras", "kebun-15.02.02"]


async def fill(sessionmaker: SessionMaker, days: int = 90) -> int:
    catalogue = await prices.load_catalogue(sessionmaker)
    chilli = catalogue.by_code("cabai_merah")
    assert chilli
    async with sessionmaker() as session, session.begin():
        for index, code in enumerate(PLACES):
            place = catalogue.place_by_code(code)
            assert place
            session.add_all(Price(
                commodity_id=chilli.id, place_id=place.id, level=Level.ECERAN,
                quality="keriting", value=Decimal(40000 + index * 1500 + (day * 37) % 3000),
                unit="kg", observed_on=TODAY - timedelta(days=day), source="Fasilitator Berdaya",
                origin=Origin.STAFF, created_at=NOW, updated_at=NOW) for day in range(days))
    return chilli.id


async def test_chart_is_a_small_png_and_cached(sessionmaker: SessionMaker) -> None:
    chilli = await fill(sessionmaker)
    catalogue = await prices.load_catalogue(sessionmaker)
    tr = Translator("id", WIB)
    chart = await price_chart(sessionmaker, catalogue, chilli, "keriting", 90, TODAY, tr)
    assert chart is not None
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(chart.png) < 100_000
    assert (chart.first, chart.last) == (TODAY - timedelta(days=89), TODAY)
    assert chart.sources == ("Fasilitator Berdaya",) and not chart.demo
    started = time.perf_counter()
    again = await price_chart(sessionmaker, catalogue, chilli, "keriting", 90, TODAY, tr)
    assert again is chart and time.perf_counter() - started < 0.05
    english = await price_chart(sessionmaker, catalogue, chilli, "keriting", 90, TODAY,
                                Translator("en", WIB))
    assert english is not None and english.png != chart.png


async def test_new_prices_redraw_the_chart(sessionmaker: SessionMaker) -> None:
    chilli = await fill(sessionmaker, days=30)
    catalogue = await prices.load_catalogue(sessionmaker)
    tr = Translator("id", WIB)
    before = await price_chart(sessionmaker, catalogue, chilli, "keriting", 30, TODAY, tr)
    place = catalogue.place_by_code("pasar-baru-bangko")
    assert place
    await record_price(sessionmaker, commodity_id=chilli, place_id=place.id, level=Level.ECERAN,
                       quality="keriting", value=Decimal(90000), observed_on=TODAY,
                       reported_by=None, now=NOW)
    after = await price_chart(sessionmaker, catalogue, chilli, "keriting", 30, TODAY, tr)
    assert before is not None and after is not None and after.png != before.png


async def test_nothing_to_draw(sessionmaker: SessionMaker) -> None:
    catalogue = await prices.load_catalogue(sessionmaker)
    potato = catalogue.by_code("kentang")
    assert potato
    assert await price_chart(sessionmaker, catalogue, potato.id, "", 30, TODAY,
                             Translator("id", WIB)) is None
