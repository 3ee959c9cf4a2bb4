"""The price catalogue (commodities, qualities, places) and each member's own commodities."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import delete, func, select

from bot.db import SessionMaker
from bot.i18n import N_
from bot.services.prices_parse import Match, candidate, match_name, normalize
from models import Region
from models.price import (
    Commodity,
    CommodityFollow,
    Level,
    PlaceKind,
    Price,
    PriceDigest,
    PricePoint,
)

LEVEL_NAMES = {
    Level.PRODUSEN: N_("farm gate"),
    Level.GROSIR: N_("wholesale"),
    Level.ECERAN: N_("retail"),
    Level.PENETAPAN: N_("official set price"),
}
LOCAL_DAYS = 90
MEMO_LIMIT = 10_000
"""Names looked up are remembered, within bounds: members type anything."""
T = TypeVar("T")


class Catalogue:
    """Commodities, their qualities and the price points, looked up in memory.

    Name look-ups are remembered, because a file names the same few commodities and places on
    every one of its thousands of rows, and members ask for the same few commodities.
    """

    def __init__(self, commodities: Sequence[Commodity], places: Sequence[PricePoint]) -> None:
        self.commodities = commodities
        self.places = places
        self._by_id = {c.id: c for c in commodities}
        self._places = {p.id: p for p in places}
        self._names = [candidate(c.id, [c.code.replace("_", " "), c.name_id, c.name_en,
                                        *c.words.split(",")]) for c in commodities]
        self._place_names = [candidate(p.id, [p.code, p.name, p.name.removeprefix("Pasar "),
                                              p.name.removeprefix("Kec. ")]) for p in places]
        self._grades = {c.id: [candidate(q.code, [q.code, q.name_id, q.name_en,
                                                  *q.words.split(",")]) for q in c.qualities]
                        for c in commodities}
        self._memo: dict[tuple[object, ...], object] = {}

    def commodity(self, commodity_id: int) -> Commodity | None:
        return self._by_id.get(commodity_id)

    def by_code(self, code: str) -> Commodity | None:
        return next((c for c in self.commodities if c.code == code), None)

    def place(self, place_id: int) -> PricePoint | None:
        return self._places.get(place_id)

    def place_by_code(self, code: str) -> PricePoint | None:
        return next((p for p in self.places if p.code == code), None)

    def farm_gate(self, kecamatan_code: str | None) -> PricePoint | None:
        return next((p for p in self.places if p.kind == PlaceKind.FARM_GATE
                     and p.region_code == kecamatan_code), None) if kecamatan_code else None

    def _remembered(self, key: tuple[object, ...], find: Callable[[], T]) -> T:
        if key not in self._memo:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = find()
        return self._memo[key]  # type: ignore[return-value]

    def match_commodity(self, text: str, *, fuzzy: bool = True) -> Match:
        return self._remembered(("commodity", text, fuzzy),
                                lambda: match_name(text, self._names, fuzzy=fuzzy))

    def is_name_of(self, commodity: Commodity, text: str) -> bool:
        """Exactly one of its names ("Beras"), not a longer variety ("Beras Kualitas Bawah I")."""
        query = normalize(text)
        return any(query in c.words for c in self._names if c.key == commodity.id)

    def match_place(self, text: str) -> Match:
        """By code or name, with or without "Pasar"/"Kec."; no guessing (files must be exact)."""
        return self._remembered(("place", text),
                                lambda: match_name(text, self._place_names, fuzzy=False))

    def match_quality(self, commodity: Commodity, text: str) -> str | None:
        """The quality code named by `text` ("KKK 50%", "10 - 20", "Petik Merah"), if any."""
        return self._remembered(("quality", commodity.id, text),
                                lambda: self._find_quality(commodity, text))

    def _find_quality(self, commodity: Commodity, text: str) -> str | None:
        names = self._grades.get(commodity.id, [])
        query = normalize(text)
        exact = next((c.key for c in names if query in c.words), None)
        if exact is not None:
            return str(exact)
        padded = f" {query} "
        inside = [(len(w), c.key) for c in names for w in c.words if f" {w} " in padded]
        return str(max(inside)[1]) if inside else None


_catalogues: weakref.WeakKeyDictionary[SessionMaker, Catalogue] = weakref.WeakKeyDictionary()


async def load_catalogue(sessionmaker: SessionMaker) -> Catalogue:
    """Read once per database and process: the catalogue changes only with a migration, and a
    migration means a restart. (Prices, and each commodity's data_version, are always read
    fresh.)"""
    found = _catalogues.get(sessionmaker)
    if found is None:
        async with sessionmaker() as session:
            commodities = (await session.scalars(
                select(Commodity).order_by(Commodity.position, Commodity.id))).all()
            places = (await session.scalars(
                select(PricePoint).order_by(PricePoint.position, PricePoint.id))).all()
        found = _catalogues[sessionmaker] = Catalogue(commodities, places)
    return found


async def kecamatan_of(sessionmaker: SessionMaker, desa_code: str | None) -> str | None:
    if desa_code is None:
        return None
    async with sessionmaker() as session:
        return await session.scalar(select(Region.parent_code).where(Region.code == desa_code))


@dataclass(frozen=True, slots=True)
class Menu:
    commodity_ids: list[int]
    """Every commodity, the member's own first, then what their kecamatan trades most (counted
    from the place-day-commodity index alone, so a long history costs nothing here)."""
    followed: frozenset[int]


async def commodity_menu(
    sessionmaker: SessionMaker, catalogue: Catalogue, member_id: int | None,
    kecamatan_code: str | None, today: date,
) -> Menu:
    async with sessionmaker() as session:
        followed: set[int] = set()
        if member_id is not None:
            followed = set((await session.scalars(
                select(CommodityFollow.commodity_id).where(CommodityFollow.member_id == member_id)
            )).all())
        local: dict[int, int] = {}
        if kecamatan_code is not None:
            rows = await session.execute(
                select(Price.commodity_id, func.count())
                .join(PricePoint, PricePoint.id == Price.place_id)
                .where(PricePoint.region_code == kecamatan_code,
                       Price.observed_on >= today - timedelta(days=LOCAL_DAYS))
                .group_by(Price.commodity_id)
            )
            local = {commodity_id: count for commodity_id, count in rows}
    ordered = sorted(
        catalogue.commodities,
        key=lambda c: (c.id not in followed, -local.get(c.id, 0), c.position),
    )
    return Menu([c.id for c in ordered], frozenset(followed))


async def toggle_follow(sessionmaker: SessionMaker, member_id: int, commodity_id: int) -> bool:
    """Follow or unfollow; returns whether the member now follows it."""
    async with sessionmaker() as session, session.begin():
        existing = await session.get(CommodityFollow, (member_id, commodity_id))
        if existing is not None:
            await session.delete(existing)
            return False
        session.add(CommodityFollow(member_id=member_id, commodity_id=commodity_id))
        return True


async def followed_commodities(sessionmaker: SessionMaker, member_id: int) -> list[int]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(CommodityFollow.commodity_id)
            .join(Commodity, Commodity.id == CommodityFollow.commodity_id)
            .where(CommodityFollow.member_id == member_id).order_by(Commodity.position)
        )
        return list(rows.all())


async def digest_enabled(sessionmaker: SessionMaker, member_id: int) -> bool:
    async with sessionmaker() as session:
        return await session.get(PriceDigest, member_id) is not None


async def set_digest(sessionmaker: SessionMaker, member_id: int, enabled: bool) -> None:
    async with sessionmaker() as session, session.begin():
        if enabled:
            if await session.get(PriceDigest, member_id) is None:
                session.add(PriceDigest(member_id=member_id))
        else:
            await session.execute(delete(PriceDigest).where(PriceDigest.member_id == member_id))
