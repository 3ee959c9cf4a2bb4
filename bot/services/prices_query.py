"""What a member reads: the latest price per place and level, its change, its range, references.

One commodity's overview is two indexed queries (its newest date, then the 30 days before it);
everything else (week-earlier change, 30-day low/high, members' medians, the references a
trader's offer is checked against) is computed from those rows in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services.prices import Catalogue
from bot.services.prices_stats import Change, median, weekly_change
from models.price import Commodity, Level, Origin, PlaceKind, Price, PricePoint, PriceStatus

WINDOW_DAYS = 30
STALE_DAYS = 7
CITIZEN_DAYS = 14
REFERENCE_DAYS = 7
PROPORTIONAL_QUALITY = frozenset({"karet"})
"""Commodities whose quality code is a percentage the price scales with: a kilo of slab at
KKK 50 % holds half the dry rubber of one at KKK 100 %."""
LEVEL_ORDER = {Level.PENETAPAN: 0, Level.PRODUSEN: 1, Level.GROSIR: 2, Level.ECERAN: 3}


@dataclass(frozen=True, slots=True)
class Observation:
    value: Decimal
    observed_on: date
    valid_until: date | None
    source: str
    origin: str


@dataclass(frozen=True, slots=True)
class SeriesSummary:
    """The latest price of one place, level and quality, with its recent movement."""

    place: PricePoint
    level: str
    quality: str
    latest: Observation
    change: Change | None
    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True)
class CitizenSummary:
    """Members' reports for one kecamatan: shown apart, as a median with its count."""

    place: PricePoint
    quality: str
    median: Decimal
    count: int
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class Overview:
    commodity: Commodity
    today: date
    series: list[SeriesSummary]
    citizen: list[CitizenSummary]

    @property
    def newest(self) -> date | None:
        """The newest day any shown price speaks for (a set price counts until it expires)."""
        days = [min(s.latest.valid_until or s.latest.observed_on, self.today)
                for s in self.series] + [c.last for c in self.citizen]
        return max(days, default=None)

    @property
    def stale(self) -> bool:
        newest = self.newest
        return newest is None or (self.today - newest).days > STALE_DAYS

    @property
    def is_empty(self) -> bool:
        return not self.series and not self.citizen


@dataclass(frozen=True, slots=True)
class Reference:
    """What a trader's offer is compared with."""

    farm_gate: Decimal | None
    farm_gate_count: int
    farm_gate_on: date | None
    farm_gate_sources: tuple[str, ...]
    set_price: Observation | None
    scaled_from: str | None
    """The quality the reference was converted from (rubber KKK), or None."""

    @property
    def value(self) -> Decimal | None:
        if self.farm_gate is not None:
            return self.farm_gate
        return self.set_price.value if self.set_price else None


async def overview(
    sessionmaker: SessionMaker, catalogue: Catalogue, commodity_id: int, today: date,
    kecamatan_code: str | None = None,
) -> Overview:
    """Two index range reads on (commodity, day): the newest day, then the 30 days before it.

    Grouping, ranking and the statistics are done here rather than in SQL: with a few dozen
    series a commodity's month is about a thousand short rows, which SQLite hands over faster
    than it runs window functions or correlated look-ups over them (measured: bench/prices.py).
    """
    commodity = catalogue.commodity(commodity_id)
    if commodity is None:
        raise KeyError(commodity_id)
    published = (Price.commodity_id == commodity_id, Price.status == PriceStatus.PUBLISHED,
                 Price.observed_on <= today)
    async with sessionmaker() as session:
        newest = await session.scalar(
            select(Price.observed_on).where(*published)
            .order_by(Price.observed_on.desc()).limit(1)
        )
        if newest is None:
            return Overview(commodity, today, [], [])
        rows = (await session.execute(
            select(Price.place_id, Price.level, Price.quality, Price.value, Price.observed_on,
                   Price.valid_until, Price.source, Price.origin)
            .where(*published, Price.observed_on >= newest - timedelta(days=WINDOW_DAYS))
        )).all()
    return summarize(catalogue, commodity, today, rows, kecamatan_code)


Row = tuple[int, str, str, Decimal, date, date | None, str, str]


def summarize(
    catalogue: Catalogue, commodity: Commodity, today: date, rows: Sequence[Row],
    kecamatan_code: str | None = None,
) -> Overview:
    official: dict[tuple[int, str, str], list[Row]] = defaultdict(list)
    citizen: dict[tuple[int, str], list[tuple[date, Decimal]]] = defaultdict(list)
    for row in rows:
        if row[7] == Origin.CITIZEN:
            citizen[(row[0], row[2])].append((row[4], row[3]))
        else:
            official[(row[0], row[1], row[2])].append(row)
    series = []
    for (place_id, level, quality), found in official.items():
        place = catalogue.place(place_id)
        if place is None:
            continue
        _, _, _, value, day, until, source, origin = max(found, key=lambda r: r[4])
        values = [r[3] for r in found]
        history = [(r[4], r[3]) for r in found]
        series.append(SeriesSummary(
            place, level, quality, Observation(value, day, until, source, origin),
            weekly_change((day, value), history), min(values), max(values)))
    quality_order = {q.code: q.position for q in commodity.qualities}

    def series_key(s: SeriesSummary) -> tuple[int, int, int, int]:
        return (_place_rank(s.place, kecamatan_code), s.place.position, LEVEL_ORDER[s.level],
                quality_order.get(s.quality, -1))

    series.sort(key=series_key)
    members = []
    for (place_id, quality), reports in citizen.items():
        place = catalogue.place(place_id)
        if place is None:
            continue
        last = max(day for day, _ in reports)
        recent = [(day, value) for day, value in reports
                  if day > last - timedelta(days=CITIZEN_DAYS)]
        members.append(CitizenSummary(place, quality, median([v for _, v in recent]),
                                      len(recent), min(d for d, _ in recent), last))
    members.sort(key=lambda c: (c.place.region_code != kecamatan_code, c.place.position,
                                quality_order.get(c.quality, -1)))
    return Overview(commodity, today, series, members)


def _place_rank(place: PricePoint, kecamatan_code: str | None) -> int:
    """Set price, the member's own farm gate, their markets, other farm gates and markets."""
    kind = PlaceKind(place.kind)
    if kind == PlaceKind.SET_PRICE:
        return 0
    own = kecamatan_code is not None and place.region_code == kecamatan_code
    if kind == PlaceKind.FARM_GATE:
        return 1 if own else 3
    if kind == PlaceKind.MARKET:
        return 2 if own else 4
    return 5


def reference(view: Overview, quality: str) -> Reference:
    """Farm-gate median (newest week of produsen prices) and the newest set price."""
    farm = [s for s in view.series if s.level == Level.PRODUSEN]
    farm_values, scaled = _for_quality(view.commodity, farm, quality)
    if farm_values:
        newest = max(s.latest.observed_on for s, _ in farm_values)
        farm_values = [(s, v) for s, v in farm_values
                       if s.latest.observed_on > newest - timedelta(days=REFERENCE_DAYS)]
    set_values, set_scaled = _for_quality(
        view.commodity, [s for s in view.series if s.level == Level.PENETAPAN], quality)
    set_price = None
    if set_values:
        newest_set, value = max(set_values, key=lambda sv: sv[0].latest.observed_on)
        o = newest_set.latest
        set_price = Observation(value, o.observed_on, o.valid_until, o.source, o.origin)
    return Reference(
        farm_gate=median([v for _, v in farm_values]) if farm_values else None,
        farm_gate_count=len(farm_values),
        farm_gate_on=max((s.latest.observed_on for s, _ in farm_values), default=None),
        farm_gate_sources=tuple(dict.fromkeys(s.latest.source for s, _ in farm_values)),
        set_price=set_price,
        scaled_from=scaled or set_scaled,
    )


def _for_quality(
    commodity: Commodity, series: list[SeriesSummary], quality: str
) -> tuple[list[tuple[SeriesSummary, Decimal]], str | None]:
    exact = [(s, s.latest.value) for s in series if s.quality == quality]
    if exact or commodity.code not in PROPORTIONAL_QUALITY or not quality.isdigit():
        return exact, None
    graded = [s for s in series if s.quality.isdigit()]
    if not graded:
        return [], None
    source_quality = max(graded, key=lambda s: (s.quality == "100", s.latest.observed_on)).quality
    return ([(s, (s.latest.value * Decimal(quality) / Decimal(s.quality)).quantize(Decimal(1)))
             for s in graded if s.quality == source_quality], source_quality)


async def usual_price(
    sessionmaker: SessionMaker, commodity_id: int, quality: str, level: str, today: date,
    days: int = 90,
) -> Decimal | None:
    """The 90-day median at this level (any level when this one has none): what "absurd" means."""
    async with sessionmaker() as session:
        rows = (await session.execute(
            select(Price.level, Price.value).where(
                Price.commodity_id == commodity_id, Price.quality == quality,
                Price.status == PriceStatus.PUBLISHED,
                Price.observed_on.between(today - timedelta(days=days), today))
        )).all()
    same = [value for row_level, value in rows if row_level == level]
    values = same or [value for _, value in rows]
    return median(values) if values else None


@dataclass(frozen=True, slots=True)
class ChartLine:
    place: PricePoint
    level: str
    points: list[tuple[date, Decimal]]
    sources: tuple[str, ...]
    demo: bool


async def chart_lines(
    sessionmaker: SessionMaker, catalogue: Catalogue, commodity_id: int, quality: str,
    days: int, today: date, most: int = 6,
) -> list[ChartLine]:
    """One line per place and level (the best-filled ones), members' reports left out."""
    async with sessionmaker() as session:
        rows = (await session.execute(
            select(Price.place_id, Price.level, Price.observed_on, Price.value, Price.source,
                   Price.origin)
            .where(Price.commodity_id == commodity_id, Price.quality == quality,
                   Price.status == PriceStatus.PUBLISHED, Price.origin != Origin.CITIZEN,
                   Price.observed_on.between(today - timedelta(days=days), today))
            .order_by(Price.observed_on)
        )).all()
    grouped: dict[tuple[int, str], list[tuple[date, Decimal, str, str]]] = defaultdict(list)
    for place_id, level, observed_on, value, source, origin in rows:
        grouped[(place_id, level)].append((observed_on, value, source, origin))
    lines = []
    for (place_id, level), points in grouped.items():
        place = catalogue.place(place_id)
        if place is not None:
            lines.append(ChartLine(place, level, [(d, v) for d, v, _, _ in points],
                                   tuple(dict.fromkeys(s for _, _, s, _ in points)),
                                   any(o == Origin.DEMO for _, _, _, o in points)))
    lines.sort(key=lambda line: (-len(line.points), line.place.position))
    return sorted(lines[:most], key=lambda line: (line.place.position, LEVEL_ORDER[line.level]))


async def chart_qualities(
    sessionmaker: SessionMaker, commodity_id: int, days: int, today: date
) -> list[str]:
    """Qualities with prices to draw, most reported first."""
    async with sessionmaker() as session:
        rows = (await session.execute(
            select(Price.quality, func.count()).where(
                Price.commodity_id == commodity_id, Price.status == PriceStatus.PUBLISHED,
                Price.origin != Origin.CITIZEN,
                Price.observed_on.between(today - timedelta(days=days), today))
            .group_by(Price.quality).order_by(func.count().desc(), Price.quality)
        )).all()
    return [quality for quality, _ in rows]
