"""What the programme did lately: trainings held, prices reported, broadcasts sent, tips read.

Each figure is one aggregate query; `kecamatan` None means the whole kabupaten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services.statistics_sql import count_if, in_kecamatan
from bot.services.tips import tip_stats
from models import Member
from models.broadcast import Broadcast, Delivery, DeliveryStatus
from models.price import Origin, Price, PricePoint, PriceStatus
from models.tip import TipView
from models.training import Enrollment, EnrollmentStatus, Training, TrainingStatus

TOP_TIPS = 3


@dataclass(frozen=True, slots=True)
class TrainingFigures:
    """Trainings that ended in the period and were not cancelled."""

    held: int
    seats: int
    """Their capacity, all together."""
    enrolled: int
    """Seats filled: members enrolled when it ended (and anyone ticked present)."""
    attended: int
    ratings: int
    rating_total: int

    @property
    def attendance(self) -> float | None:
        return self.attended / self.enrolled if self.enrolled else None

    @property
    def average_rating(self) -> float | None:
        return self.rating_total / self.ratings if self.ratings else None


@dataclass(frozen=True, slots=True)
class PriceFigures:
    """Prices reported in the chat (not imported files or demo data), rejected ones left out."""

    reports: int
    by_staff: int
    by_members: int
    pending: int
    """Members' reports still waiting for a facilitator's review."""


@dataclass(frozen=True, slots=True)
class BroadcastFigures:
    broadcasts: int
    recipients: int
    """Deliveries meant to happen: all but those cancelled before they were sent."""
    delivered: int

    @property
    def reach(self) -> float | None:
        return self.delivered / self.recipients if self.recipients else None


@dataclass(frozen=True, slots=True)
class TopTip:
    tip_id: int
    title: str
    readers: int


def _training_filter(kecamatan: str | None, since: datetime,
                     now: datetime) -> list[ColumnElement[bool]]:
    conditions = [Training.status != TrainingStatus.CANCELLED,
                  Training.ends_at >= since, Training.ends_at <= now]
    if kecamatan is not None:
        conditions.append(Training.kecamatan_code == kecamatan)
    return conditions


async def training_figures(session: AsyncSession, kecamatan: str | None, since: datetime,
                           now: datetime) -> TrainingFigures:
    held, seats = (await session.execute(
        select(func.count(), func.coalesce(func.sum(Training.capacity), 0))
        .where(*_training_filter(kecamatan, since, now))
    )).one()
    attended = Enrollment.attended_at.is_not(None)
    enrolled, came, ratings, total = (await session.execute(
        select(count_if(or_(Enrollment.status == EnrollmentStatus.ENROLLED, attended)),
               count_if(attended), func.count(Enrollment.rating),
               func.coalesce(func.sum(Enrollment.rating), 0))
        .select_from(Enrollment)
        .join(Training, Training.id == Enrollment.training_id)
        .where(*_training_filter(kecamatan, since, now))
    )).one()
    return TrainingFigures(int(held), int(seats), int(enrolled), int(came), int(ratings),
                           int(total))


async def price_figures(session: AsyncSession, kecamatan: str | None,
                        since: datetime) -> PriceFigures:
    query = select(
        func.count(), count_if(Price.origin == Origin.STAFF),
        count_if(Price.origin == Origin.CITIZEN), count_if(Price.status == PriceStatus.PENDING),
    ).select_from(Price).where(
        Price.created_at >= since, Price.origin.in_([Origin.STAFF, Origin.CITIZEN]),
        Price.status != PriceStatus.REJECTED)
    if kecamatan is not None:
        query = query.join(PricePoint, PricePoint.id == Price.place_id).where(
            PricePoint.region_code == kecamatan)
    reports, staff, members, pending = (await session.execute(query)).one()
    return PriceFigures(int(reports), int(staff), int(members), int(pending))


async def broadcast_figures(session: AsyncSession, kecamatan: str | None,
                            since: datetime) -> BroadcastFigures:
    """Broadcasts that started sending in the period; in a kecamatan, those that had someone
    there among their recipients, counting only those recipients."""
    query = (
        select(func.count(distinct(Delivery.broadcast_id)),
               count_if(Delivery.status != DeliveryStatus.CANCELLED),
               count_if(Delivery.status == DeliveryStatus.SENT))
        .select_from(Delivery)
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Broadcast.started_at >= since)
    )
    if kecamatan is not None:
        query = query.join(Member, Member.id == Delivery.member_id).where(
            in_kecamatan(Member.desa_code, kecamatan))
    broadcasts, recipients, delivered = (await session.execute(query)).one()
    return BroadcastFigures(int(broadcasts), int(recipients), int(delivered))


async def kecamatan_tip_readers(session: AsyncSession, kecamatan: str,
                                limit: int = TOP_TIPS) -> dict[int, int]:
    """Readers living in the kecamatan per tip, the most read ones only."""
    readers = func.count()
    rows = (await session.execute(
        select(TipView.tip_id, readers)
        .join(Member, Member.id == TipView.member_id)
        .where(TipView.opens > 0, in_kecamatan(Member.desa_code, kecamatan))
        .group_by(TipView.tip_id)
        .order_by(readers.desc(), TipView.tip_id)
        .limit(limit)
    )).all()
    return {tip_id: int(count) for tip_id, count in rows}


async def top_tips(sessionmaker: SessionMaker, language: str,
                   readers: dict[int, int] | None = None, limit: int = TOP_TIPS) -> list[TopTip]:
    """The most read tips: `tips.tip_stats` over everyone, or the given readers' counts (one
    kecamatan) with the titles from `tip_stats`."""
    if readers is None:
        stats = await tip_stats(sessionmaker, language)
        return [TopTip(s.tip_id, s.title, s.readers) for s in stats if s.readers][:limit]
    if not readers:
        return []
    titles = {s.tip_id: s.title for s in await tip_stats(sessionmaker, language,
                                                         tip_ids=list(readers))}
    found = [TopTip(tip_id, titles[tip_id], count) for tip_id, count in readers.items()
             if tip_id in titles]
    return sorted(found, key=lambda t: (-t.readers, t.tip_id))[:limit]
