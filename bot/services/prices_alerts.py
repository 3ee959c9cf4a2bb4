"""Price alerts ("tell me when karet is above Rp15.000") and the optional 06.00 digest.

Both follow "find what is due at now, mark it done, hand it back to be sent": a job can run
them as often as it likes, after a restart too, and never sends the same thing twice.
An alert fires once per crossing: it remembers whether the price was past its threshold and
speaks only when that flips to "past".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.db import SessionMaker
from bot.services.prices import Catalogue
from bot.services.prices_query import Overview, Reference, overview, reference
from models import Member, Region, Status
from models.price import CommodityFollow, Direction, PriceAlert, PriceDigest

MAX_ALERTS = 10
DIGEST_FROM = time(6, 0)
DIGEST_UNTIL = time(12, 0)
"""A digest missed while the bot was down is still sent until noon, never in the evening."""


@dataclass(frozen=True, slots=True)
class Recipient:
    member_id: int
    chat_id: int
    language: str
    kecamatan_code: str | None


@dataclass(frozen=True, slots=True)
class NewAlert:
    alert: PriceAlert | None
    """None when the member already has this alert or too many alerts."""
    current: Reference
    too_many: bool = False


def is_beyond(direction: str, value: Decimal, threshold: Decimal) -> bool:
    return value > threshold if direction == Direction.ABOVE else value < threshold


async def create_alert(
    sessionmaker: SessionMaker, catalogue: Catalogue, *, member_id: int, commodity_id: int,
    quality: str, direction: Direction, threshold: Decimal, today: date, now: datetime,
) -> NewAlert:
    """Remembers where the price stands now, so an alert already past waits for a crossing."""
    current = reference(await overview(sessionmaker, catalogue, commodity_id, today), quality)
    value = current.value
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(PriceAlert).where(PriceAlert.member_id == member_id)
        ) or 0
    if count >= MAX_ALERTS:
        return NewAlert(None, current, too_many=True)
    alert = PriceAlert(
        member_id=member_id, commodity_id=commodity_id, quality=quality, direction=direction,
        threshold=threshold, last_value=value, created_at=now,
        beyond=value is not None and is_beyond(direction, value, threshold),
    )
    try:
        async with sessionmaker() as session, session.begin():
            session.add(alert)
    except IntegrityError:
        return NewAlert(None, current)
    return NewAlert(alert, current)


async def member_alerts(sessionmaker: SessionMaker, member_id: int) -> list[PriceAlert]:
    async with sessionmaker() as session:
        return list((await session.scalars(
            select(PriceAlert).where(PriceAlert.member_id == member_id)
            .order_by(PriceAlert.commodity_id, PriceAlert.threshold)
        )).all())


async def delete_alert(sessionmaker: SessionMaker, member_id: int, alert_id: int) -> bool:
    """Only the member's own alert: a tampered button cannot delete someone else's."""
    async with sessionmaker() as session, session.begin():
        result = await session.execute(delete(PriceAlert).where(
            PriceAlert.id == alert_id, PriceAlert.member_id == member_id))
        return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True, slots=True)
class AlertNotice:
    recipient: Recipient
    alert: PriceAlert
    current: Reference


async def due_alerts(
    sessionmaker: SessionMaker, catalogue: Catalogue, today: date, now: datetime,
    commodity_ids: set[int] | None = None,
) -> list[AlertNotice]:
    """Alerts whose price crossed their threshold since the last check; marked as sent.

    The state is written with a compare-and-set, so two overlapping runs cannot both send.
    """
    query = (select(PriceAlert, Member).join(Member, Member.id == PriceAlert.member_id)
             .where(Member.status == Status.ACTIVE, Member.chat_id.is_not(None)))
    if commodity_ids is not None:
        query = query.where(PriceAlert.commodity_id.in_(commodity_ids))
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    by_commodity: dict[int, list[tuple[PriceAlert, Member]]] = defaultdict(list)
    for alert, member in rows:
        by_commodity[alert.commodity_id].append((alert, member))
    changes: list[tuple[PriceAlert, Member, Reference, bool]] = []
    for commodity_id, alerts in by_commodity.items():
        view = await overview(sessionmaker, catalogue, commodity_id, today)
        for alert, member in alerts:
            current = reference(view, alert.quality)
            if current.value is None:
                continue
            beyond = is_beyond(alert.direction, current.value, alert.threshold)
            if beyond != alert.beyond or current.value != alert.last_value:
                changes.append((alert, member, current, beyond))
    notices = []
    async with sessionmaker() as session, session.begin():
        for alert, member, current, beyond in changes:
            fires = beyond and not alert.beyond
            values: dict[str, object] = {"beyond": beyond, "last_value": current.value}
            if fires:
                values["last_sent_at"] = now
            result = await session.execute(
                update(PriceAlert).where(PriceAlert.id == alert.id,
                                         PriceAlert.beyond == alert.beyond).values(**values))
            if fires and getattr(result, "rowcount", 0):
                notices.append(AlertNotice(_recipient(member, None), alert, current))
    return notices


def _recipient(member: Member, kecamatan_code: str | None) -> Recipient:
    assert member.chat_id is not None
    return Recipient(member.id, member.chat_id, member.language, kecamatan_code)


@dataclass(frozen=True, slots=True)
class Digest:
    recipient: Recipient
    views: list[Overview]


def digest_is_due(local_now: datetime) -> bool:
    return DIGEST_FROM <= local_now.time() < DIGEST_UNTIL


async def due_digests(
    sessionmaker: SessionMaker, catalogue: Catalogue, local_now: datetime
) -> list[Digest]:
    """This morning's digests not sent yet, claimed for today before they are handed back."""
    if not digest_is_due(local_now):
        return []
    today = local_now.date()
    not_sent = (PriceDigest.last_sent_on.is_(None)) | (PriceDigest.last_sent_on < today)
    async with sessionmaker() as session, session.begin():
        rows = (await session.execute(
            select(Member, Region.parent_code)
            .join(PriceDigest, PriceDigest.member_id == Member.id)
            .outerjoin(Region, Region.code == Member.desa_code)
            .where(Member.status == Status.ACTIVE, Member.chat_id.is_not(None), not_sent)
        )).all()
        claimed = [(member, kecamatan) for member, kecamatan in rows
                   if getattr(await session.execute(
                       update(PriceDigest).where(PriceDigest.member_id == member.id, not_sent)
                       .values(last_sent_on=today)), "rowcount", 0)]
        follows = (await session.execute(
            select(CommodityFollow.member_id, CommodityFollow.commodity_id)
            .where(CommodityFollow.member_id.in_([m.id for m, _ in claimed]))
        )).all()
    followed: dict[int, list[int]] = defaultdict(list)
    for member_id, commodity_id in follows:
        followed[member_id].append(commodity_id)
    views: dict[tuple[int, str | None], Overview] = {}
    digests = []
    for member, kecamatan in claimed:
        chosen = []
        for commodity_id in sorted(followed[member.id], key=lambda i: _position(catalogue, i)):
            key = (commodity_id, kecamatan)
            if key not in views:
                views[key] = await overview(sessionmaker, catalogue, commodity_id, today,
                                            kecamatan)
            chosen.append(views[key])
        if chosen:
            digests.append(Digest(_recipient(member, kecamatan), chosen))
    return digests


def _position(catalogue: Catalogue, commodity_id: int) -> int:
    commodity = catalogue.commodity(commodity_id)
    return commodity.position if commodity else 0
