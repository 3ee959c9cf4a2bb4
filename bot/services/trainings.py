"""Trainings: publishing, changing, cancelling and finding them (the checks are in `_rules`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db import SessionMaker
from bot.services import audit
from bot.services import trainings_notices as notices
from bot.services import trainings_seats as seats
from bot.services.audit import Action
from bot.services.trainings_rules import (
    TrainingDraft,
    TrainingRejected,
    check_draft,
    unknown_desa,
)
from models import Group, Member, Region, RegionLevel, Role, UTCDateTime
from models.training import (
    ACTIVE,
    Enrollment,
    EnrollmentStatus,
    NoticeKind,
    Training,
    TrainingStatus,
)

PAGE_SIZE = 5


class TrainingGone(LookupError):
    """The training does not exist, or the actor may not manage it."""


class TrainingStale(RuntimeError):
    """Somebody changed the training since the caller looked at it."""


@dataclass(frozen=True, slots=True)
class TrainingView:
    """A training with the place names a reader needs."""

    training: Training
    desa_name: str
    kecamatan_name: str


@dataclass(frozen=True, slots=True)
class BrowsePage:
    items: list[TrainingView]
    total: int
    page: int
    pages: int
    statuses: dict[int, str]
    """The viewing member's enrollment status per training shown (absent = none)."""


@dataclass(frozen=True, slots=True)
class Change:
    training: Training
    moved: bool
    relocated: bool
    told: int


# --- reading --------------------------------------------------------------------------------

async def _kecamatan_of(session: AsyncSession, desa_code: str) -> str | None:
    return await session.scalar(
        select(Region.parent_code).where(
            Region.code == desa_code,
            Region.level.in_([RegionLevel.DESA, RegionLevel.KELURAHAN]),
        )
    )


def view_query():  # type: ignore[no-untyped-def]
    desa, kecamatan = aliased(Region), aliased(Region)
    return (
        select(Training, desa.name, kecamatan.name)
        .join(desa, desa.code == Training.desa_code)
        .join(kecamatan, kecamatan.code == Training.kecamatan_code)
    )


async def get_training(sessionmaker: SessionMaker, training_id: int) -> TrainingView | None:
    async with sessionmaker() as session:
        row = (await session.execute(view_query().where(Training.id == training_id))).first()
    return TrainingView(*row) if row else None


@cache
def _browse_statements(near: bool, by_category: bool) -> tuple[Select[Any], Select[Any]]:
    """The page query (which also counts every match) and a plain count, built once per filter
    shape and run with bound values: building a statement costs more than running it here, and
    /jadwal is the busiest screen. Values: `now`, `home`, `category`, `member`, `skip`, `size`.
    """
    conditions = [Training.status == TrainingStatus.PUBLISHED,
                  Training.starts_at > bindparam("now", type_=UTCDateTime)]
    if near:
        conditions.append(Training.kecamatan_code == select(Region.parent_code).where(
            Region.code == bindparam("home")).scalar_subquery())
    if by_category:
        conditions.append(Training.category == bindparam("category"))
    mine = aliased(Enrollment)
    count = select(func.count()).select_from(Training).where(*conditions)
    page = (view_query().add_columns(mine.status, count.scalar_subquery())
            .outerjoin(mine, and_(mine.training_id == Training.id,
                                  mine.member_id == bindparam("member"),
                                  mine.status.in_(ACTIVE)))
            .where(*conditions).order_by(Training.starts_at, Training.id)
            .offset(bindparam("skip")).limit(bindparam("size")))
    return page, count


async def browse(
    sessionmaker: SessionMaker, now: datetime, *, home_desa: str | None = None,
    category: str | None = None, page: int = 0, member_id: int | None = None,
    page_size: int = PAGE_SIZE,
) -> BrowsePage:
    """Published trainings that have not started, nearest first; one page of them.

    `home_desa` keeps those in that desa's kecamatan. One indexed query brings the page, its
    place names, the member's own enrollments and the number of matches.
    """
    page_query, count = _browse_statements(bool(home_desa), bool(category))
    values: dict[str, Any] = {"now": now, "home": home_desa, "category": category,
                              "member": member_id, "size": page_size}
    page = max(page, 0)
    async with sessionmaker() as session:
        rows = (await session.execute(page_query, {**values, "skip": page * page_size})).all()
        if not rows and page > 0:  # the list shrank since that page was shown: its last page
            total = await session.scalar(count, values) or 0
            page = max(0, math.ceil(total / page_size) - 1)
            rows = (await session.execute(page_query, {**values, "skip": page * page_size})
                    ).all()
    total = rows[0][4] if rows else 0
    return BrowsePage(
        items=[TrainingView(training, desa, kecamatan) for training, desa, kecamatan, *_ in rows],
        total=total, page=page, pages=max(1, math.ceil(total / page_size)),
        statuses={row[0].id: row[3] for row in rows if row[3] is not None})


def may_manage(member: Member, training: Training) -> bool:
    """Admins manage every training; a facilitator the ones they published."""
    return member.role == Role.ADMIN or training.created_by == member.id


async def managed_trainings(
    sessionmaker: SessionMaker, member: Member, now: datetime, *, since: timedelta
) -> list[TrainingView]:
    """The member's trainings (all, for an admin) that ended less than `since` ago or later."""
    query = view_query().where(Training.ends_at > now - since).order_by(Training.starts_at)
    if member.role != Role.ADMIN:
        query = query.where(Training.created_by == member.id)
    async with sessionmaker() as session:
        return [TrainingView(*row) for row in (await session.execute(query)).all()]


# --- writing --------------------------------------------------------------------------------

async def _validated(session: AsyncSession, draft: TrainingDraft, now: datetime,
                     taken: int = 0, *, past_ok: bool = False) -> tuple[TrainingDraft, str]:
    known = set(await session.scalars(select(Group.code)))
    problems = check_draft(draft, now, known, taken, past_ok=past_ok)
    kecamatan = await _kecamatan_of(session, draft.desa_code)
    if kecamatan is None:
        problems.append(unknown_desa(draft.desa_code))
    if problems:
        raise TrainingRejected(problems)
    tidy = replace(
        draft, title=draft.title.strip(), venue=draft.venue.strip(),
        organizer=draft.organizer.strip(), description=draft.description.strip(),
        accessibility=draft.accessibility.strip(),
        target_groups=tuple(dict.fromkeys(draft.target_groups)),
    )
    return tidy, str(kecamatan)


def _apply(training: Training, draft: TrainingDraft, kecamatan: str) -> None:
    training.title, training.category = draft.title, draft.category
    training.description, training.venue = draft.description, draft.venue
    training.desa_code, training.kecamatan_code = draft.desa_code, kecamatan
    training.latitude, training.longitude = draft.latitude, draft.longitude
    training.starts_at, training.ends_at = draft.starts_at, draft.ends_at
    training.capacity, training.target_groups = draft.capacity, list(draft.target_groups)
    training.organizer, training.organizer_kind = draft.organizer, draft.organizer_kind
    training.accessibility = draft.accessibility


def draft_of(training: Training) -> TrainingDraft:
    return TrainingDraft(
        title=training.title, category=training.category, desa_code=training.desa_code,
        venue=training.venue, starts_at=training.starts_at, ends_at=training.ends_at,
        capacity=training.capacity, organizer=training.organizer,
        organizer_kind=training.organizer_kind, description=training.description,
        latitude=training.latitude, longitude=training.longitude,
        target_groups=tuple(training.target_groups), accessibility=training.accessibility,
    )


async def create_training(
    sessionmaker: SessionMaker, draft: TrainingDraft, now: datetime,
    created_by: int | None = None,
) -> Training:
    async with sessionmaker() as session, session.begin():
        training = await add_training(session, draft, now, created_by)
        await audit.record_by(
            session, Action.TRAINING_CREATED, created_by, subject=f"training:{training.id}",
            details={"desa": training.desa_code, "starts_at": _utc(training.starts_at),
                     "capacity": training.capacity}, at=now)
    return training


async def add_training(session: AsyncSession, draft: TrainingDraft, now: datetime,
                       created_by: int | None) -> Training:
    """Inside the caller's transaction, so an import of many rows is all or nothing."""
    tidy, kecamatan = await _validated(session, draft, now)
    training = Training(status=TrainingStatus.PUBLISHED, created_by=created_by, version=1,
                        seats_taken=0, created_at=now, updated_at=now)
    _apply(training, tidy, kecamatan)
    session.add(training)
    await session.flush()
    return training


async def _owned(session: AsyncSession, training_id: int, actor: Member,
                 expected_version: int) -> Training:
    training = await seats.lock_training(session, training_id)
    if training is None or not may_manage(actor, training):
        raise TrainingGone(training_id)
    if training.version != expected_version:
        raise TrainingStale(training_id)
    return training


async def update_training(
    sessionmaker: SessionMaker, training_id: int, draft: TrainingDraft, now: datetime,
    *, actor: Member, expected_version: int, tz: tzinfo,
    offer_hours: float = seats.OFFER_HOURS,
) -> Change:
    """Apply an edit; members holding or awaiting a seat hear about a new time or place."""
    async with sessionmaker() as session, session.begin():
        training = await _owned(session, training_id, actor, expected_version)
        if not training.is_published or training.ends_at <= now:
            raise TrainingGone(training_id)
        same_time = (draft.starts_at, draft.ends_at) == (training.starts_at, training.ends_at)
        tidy, kecamatan = await _validated(session, draft, now, training.seats_taken,
                                           past_ok=same_time)
        before = draft_of(training)
        _apply(training, tidy, kecamatan)
        moved = not same_time
        relocated = (before.desa_code, before.venue, before.latitude, before.longitude) != (
            tidy.desa_code, tidy.venue, tidy.latitude, tidy.longitude)
        if before == tidy:
            return Change(training, False, False, 0)
        training.version += 1
        training.updated_at = now
        await session.flush()
        audit.record(session, Action.TRAINING_CHANGED, actor=actor,
                     subject=f"training:{training.id}", details=_changes(before, tidy), at=now)
        told = 0
        if moved or relocated:
            told = await notices.tell_everyone(
                session, training, NoticeKind.CHANGED, now,
                {"time": moved, "place": relocated})
        if moved:
            await notices.reschedule_reminders(session, training, now, tz)
        if training.capacity > before.capacity:
            await seats.fill_free_seats(session, training, now, offer_hours)
    return Change(training, moved, relocated, told)


async def cancel_training(
    sessionmaker: SessionMaker, training_id: int, now: datetime, *, actor: Member,
    expected_version: int,
) -> Change:
    """Everyone holding or awaiting a seat is told; reminders and offers stop."""
    async with sessionmaker() as session, session.begin():
        training = await _owned(session, training_id, actor, expected_version)
        if not training.is_published or training.ends_at <= now:
            raise TrainingGone(training_id)
        training.status = TrainingStatus.CANCELLED
        training.version += 1
        training.updated_at = now
        await notices.drop_pending(session, training.id)
        told = await notices.tell_everyone(session, training, NoticeKind.CANCELLED, now)
        audit.record(session, Action.TRAINING_CANCELLED, actor=actor,
                     subject=f"training:{training.id}", details={"told": told}, at=now)
    return Change(training, False, False, told)


def _changes(before: TrainingDraft, after: TrainingDraft) -> dict[str, Any]:
    """Which fields changed; times also old → new (no free text goes into the trail)."""
    changed = [f.name for f in fields(TrainingDraft)
               if getattr(before, f.name) != getattr(after, f.name)]
    details: dict[str, Any] = {"fields": changed}
    for name in ("starts_at", "ends_at"):
        if name in changed:
            details[name] = [_utc(getattr(before, name)), _utc(getattr(after, name))]
    return details


def _utc(moment: datetime) -> str:
    """One offset throughout the trail, whatever zone the form or the database gave."""
    return moment.astimezone(UTC).isoformat()


@dataclass(frozen=True, slots=True)
class Stats:
    enrolled: int
    waitlisted: int
    offered: int
    attended: int
    ratings: int
    average_rating: float | None


async def training_stats(sessionmaker: SessionMaker, training_id: int) -> Stats:
    counts = {status: 0 for status in EnrollmentStatus}
    async with sessionmaker() as session:
        for status, count in (await session.execute(
            select(Enrollment.status, func.count()).where(Enrollment.training_id == training_id)
            .group_by(Enrollment.status)
        )):
            counts[EnrollmentStatus(status)] = count
        attended, ratings, average = (await session.execute(
            select(func.count(Enrollment.attended_at), func.count(Enrollment.rating),
                   func.avg(Enrollment.rating))
            .where(Enrollment.training_id == training_id)
        )).one()
    return Stats(counts[EnrollmentStatus.ENROLLED], counts[EnrollmentStatus.WAITLISTED],
                 counts[EnrollmentStatus.OFFERED], attended, ratings,
                 float(average) if average is not None else None)
