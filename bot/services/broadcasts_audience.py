"""Who receives a broadcast: a small filter kept as JSON on the broadcast row.

Filters of different kinds narrow the audience (AND); several values of one kind widen it (OR):
"kecamatan Bangko or Tabir, women's groups, following coffee". No filter = every active member.
The filter is evaluated when the delivery rows are written, so members who registered between
composing and a scheduled send are included.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services.scope import Scope
from models import Group, Member, Region, Status, member_groups
from models.price import Commodity, CommodityFollow
from models.training import Enrollment, EnrollmentStatus, Training, TrainingStatus

FIELDS = ("kecamatan", "desa", "groups", "languages", "trainings", "commodities")


@dataclass(frozen=True, slots=True)
class Audience:
    kecamatan: tuple[str, ...] = ()
    desa: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    """Group codes (petani, migran…)."""
    languages: tuple[str, ...] = ()
    trainings: tuple[int, ...] = ()
    """Members enrolled (holding a seat) in any of these trainings."""
    commodities: tuple[int, ...] = ()
    """Members following any of these commodities' prices."""

    @property
    def is_everyone(self) -> bool:
        return not any(getattr(self, name) for name in FIELDS)

    def toggled(self, name: str, value: str | int) -> Audience:
        """Adds the value to a filter, or removes it when present; other filters stay."""
        current: tuple[Any, ...] = getattr(self, name)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return replace(self, **{name: values})

    def cleared(self, name: str) -> Audience:
        return replace(self, **{name: ()})

    def to_json(self) -> dict[str, list[Any]]:
        """Only the filters in use, so stored rows stay short and readable."""
        return {name: list(values) for name, values in asdict(self).items() if values}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Audience:
        """Unknown keys are ignored: an old row never breaks a newer reader."""
        data = data or {}
        kinds = {"trainings": int, "commodities": int}
        return cls(**{
            name: tuple(kinds.get(name, str)(v) for v in data.get(name, ()))
            for name in FIELDS
        })


def within(audience: Audience, scope: Scope) -> Audience:
    """A limited facilitator's audience always lies inside their kecamatan (filters AND, so a
    desa elsewhere then reaches nobody; `desa_outside` tells the sender why).

    Raises `OutOfScope` when another kecamatan was asked for.
    """
    if scope.kecamatan is None:
        return audience
    for code in audience.kecamatan:
        scope.check(code)
    return replace(audience, kecamatan=(scope.kecamatan,))


async def desa_outside(session: AsyncSession, audience: Audience, kecamatan: str) -> bool:
    """Some chosen desa is not in `kecamatan` (by the region table, not by its code)."""
    if not audience.desa:
        return False
    inside = await session.scalar(select(func.count()).select_from(Region).where(
        Region.code.in_(audience.desa), Region.parent_code == kecamatan))
    return inside != len(set(audience.desa))


def recipients(audience: Audience) -> Select[tuple[int]]:
    """Member ids that would receive a broadcast sent now, ordered by id."""
    query = select(Member.id).where(
        Member.status == Status.ACTIVE,
        Member.consent_at.is_not(None),
        Member.chat_id.is_not(None),
    )
    if audience.kecamatan:
        query = query.where(Member.desa_code.in_(
            select(Region.code).where(Region.parent_code.in_(audience.kecamatan))))
    if audience.desa:
        query = query.where(Member.desa_code.in_(audience.desa))
    if audience.languages:
        query = query.where(Member.language.in_(audience.languages))
    if audience.groups:
        query = query.where(exists().where(
            member_groups.c.member_id == Member.id,
            member_groups.c.group_id == Group.id,
            Group.code.in_(audience.groups),
        ))
    if audience.trainings:
        query = query.where(exists().where(
            Enrollment.member_id == Member.id,
            Enrollment.training_id.in_(audience.trainings),
            Enrollment.status == EnrollmentStatus.ENROLLED,
        ))
    if audience.commodities:
        query = query.where(exists().where(
            CommodityFollow.member_id == Member.id,
            CommodityFollow.commodity_id.in_(audience.commodities),
        ))
    return query.order_by(Member.id)


async def count_recipients(sessionmaker: SessionMaker, audience: Audience) -> int:
    async with sessionmaker() as session:
        ids = recipients(audience).order_by(None).subquery()
        return await session.scalar(select(func.count()).select_from(ids)) or 0


@dataclass(frozen=True, slots=True)
class Choice:
    """One value a filter can take, as a picker shows it."""

    value: str | int
    label: str
    when: datetime | None = None


@dataclass(frozen=True, slots=True)
class Labels:
    """Names for the values in an audience, for summaries; missing ones fall back to codes."""

    regions: dict[str, str] = field(default_factory=dict)
    trainings: dict[int, str] = field(default_factory=dict)
    commodities: dict[int, tuple[str, str]] = field(default_factory=dict)
    """(Indonesian, English) names."""


async def labels_for(sessionmaker: SessionMaker, audience: Audience) -> Labels:
    async with sessionmaker() as session:
        codes = (*audience.kecamatan, *audience.desa)
        regions = dict((await session.execute(
            select(Region.code, Region.name).where(Region.code.in_(codes)))).all()
        ) if codes else {}
        trainings = dict((await session.execute(
            select(Training.id, Training.title).where(Training.id.in_(audience.trainings))
        )).all()) if audience.trainings else {}
        commodities = {row[0]: (row[1], row[2]) for row in (await session.execute(
            select(Commodity.id, Commodity.name_id, Commodity.name_en)
            .where(Commodity.id.in_(audience.commodities))
        ))} if audience.commodities else {}
    return Labels(regions, trainings, commodities)


async def upcoming_trainings(sessionmaker: SessionMaker, now: datetime,
                             limit: int = 20) -> list[Choice]:
    """Published trainings not yet started, soonest first."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Training.id, Training.title, Training.starts_at)
            .where(Training.status == TrainingStatus.PUBLISHED, Training.starts_at > now)
            .order_by(Training.starts_at, Training.id)
            .limit(limit)
        )
        return [Choice(r.id, r.title, r.starts_at) for r in rows]


async def commodity_choices(sessionmaker: SessionMaker) -> list[tuple[int, str, str]]:
    """(id, Indonesian name, English name) in the catalogue's order."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Commodity.id, Commodity.name_id, Commodity.name_en)
            .order_by(Commodity.position, Commodity.id)
        )
        return [(r.id, r.name_id, r.name_en) for r in rows]
