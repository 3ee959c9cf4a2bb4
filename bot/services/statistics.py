"""Programme figures for facilitators and admins: members, trainings, prices, broadcasts, tips.

Everything is counted in the database (one GROUP BY per figure, no walk over the members), so
the answer stays quick with 50,000 members. Week and month start at local midnight (Monday, the
1st) in the programme's time zone; the boundaries are worked out here and compared with stored
UTC timestamps, which reads the same on SQLite and PostgreSQL.

"Members" are villagers (role member) who gave consent; staff are not counted. A limited
facilitator's figures stay inside their kecamatan: members by their desa, trainings by where they
are held, prices by where they were taken, broadcasts and tip readers by the members they reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db import SessionMaker
from bot.services import statistics_activity as activity
from bot.services.scope import Scope
from bot.services.statistics_activity import (
    BroadcastFigures,
    PriceFigures,
    TopTip,
    TrainingFigures,
)
from bot.services.statistics_sql import area_names, count_if, in_kecamatan
from models import Group, Member, Region, Role, Status, member_groups

GROWTH_WEEKS = 12
TRAINING_DAYS = 30
"""Trainings count over a rolling 30 days: recent enough to act on, long enough to hold a few
(a year-to-date figure would hide how the latest trainings went)."""


@dataclass(frozen=True, slots=True)
class Boundaries:
    """Aware datetimes; week, month and growth start at local midnights. Stored UTC timestamps
    compare with them directly, so no backend date function is needed."""

    now: datetime
    week: datetime
    month: datetime
    trainings: datetime
    growth: tuple[datetime, ...]
    """The start of each of the last `GROWTH_WEEKS` weeks, oldest first (this week last)."""


def boundaries(now: datetime, tz: tzinfo, weeks: int = GROWTH_WEEKS) -> Boundaries:
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    week = datetime.combine(monday, time(), tzinfo=tz)
    return Boundaries(
        now=now, week=week,
        month=datetime.combine(today.replace(day=1), time(), tzinfo=tz),
        trainings=now - timedelta(days=TRAINING_DAYS),
        growth=tuple(week - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)),
    )


@dataclass(frozen=True, slots=True)
class AreaCount:
    """A kecamatan (whole kabupaten) or a desa (one kecamatan) and its active members."""

    code: str
    name: str
    members: int


@dataclass(frozen=True, slots=True)
class GroupCount:
    code: str
    name: str
    """The stored name, for a group the catalogs do not know yet."""
    members: int


@dataclass(frozen=True, slots=True)
class WeekPoint:
    week: date
    """The Monday the week starts on (local date)."""
    members: int
    """Registered members by the end of that week (or by now, for this week)."""


@dataclass(frozen=True, slots=True)
class MemberFigures:
    active: int
    registered: int
    """Active plus those who stopped announcements or blocked the bot."""
    new_this_week: int
    new_this_month: int
    areas: list[AreaCount]
    """Areas with active members, most first."""
    groups: list[GroupCount]
    """Every target group in the programme's order, with its active members."""
    growth: list[WeekPoint]


@dataclass(frozen=True, slots=True)
class Statistics:
    kecamatan: str | None
    """None: the whole kabupaten; else the kecamatan these figures are limited to."""
    area_name: str
    """The kecamatan's or the kabupaten's name from the region table."""
    since: Boundaries
    members: MemberFigures
    trainings: TrainingFigures
    prices: PriceFigures
    broadcasts: BroadcastFigures
    tips: list[TopTip]

    @property
    def week_start(self) -> date:
        return self.since.week.date()

    @property
    def month_start(self) -> date:
        return self.since.month.date()


async def programme_statistics(
    sessionmaker: SessionMaker, scope: Scope, kecamatan: str | None, *, now: datetime,
    tz: tzinfo, language: str = "id",
) -> Statistics:
    """The figures for `kecamatan` (None: everything the scope allows).

    Raises `OutOfScope` when a limited facilitator asks for another kecamatan and
    `UnknownKecamatan` for a code that is not one.
    """
    kecamatan = scope.check(kecamatan)
    since = boundaries(now, tz)
    async with sessionmaker() as session:
        kabupaten, kecamatan_name = await area_names(session, kecamatan)
        area_name = kecamatan_name or kabupaten
        members = await member_figures(session, kecamatan, since)
        trainings = await activity.training_figures(session, kecamatan, since.trainings, now)
        prices = await activity.price_figures(session, kecamatan, since.week)
        broadcasts = await activity.broadcast_figures(session, kecamatan, since.month)
        readers = await activity.kecamatan_tip_readers(session, kecamatan) \
            if kecamatan is not None else None
    tips = await activity.top_tips(sessionmaker, language, readers)
    return Statistics(kecamatan, area_name, since, members, trainings, prices, broadcasts, tips)


def _registered(kecamatan: str | None) -> list[ColumnElement[bool]]:
    conditions = [Member.role == Role.MEMBER, Member.consent_at.is_not(None),
                  Member.status != Status.DELETED]
    if kecamatan is not None:
        conditions.append(in_kecamatan(Member.desa_code, kecamatan))
    return conditions


async def member_figures(session: AsyncSession, kecamatan: str | None,
                         since: Boundaries) -> MemberFigures:
    ends = [*since.growth[1:], since.week + timedelta(weeks=1)]
    row = (await session.execute(
        select(
            func.count(),
            count_if(Member.status == Status.ACTIVE),
            count_if(Member.created_at >= since.week),
            count_if(Member.created_at >= since.month),
            *(count_if(Member.created_at < end) for end in ends),
        ).where(*_registered(kecamatan))
    )).one()
    registered, active, week, month, *cumulative = (int(v) for v in row)
    growth = [WeekPoint(start.date(), count)
              for start, count in zip(since.growth, cumulative, strict=True)]
    return MemberFigures(active, registered, week, month,
                         await _areas(session, kecamatan), await _groups(session, kecamatan),
                         growth)


async def _areas(session: AsyncSession, kecamatan: str | None) -> list[AreaCount]:
    """Kecamatan for the kabupaten, desa for a kecamatan."""
    desa = aliased(Region, name="desa")
    area = desa if kecamatan is not None else aliased(Region, name="kecamatan")
    count = func.count(Member.id)
    query = (
        select(area.code, area.name, count)
        .select_from(Member)
        .join(desa, desa.code == Member.desa_code)
        .where(*_registered(kecamatan), Member.status == Status.ACTIVE)
        .group_by(area.code, area.name)
        .order_by(count.desc(), area.name)
    )
    if kecamatan is None:
        query = query.join(area, area.code == desa.parent_code)
    rows = (await session.execute(query)).all()
    return [AreaCount(code, name, int(members)) for code, name, members in rows]


async def _groups(session: AsyncSession, kecamatan: str | None) -> list[GroupCount]:
    counts = (
        select(member_groups.c.group_id, func.count().label("members"))
        .join(Member, Member.id == member_groups.c.member_id)
        .where(*_registered(kecamatan), Member.status == Status.ACTIVE)
        .group_by(member_groups.c.group_id)
        .subquery()
    )
    rows = (await session.execute(
        select(Group.code, Group.name, func.coalesce(counts.c.members, 0))
        .outerjoin(counts, counts.c.group_id == Group.id)
        .order_by(Group.position, Group.id)
    )).all()
    return [GroupCount(code, name, int(members)) for code, name, members in rows]
