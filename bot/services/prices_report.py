"""Prices reported in the chat: by facilitators (published at once) and by members (checked).

A facilitator's second report for the same commodity, place, level, quality and day replaces
the first and leaves an audit record. A member's report is an offer a trader made in their
kecamatan: it is published among the "laporan warga" unless it lies beyond 3 MADs of recent
reports, in which case it waits for a facilitator's review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services import audit
from bot.services.audit import Action
from bot.services.prices_stats import MIN_SAMPLE, is_outlier
from models.price import (
    Commodity,
    Level,
    Origin,
    Price,
    PriceAudit,
    PricePoint,
    PriceStatus,
)

STAFF_SOURCE = "Fasilitator Berdaya"
CITIZEN_SOURCE = "Laporan warga"
OUTLIER_DAYS = 30


@dataclass(frozen=True, slots=True)
class Recorded:
    price: Price
    replaced: Decimal | None
    """The value a same-day report had before this one replaced it."""


async def record_price(
    sessionmaker: SessionMaker, *, commodity_id: int, place_id: int, level: str, quality: str,
    value: Decimal, observed_on: date, reported_by: int | None, now: datetime,
    source: str = STAFF_SOURCE, valid_until: date | None = None,
) -> Recorded:
    async with sessionmaker() as session, session.begin():
        commodity = await session.get_one(Commodity, commodity_id)
        existing = await session.scalar(select(Price).where(
            Price.commodity_id == commodity_id, Price.place_id == place_id, Price.level == level,
            Price.quality == quality, Price.observed_on == observed_on,
            Price.origin != Origin.CITIZEN,
        ))
        replaced = None
        if existing is None:
            existing = Price(
                commodity_id=commodity_id, place_id=place_id, level=level, quality=quality,
                value=value, unit=commodity.unit, observed_on=observed_on,
                valid_until=valid_until, source=source, origin=Origin.STAFF,
                reported_by=reported_by, status=PriceStatus.PUBLISHED, created_at=now,
                updated_at=now,
            )
            session.add(existing)
            await session.flush()
        else:
            replaced = existing.value
            session.add(PriceAudit(price_id=existing.id, action="replaced", old_value=replaced,
                                   new_value=value, old_source=existing.source,
                                   new_source=source, changed_by=reported_by, at=now))
            existing.value, existing.source, existing.valid_until = value, source, valid_until
            existing.origin, existing.reported_by = Origin.STAFF, reported_by
            existing.status, existing.updated_at = PriceStatus.PUBLISHED, now
        await _bump(session, commodity_id)
        details = await _price_details(session, existing)
        if replaced is not None:
            details["from"] = _money(replaced)
        await audit.record_by(
            session, Action.PRICE_REPORTED if replaced is None else Action.PRICE_OVERRIDDEN,
            reported_by, subject=f"price:{existing.id}", details=details, at=now)
    return Recorded(existing, replaced)


def _money(value: Decimal) -> str:
    """`14000`, however many decimals the database or the caller gave it."""
    return format(value.normalize(), "f")


async def _price_details(session: AsyncSession, price: Price) -> dict[str, object]:
    """What the audit trail keeps of a price: which one, where and how much."""
    place = await session.get(PricePoint, price.place_id)
    return {"commodity": price.commodity_id, "place": place.code if place else price.place_id,
            "level": price.level, "quality": price.quality, "value": _money(price.value),
            "observed_on": price.observed_on.isoformat()}


async def _bump(session: AsyncSession, commodity_id: int) -> None:
    """New data: cached charts of this commodity are redrawn."""
    await session.execute(update(Commodity).where(Commodity.id == commodity_id)
                          .values(data_version=Commodity.data_version + 1))


@dataclass(frozen=True, slots=True)
class CitizenReport:
    price: Price
    pending: bool


async def report_offer(
    sessionmaker: SessionMaker, *, commodity_id: int, quality: str, value: Decimal,
    place: PricePoint, member_id: int, today: date, now: datetime,
) -> CitizenReport:
    """A member's trader offer at their kecamatan's farm gate: published or held for review.

    A member's second report of the day for the same commodity replaces their first, so one
    person cannot outweigh the others.
    """
    async with sessionmaker() as session, session.begin():
        commodity = await session.get_one(Commodity, commodity_id)
        own = await session.scalar(select(Price).where(
            Price.commodity_id == commodity_id, Price.quality == quality,
            Price.place_id == place.id, Price.observed_on == today,
            Price.origin == Origin.CITIZEN, Price.reported_by == member_id))
        sample = await _recent_farm_gate(session, commodity_id, quality, today, place.id, own)
        if len(sample) < MIN_SAMPLE:
            sample = await _recent_farm_gate(session, commodity_id, quality, today, None, own)
        pending = is_outlier(value, sample)
        status = PriceStatus.PENDING if pending else PriceStatus.PUBLISHED
        if own is None:
            own = Price(
                commodity_id=commodity_id, place_id=place.id, level=Level.PRODUSEN,
                quality=quality, unit=commodity.unit, observed_on=today,
                source=CITIZEN_SOURCE, origin=Origin.CITIZEN, reported_by=member_id,
                created_at=now)
            session.add(own)
        own.value, own.status, own.updated_at = value, status, now
        await _bump(session, commodity_id)
    return CitizenReport(own, pending)


async def _recent_farm_gate(
    session: AsyncSession, commodity_id: int, quality: str, today: date, place_id: int | None,
    leaving_out: Price | None,
) -> list[Decimal]:
    """Published farm-gate prices of the last 30 days, members' and facilitators' alike."""
    query = select(Price.value).where(
        Price.commodity_id == commodity_id, Price.quality == quality,
        Price.level == Level.PRODUSEN, Price.status == PriceStatus.PUBLISHED,
        Price.observed_on.between(today - timedelta(days=OUTLIER_DAYS), today),
    )
    if place_id is not None:
        query = query.where(Price.place_id == place_id)
    if leaving_out is not None:
        query = query.where(Price.id != leaving_out.id)
    return list((await session.scalars(query)).all())


@dataclass(frozen=True, slots=True)
class PendingReport:
    price: Price
    commodity: Commodity
    place: PricePoint


async def pending_reports(sessionmaker: SessionMaker, limit: int = 10) -> list[PendingReport]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Price, Commodity, PricePoint)
            .join(Commodity, Commodity.id == Price.commodity_id)
            .join(PricePoint, PricePoint.id == Price.place_id)
            .where(Price.status == PriceStatus.PENDING)
            .order_by(Price.created_at, Price.id).limit(limit)
        )
        return [PendingReport(price, commodity, place) for price, commodity, place in rows]


async def pending_count(sessionmaker: SessionMaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(Price).where(Price.status == PriceStatus.PENDING)
        ) or 0


async def review(
    sessionmaker: SessionMaker, price_id: int, *, approve: bool, reviewer_id: int, now: datetime,
) -> Price | None:
    """Publish or reject a held report; None when someone else already decided."""
    async with sessionmaker() as session, session.begin():
        price = await session.get(Price, price_id)
        if price is None or price.status != PriceStatus.PENDING:
            return None
        price.status = PriceStatus.PUBLISHED if approve else PriceStatus.REJECTED
        price.updated_at = now
        session.add(PriceAudit(price_id=price.id, action="approved" if approve else "rejected",
                               old_value=price.value, new_value=price.value,
                               old_source=price.source, new_source=price.source,
                               changed_by=reviewer_id, at=now))
        details = {"decision": "approved" if approve else "rejected",
                   **await _price_details(session, price)}
        await audit.record_by(session, Action.PRICE_REVIEWED, reviewer_id,
                              subject=f"price:{price.id}", details=details, at=now)
        if approve:
            await _bump(session, price.commodity_id)
    return price


async def same_day_price(
    sessionmaker: SessionMaker, *, commodity_id: int, place_id: int, level: str, quality: str,
    observed_on: date,
) -> Decimal | None:
    """The price a new report would replace, to say so before it is saved."""
    async with sessionmaker() as session:
        return await session.scalar(select(Price.value).where(
            Price.commodity_id == commodity_id, Price.place_id == place_id, Price.level == level,
            Price.quality == quality, Price.observed_on == observed_on,
            Price.origin != Origin.CITIZEN))
