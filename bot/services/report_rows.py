"""The report's rows, read from the database a chunk at a time.

Members are read in pages of `CHUNK` by id (each page's groups in one more query), price and
attendance rows are streamed, so a kabupaten of 50,000 members never sits in memory. Trainings
and broadcasts of one period are few and are read whole, with their counts in one grouped query.
Erased members (status deleted) are never listed; a limited report names only members whose desa
lies in its kecamatan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.i18n import Translator
from bot.services import report_columns as words
from bot.services.broadcasts_audience import FIELDS, Audience
from bot.services.broadcasts_format import visible_text
from bot.services.groups import group_name
from bot.services.statistics_sql import in_kecamatan
from models import Group, Member, Region, Status, member_groups
from models.broadcast import Broadcast, Delivery, DeliveryStatus
from models.price import Commodity, CommodityQuality, Price, PricePoint, PriceStatus
from models.training import Enrollment, EnrollmentStatus, Training

CHUNK = 2000
EXCERPT = 200
"""Characters of a broadcast's text shown in the workbook."""

Row = list[Any]


@dataclass(frozen=True, slots=True)
class Query:
    kecamatan: str | None
    since: datetime
    until: datetime
    """Aware bounds: `since` included, `until` excluded."""
    tz: tzinfo
    contacts: bool

    def local(self, moment: datetime | None) -> datetime | None:
        """Excel has no time zones: the WIB wall-clock time, naive."""
        return moment.astimezone(self.tz).replace(tzinfo=None) if moment else None


@dataclass(frozen=True, slots=True)
class Lookups:
    """Small reference tables read once: region, group and quality names."""

    regions: dict[str, tuple[str, str | None]]
    groups: dict[int, str]
    group_codes: dict[str, str]
    qualities: dict[tuple[int, str], str]

    def name(self, code: str | None) -> str:
        return self.regions[code][0] if code in self.regions else code or ""

    def parent(self, code: str | None) -> str:
        return self.name(self.regions[code][1]) if code in self.regions else ""


async def load_lookups(session: AsyncSession, tz: tzinfo) -> Lookups:
    tr = Translator("id", tz)
    regions = {code: (name, parent) for code, name, parent in await session.execute(
        select(Region.code, Region.name, Region.parent_code))}
    groups = list(await session.execute(select(Group.id, Group.code, Group.name)))
    qualities = {(row.commodity_id, row.code): row.name_id for row in await session.execute(
        select(CommodityQuality.commodity_id, CommodityQuality.code, CommodityQuality.name_id))}
    return Lookups(regions, {gid: group_name(tr, code, name) for gid, code, name in groups},
                   {code: group_name(tr, code, name) for _, code, name in groups}, qualities)


def _members_where(query: Query) -> list[ColumnElement[bool]]:
    """Registered (consented), not erased, registered before the period ended."""
    where = [Member.status != Status.DELETED, Member.consent_at.is_not(None),
             Member.created_at < query.until]
    if query.kecamatan is not None:
        where.append(in_kecamatan(Member.desa_code, query.kecamatan))
    return where


async def count_new_members(session: AsyncSession, query: Query) -> int:
    return await session.scalar(select(func.count()).select_from(Member).where(
        *_members_where(query), Member.created_at >= query.since)) or 0


async def _groups_of(session: AsyncSession, member_ids: list[int],
                     lookups: Lookups) -> dict[int, list[str]]:
    """By the page's own ids: in a kecamatan's report an id range would hold mostly others."""
    found: dict[int, list[str]] = defaultdict(list)
    for member_id, group_id in await session.execute(
            select(member_groups.c.member_id, member_groups.c.group_id)
            .join(Group, Group.id == member_groups.c.group_id)
            .where(member_groups.c.member_id.in_(member_ids))
            .order_by(member_groups.c.member_id, Group.position, Group.id)):
        found[member_id].append(lookups.groups.get(group_id, ""))
    return found


async def member_rows(session: AsyncSession, query: Query,
                      lookups: Lookups) -> AsyncIterator[Row]:
    columns = [Member.id, Member.full_name, Member.desa_code, Member.language, Member.role,
               Member.status, Member.created_at, Member.consent_version]
    if query.contacts:
        columns.append(Member.phone)
    last = 0
    while True:
        page = (await session.execute(
            select(*columns).where(*_members_where(query), Member.id > last)
            .order_by(Member.id).limit(CHUNK))).all()
        if not page:
            return
        groups = await _groups_of(session, [row.id for row in page], lookups)
        for row in page:
            values = [row.id, row.full_name or "", lookups.name(row.desa_code),
                      lookups.parent(row.desa_code), ", ".join(groups.get(row.id, ())),
                      words.LANGUAGES.get(row.language, row.language),
                      words.ROLES.get(row.role, row.role),
                      words.MEMBER_STATUSES.get(row.status, row.status),
                      query.local(row.created_at), row.consent_version or ""]
            if query.contacts:
                values.append(row.phone or "")
            yield values
        last = page[-1].id
        if len(page) < CHUNK:
            return


def _trainings_where(query: Query) -> list[ColumnElement[bool]]:
    where = [Training.starts_at >= query.since, Training.starts_at < query.until]
    if query.kecamatan is not None:
        where.append(Training.kecamatan_code == query.kecamatan)
    return where


@dataclass
class _Tally:
    enrolled: int = 0
    waiting: int = 0
    attended: int = 0
    rated: int = 0
    rating_sum: int = 0


async def training_rows(session: AsyncSession, query: Query, lookups: Lookups) -> list[Row]:
    """Counts cover every enrollment, also of members outside a limited report's kecamatan."""
    trainings = list(await session.scalars(
        select(Training).where(*_trainings_where(query)).order_by(Training.starts_at,
                                                                   Training.id)))
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    in_period = select(Training.id).where(*_trainings_where(query))
    for training_id, status, count, attended, rated, rating_sum in await session.execute(
            select(Enrollment.training_id, Enrollment.status, func.count(),
                   func.count(Enrollment.attended_at), func.count(Enrollment.rating),
                   func.coalesce(func.sum(Enrollment.rating), 0))
            .where(Enrollment.training_id.in_(in_period))
            .group_by(Enrollment.training_id, Enrollment.status)):
        tally = tallies[training_id]
        if status == EnrollmentStatus.ENROLLED:
            tally.enrolled += count
        elif status in (EnrollmentStatus.WAITLISTED, EnrollmentStatus.OFFERED):
            tally.waiting += count
        tally.attended += attended
        tally.rated += rated
        tally.rating_sum += int(rating_sum)
    rows = []
    for t in trainings:
        tally = tallies[t.id]
        rows.append([
            t.id, t.title, words.CATEGORIES.get(t.category, t.category),
            lookups.name(t.kecamatan_code), lookups.name(t.desa_code), t.venue, t.organizer,
            query.local(t.starts_at), t.capacity, tally.enrolled, tally.waiting, tally.attended,
            tally.attended / tally.enrolled if tally.enrolled else None,
            tally.rating_sum / tally.rated if tally.rated else None, tally.rated,
            words.TRAINING_STATUSES.get(t.status, t.status)])
    return rows


async def attendance_rows(session: AsyncSession, query: Query) -> AsyncIterator[Row]:
    statement = (
        select(Training.id, Training.title, Training.starts_at, Member.id, Member.full_name,
               Member.status, Enrollment.status, Enrollment.attended_at, Enrollment.rating)
        .join(Enrollment, Enrollment.training_id == Training.id)
        .join(Member, Member.id == Enrollment.member_id)
        .where(*_trainings_where(query))
        .order_by(Training.starts_at, Training.id, Enrollment.id))
    if query.kecamatan is not None:
        statement = statement.where(in_kecamatan(Member.desa_code, query.kecamatan))
    rows = await session.stream(statement.execution_options(yield_per=CHUNK))
    async for (training_id, title, starts_at, member_id, name, member_status, status,
               attended_at, rating) in rows:
        erased = member_status == Status.DELETED
        yield [training_id, title, query.local(starts_at), None if erased else member_id,
               words.ERASED if erased else name or "",
               words.ENROLLMENT_STATUSES.get(status, status),
               words.YES if attended_at is not None else words.NO, rating]


async def price_rows(session: AsyncSession, query: Query, lookups: Lookups) -> AsyncIterator[Row]:
    """Published prices and members' reports awaiting review; rejected reports are left out."""
    first, last = query.local(query.since), query.local(query.until)
    assert first is not None and last is not None
    statement = (
        select(Price.observed_on, Price.commodity_id, Commodity.name_id, Price.quality,
               Price.level, PricePoint.region_code, PricePoint.name, Price.value, Price.unit,
               Price.source, Price.origin, Member.role, Price.status)
        .join(Commodity, Commodity.id == Price.commodity_id)
        .join(PricePoint, PricePoint.id == Price.place_id)
        .outerjoin(Member, Member.id == Price.reported_by)
        .where(Price.observed_on >= first.date(), Price.observed_on < last.date(),
               Price.status != PriceStatus.REJECTED)
        .order_by(Price.observed_on, Commodity.position, PricePoint.position, Price.id))
    if query.kecamatan is not None:
        statement = statement.where(PricePoint.region_code == query.kecamatan)
    rows = await session.stream(statement.execution_options(yield_per=CHUNK))
    async for (day, commodity_id, commodity, quality, level, region, place, value, unit,
               source, origin, role, status) in rows:
        reporter = words.ORIGINS.get(origin) or words.ROLES.get(role or "facilitator", "")
        yield [day, commodity, lookups.qualities.get((commodity_id, quality), quality),
               words.LEVELS.get(level, level), lookups.name(region) if region else "", place,
               value, f"per {unit}", source, reporter, words.PRICE_STATUSES.get(status, status)]


async def _audience_names(session: AsyncSession, audiences: list[Audience],
                          lookups: Lookups) -> dict[str, dict[Any, str]]:
    trainings = {i for a in audiences for i in a.trainings}
    commodities = {i for a in audiences for i in a.commodities}
    regions = {code: name for code, (name, _) in lookups.regions.items()}
    return {
        "kecamatan": regions,
        "desa": regions,
        "groups": lookups.group_codes,
        "languages": words.LANGUAGES,
        "trainings": dict((await session.execute(select(Training.id, Training.title).where(
            Training.id.in_(trainings)))).all()) if trainings else {},
        "commodities": dict((await session.execute(select(Commodity.id, Commodity.name_id).where(
            Commodity.id.in_(commodities)))).all()) if commodities else {},
    }


def audience_summary(audience: Audience, names: dict[str, dict[Any, str]]) -> str:
    if audience.is_everyone:
        return words.EVERYONE
    parts = []
    for field in FIELDS:
        values = getattr(audience, field)
        if values:
            shown = ", ".join(str(names[field].get(v, v)) for v in values)
            parts.append(f"{words.AUDIENCE_PARTS[field]}: {shown}")
    return "; ".join(parts)


async def broadcast_rows(session: AsyncSession, query: Query, lookups: Lookups) -> list[Row]:
    """Broadcasts started (or scheduled) in the period. A kecamatan's report holds those that
    reached members there, counted for those members only."""
    moment = func.coalesce(Broadcast.started_at, Broadcast.scheduled_at)
    in_period = list(await session.scalars(select(Broadcast.id).where(
        moment >= query.since, moment < query.until)))
    if not in_period:
        return []
    # The ids as a list, not a condition on `moment`: PostgreSQL cannot estimate the coalesce
    # and, expecting one broadcast, re-read every delivery of the kecamatan per broadcast.
    deliveries = (select(Delivery.broadcast_id, Delivery.status, func.count())
                  .where(Delivery.broadcast_id.in_(in_period))
                  .group_by(Delivery.broadcast_id, Delivery.status))
    statement = (select(Broadcast, Member.full_name)
                 .outerjoin(Member, Member.id == Broadcast.sender_id)
                 .where(Broadcast.id.in_(in_period))
                 .order_by(moment, Broadcast.id))
    if query.kecamatan is not None:
        recipient = aliased(Member)
        there = Delivery.member_id.in_(select(recipient.id).where(
            in_kecamatan(recipient.desa_code, query.kecamatan)))
        statement = statement.where(exists().where(Delivery.broadcast_id == Broadcast.id, there))
        deliveries = deliveries.where(there)
    found = (await session.execute(statement)).all()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for broadcast_id, status, count in await session.execute(deliveries):
        counts[broadcast_id][status] = count
    audiences = [Audience.from_json(broadcast.audience) for broadcast, _ in found]
    names = await _audience_names(session, audiences, lookups)
    rows = []
    for (broadcast, sender), audience in zip(found, audiences, strict=True):
        tally = counts[broadcast.id]
        text = " ".join(visible_text(broadcast.text).split())
        status = words.WITHDRAWN if broadcast.withdrawn_at else words.BROADCAST_STATUSES.get(
            broadcast.status, broadcast.status)
        rows.append([
            broadcast.id, query.local(broadcast.started_at or broadcast.scheduled_at),
            sender or "", audience_summary(audience, names),
            text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…",
            sum(tally.values()), tally.get(DeliveryStatus.SENT, 0),
            tally.get(DeliveryStatus.FAILED, 0), tally.get(DeliveryStatus.SKIPPED, 0), status])
    return rows
