"""Playground demo prices: 90 days of plausible prices, every one labelled as demo.

The levels follow published figures so the playground looks like Merangin, not like noise:
Jambi's set TBS price for 10–20-year palms was Rp3.669,78/kg for 13 Mar–2 Apr 2026 (Disbun
Jambi); traders paid Rp13.700–15.000/kg for rubber slab in a Merangin desa in March 2025;
cinnamon fetched Rp55.000–57.000/kg at the farm gate in Muara Madras (2021). The others are
typical of the region's markets. A seeded random walk keeps the numbers the same every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update

from bot.db import SessionMaker
from bot.services.prices import Catalogue, load_catalogue
from models.price import Commodity, Level, Origin, Price, PriceStatus

DAYS = 90
SOURCE = "Data demo Berdaya"
CITIZEN_SOURCE = "Laporan warga (demo)"
TBS_PRIME = Decimal("3669.78")
TBS_AGE_FACTORS = {"3": "0.70", "4": "0.78", "5": "0.84", "6": "0.89", "7": "0.93", "8": "0.96",
                   "9": "0.98", "10-20": "1", "21-24": "0.97", "25+": "0.91"}
RUBBER_KKK = ("40", "50", "60", "70", "100")


@dataclass(frozen=True, slots=True)
class Series:
    commodity: str
    place: str
    level: str
    low: int
    high: int
    every: int = 1
    """Days between observations: markets daily, farm gates every few days."""
    quality: str = ""


SERIES = [
    Series("karet", "kebun-15.02.02", Level.PRODUSEN, 13700, 15000, 2),
    Series("karet", "kebun-15.02.05", Level.PRODUSEN, 13500, 14800, 3),
    Series("karet", "kebun-15.02.03", Level.PRODUSEN, 13400, 14600, 3),
    Series("karet", "kebun-15.02.16", Level.PRODUSEN, 13300, 14500, 4),
    Series("karet", "pasar-rakyat-bangko", Level.GROSIR, 14800, 15900, 2),
    Series("tbs", "kebun-15.02.05", Level.PRODUSEN, 2950, 3250, 2),
    Series("tbs", "kebun-15.02.06", Level.PRODUSEN, 3000, 3300, 2),
    Series("tbs", "kebun-15.02.21", Level.PRODUSEN, 2900, 3200, 3),
    Series("kayu_manis", "muara-madras", Level.PRODUSEN, 55000, 57000, 3),
    Series("kayu_manis", "kebun-15.02.01", Level.PRODUSEN, 54000, 56500, 4),
    Series("kopi_robusta", "kebun-15.02.09", Level.PRODUSEN, 58000, 64000, 3, "asalan"),
    Series("kopi_robusta", "kebun-15.02.09", Level.PRODUSEN, 72000, 78000, 3, "petik_merah"),
    Series("kopi_robusta", "pasar-masurai", Level.GROSIR, 62000, 68000, 2, "asalan"),
    Series("kopi_arabika", "kebun-15.02.01", Level.PRODUSEN, 80000, 90000, 4),
    Series("pinang", "kebun-15.02.04", Level.PRODUSEN, 9000, 11500, 3),
    Series("pinang", "pasar-rakyat-bangko", Level.GROSIR, 10500, 12500, 2),
    Series("gabah", "kebun-15.02.06", Level.PRODUSEN, 6400, 6900, 3, "gkp"),
    Series("beras", "pasar-rakyat-bangko", Level.ECERAN, 13500, 14500, 1, "medium"),
    Series("beras", "pasar-baru-bangko", Level.ECERAN, 13600, 14700, 1, "medium"),
    Series("beras", "pasar-baru-bangko", Level.ECERAN, 15200, 16200, 1, "premium"),
    Series("jagung", "kebun-15.02.13", Level.PRODUSEN, 5000, 5800, 3),
    Series("cabai_merah", "pasar-rakyat-bangko", Level.ECERAN, 38000, 62000, 1, "keriting"),
    Series("cabai_merah", "pasar-rantau-panjang", Level.ECERAN, 37000, 60000, 1, "keriting"),
    Series("cabai_rawit", "pasar-rakyat-bangko", Level.ECERAN, 45000, 75000, 1, "merah"),
    Series("bawang_merah", "pasar-rakyat-bangko", Level.ECERAN, 34000, 44000, 1),
    Series("bawang_merah", "pasar-muara-siau", Level.ECERAN, 35000, 46000, 2),
    Series("bawang_putih", "pasar-baru-bangko", Level.ECERAN, 36000, 42000, 1),
    Series("kentang", "pasar-masurai", Level.GROSIR, 11000, 14000, 2),
    Series("kentang", "kebun-15.02.01", Level.PRODUSEN, 9000, 11500, 3),
    Series("minyak_goreng", "pasar-rakyat-bangko", Level.ECERAN, 16500, 18500, 1, "curah"),
    Series("gula_pasir", "pasar-rakyat-bangko", Level.ECERAN, 17000, 18500, 1),
    Series("telur_ayam", "pasar-baru-bangko", Level.ECERAN, 27000, 31000, 1),
    Series("daging_ayam", "pasar-baru-bangko", Level.ECERAN, 34000, 40000, 1),
]


async def load(sessionmaker: SessionMaker, now: datetime) -> None:
    """Adds the demo prices once; a database that has them already is left alone."""
    async with sessionmaker() as session:
        if await session.scalar(select(func.count()).select_from(Price)
                                .where(Price.origin == Origin.DEMO)):
            return
    catalogue = await load_catalogue(sessionmaker)
    today = now.astimezone(ZoneInfo("Asia/Jakarta")).date()
    rng = random.Random(20260302)
    rows = [row for series in SERIES for row in _walk(catalogue, series, today, rng, now)]
    rows += _set_prices(catalogue, today, rng, now)
    rows += _members_reports(catalogue, today, rng, now)
    async with sessionmaker() as session, session.begin():
        await session.execute(insert(Price), rows)
        await session.execute(update(Commodity).values(data_version=Commodity.data_version + 1))


def _row(catalogue: Catalogue, code: str, place: str, level: str, quality: str, value: Decimal,
         day: date, now: datetime, *, until: date | None = None, origin: str = Origin.DEMO,
         source: str = SOURCE) -> dict[str, object]:
    commodity, point = catalogue.by_code(code), catalogue.place_by_code(place)
    assert commodity is not None and point is not None, (code, place)
    return {"commodity_id": commodity.id, "place_id": point.id, "level": level,
            "quality": quality, "value": value, "unit": commodity.unit, "observed_on": day,
            "valid_until": until, "source": source, "origin": origin,
            "status": PriceStatus.PUBLISHED, "created_at": now, "updated_at": now}


def _walk(catalogue: Catalogue, series: Series, today: date, rng: random.Random,
          now: datetime) -> list[dict[str, object]]:
    """A random walk kept inside the series' range, rounded as traders round."""
    span = series.high - series.low
    value = series.low + span * rng.uniform(0.3, 0.7)
    step = 50 if series.high < 20000 else 250
    rows = []
    for back in range(DAYS - 1, -1, -series.every):
        value += rng.gauss(0, span * 0.08)
        value = min(max(value, series.low), series.high)
        price = Decimal(round(value / step) * step)
        rows.append(_row(catalogue, series.commodity, series.place, series.level,
                         series.quality, price, today - timedelta(days=back), now))
    return rows


def _set_prices(catalogue: Catalogue, today: date, rng: random.Random,
                now: datetime) -> list[dict[str, object]]:
    """Weekly Disbun set prices: TBS per palm age (the newest at the documented Rp3.669,78)
    and rubber per KKK."""
    rows = []
    prime, rubber = TBS_PRIME, Decimal(28500)
    for week in range(DAYS // 7 + 1):
        start = today - timedelta(days=week * 7 + today.weekday())
        end = start + timedelta(days=6)
        for age, factor in TBS_AGE_FACTORS.items():
            rows.append(_row(catalogue, "tbs", "disbun-jambi", Level.PENETAPAN, age,
                             (prime * Decimal(factor)).quantize(Decimal("0.01")), start, now,
                             until=end, source="Disbun Provinsi Jambi (demo)"))
        for kkk in RUBBER_KKK:
            rows.append(_row(catalogue, "karet", "disbun-jambi", Level.PENETAPAN, kkk,
                             (rubber * Decimal(kkk) / 100).quantize(Decimal(1)), start, now,
                             until=end, source="Disbun Provinsi Jambi (demo)"))
        prime = (prime * Decimal(str(1 + rng.uniform(-0.025, 0.02)))).quantize(Decimal("0.01"))
        rubber = (rubber * Decimal(str(1 + rng.uniform(-0.02, 0.02)))).quantize(Decimal(1))
    return rows


def _members_reports(catalogue: Catalogue, today: date, rng: random.Random,
                     now: datetime) -> list[dict[str, object]]:
    """A few traders' offers reported by farmers in Bangko, shown as "laporan warga"."""
    return [_row(catalogue, "karet", "kebun-15.02.02", Level.PRODUSEN, "",
                 Decimal(rng.randrange(13600, 14900, 50)), today - timedelta(days=back), now,
                 origin=Origin.CITIZEN, source=CITIZEN_SOURCE)
            for back in (0, 1, 1, 3, 4, 6, 8)]
