"""Who came (ticked by the facilitator or checked in with a 4-digit code) and what they thought.

Marking someone present also queues their feedback request for the end of the training;
un-ticking them withdraws it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services import audit
from bot.services import trainings_notices as notices
from bot.services import trainings_seats as seats
from bot.services.audit import Action
from bot.services.trainings import TrainingGone, TrainingView, may_manage, view_query
from models import Member, Role
from models.training import Enrollment, EnrollmentStatus, NoticeKind, Training, TrainingStatus

OPENS_BEFORE = timedelta(hours=1)
CLOSES_AFTER = timedelta(hours=3)
"""Attendance can be taken from an hour before the start until three hours after the end."""
COMMENT_MAX = 500
RECENT = timedelta(days=7)


class NotOpenYet(RuntimeError):
    """Attendance is taken from an hour before the start, not earlier."""


def is_open(training: Training, now: datetime) -> bool:
    return (training.status == TrainingStatus.PUBLISHED
            and training.starts_at - OPENS_BEFORE <= now <= training.ends_at + CLOSES_AFTER)


@dataclass(frozen=True, slots=True)
class SheetRow:
    member_id: int
    name: str
    present: bool


@dataclass(frozen=True, slots=True)
class Sheet:
    view: TrainingView
    rows: list[SheetRow]
    code: str | None


async def _managed(session: AsyncSession, training_id: int, actor: Member) -> Training:
    training = await session.get(Training, training_id)
    if training is None or not may_manage(actor, training):
        raise TrainingGone(training_id)
    return training


async def sheet(sessionmaker: SessionMaker, training_id: int, actor: Member) -> Sheet:
    """Enrolled members by name, each with a tick if present."""
    async with sessionmaker() as session:
        training = await _managed(session, training_id, actor)
        view = TrainingView(*(await session.execute(
            view_query().where(Training.id == training_id))).one())
        rows = (await session.execute(
            select(Member.id, Member.full_name, Enrollment.attended_at)
            .join(Enrollment, Enrollment.member_id == Member.id)
            .where(Enrollment.training_id == training_id,
                   Enrollment.status == EnrollmentStatus.ENROLLED)
            .order_by(Member.full_name, Member.id))).all()
    return Sheet(view, [SheetRow(mid, name or "—", at is not None) for mid, name, at in rows],
                 training.attendance_code)


async def _mark(session: AsyncSession, training: Training, enrollment: Enrollment,
                now: datetime) -> None:
    enrollment.attended_at, enrollment.updated_at = now, now
    await notices.drop_pending(session, training.id, enrollment.member_id,
                               (NoticeKind.FEEDBACK,))
    notices.tell(session, training.id, enrollment.member_id, NoticeKind.FEEDBACK,
                 max(training.ends_at, now), now)


async def toggle(sessionmaker: SessionMaker, training_id: int, member_id: int, actor: Member,
                 now: datetime) -> bool | None:
    """Flip one member's presence; None if they are not enrolled (any more)."""
    async with sessionmaker() as session, session.begin():
        training = await seats.lock_training(session, training_id)
        if training is None or not may_manage(actor, training):
            raise TrainingGone(training_id)
        if now < training.starts_at - OPENS_BEFORE:
            raise NotOpenYet(training_id)
        enrollment = await session.scalar(select(Enrollment).where(
            Enrollment.training_id == training_id, Enrollment.member_id == member_id,
            Enrollment.status == EnrollmentStatus.ENROLLED))
        if enrollment is None:
            return None
        present = not enrollment.attended
        audit.record(session, Action.ATTENDANCE_MARKED, actor=actor,
                     subject=f"training:{training_id}",
                     details={"member": member_id, "present": present}, at=now)
        if not present:
            enrollment.attended_at, enrollment.updated_at = None, now
            await notices.drop_pending(session, training_id, member_id, (NoticeKind.FEEDBACK,))
            return False
        await _mark(session, training, enrollment, now)
        return True


async def code_for(sessionmaker: SessionMaker, training_id: int, actor: Member,
                   now: datetime) -> str:
    """The training's check-in code, made on first use and unique among open trainings."""
    async with sessionmaker() as session, session.begin():
        training = await seats.lock_training(session, training_id)
        if training is None or not may_manage(actor, training):
            raise TrainingGone(training_id)
        if training.attendance_code is None:
            taken = set(await session.scalars(select(Training.attendance_code).where(
                Training.attendance_code.is_not(None),
                Training.ends_at >= now - CLOSES_AFTER)))
            code = f"{secrets.randbelow(10_000):04d}"
            while code in taken:
                code = f"{secrets.randbelow(10_000):04d}"
            training.attendance_code = code
            audit.record(session, Action.ATTENDANCE_CODE_OPENED, actor=actor,
                         subject=f"training:{training_id}", at=now)
        return training.attendance_code


class CheckIn(StrEnum):
    PRESENT = "present"
    ALREADY = "already"
    NOT_ENROLLED = "not_enrolled"
    WRONG_CODE = "wrong_code"


@dataclass(frozen=True, slots=True)
class CheckInResult:
    outcome: CheckIn
    training: Training | None = None


async def check_in(sessionmaker: SessionMaker, member_id: int, code: str,
                   now: datetime) -> CheckInResult:
    """A member sends the code shown in the room; it only works while the training is on."""
    async with sessionmaker() as session:
        candidates = [t for t in await session.scalars(select(Training).where(
            Training.attendance_code == code, Training.status == TrainingStatus.PUBLISHED))
            if is_open(t, now)]
        if not candidates:
            return CheckInResult(CheckIn.WRONG_CODE)
        mine = (await session.execute(
            select(Enrollment.training_id).where(
                Enrollment.member_id == member_id,
                Enrollment.training_id.in_([t.id for t in candidates]),
                Enrollment.status == EnrollmentStatus.ENROLLED))).scalars().first()
    if mine is None:
        return CheckInResult(CheckIn.NOT_ENROLLED, candidates[0])
    async with sessionmaker() as session, session.begin():
        training = await seats.lock_training(session, mine)
        enrollment = await session.scalar(select(Enrollment).where(
            Enrollment.training_id == mine, Enrollment.member_id == member_id))
        assert training is not None and enrollment is not None
        if enrollment.attended:
            return CheckInResult(CheckIn.ALREADY, training)
        await _mark(session, training, enrollment, now)
        return CheckInResult(CheckIn.PRESENT, training)


async def attendance_candidates(sessionmaker: SessionMaker, actor: Member, now: datetime
                                ) -> list[TrainingView]:
    """The actor's trainings of the past week and the next day: ticks are often done late."""
    query = view_query().where(
        Training.status == TrainingStatus.PUBLISHED,
        Training.ends_at >= now - RECENT,
        Training.starts_at <= now + timedelta(days=1),
    ).order_by(Training.starts_at)
    if actor.role != Role.ADMIN:
        query = query.where(Training.created_by == actor.id)
    async with sessionmaker() as session:
        return [TrainingView(*row) for row in (await session.execute(query)).all()]


class Rated(StrEnum):
    SAVED = "saved"
    NOT_ATTENDED = "not_attended"


async def rate(sessionmaker: SessionMaker, training_id: int, member_id: int, rating: int,
               now: datetime) -> Rated:
    """Only attendees rate; rating again replaces the earlier one."""
    if not 1 <= rating <= 5:
        raise ValueError(f"rating {rating} is not 1–5")
    async with sessionmaker() as session, session.begin():
        enrollment = await session.scalar(select(Enrollment).where(
            Enrollment.training_id == training_id, Enrollment.member_id == member_id))
        if enrollment is None or not enrollment.attended:
            return Rated.NOT_ATTENDED
        enrollment.rating, enrollment.rated_at, enrollment.updated_at = rating, now, now
        await notices.drop_pending(session, training_id, member_id, (NoticeKind.FEEDBACK,))
    return Rated.SAVED


async def add_comment(sessionmaker: SessionMaker, training_id: int, member_id: int, text: str,
                      now: datetime) -> bool:
    comment = text.strip()[:COMMENT_MAX]
    async with sessionmaker() as session, session.begin():
        enrollment = await session.scalar(select(Enrollment).where(
            Enrollment.training_id == training_id, Enrollment.member_id == member_id))
        if enrollment is None or not enrollment.attended or not comment:
            return False
        enrollment.comment, enrollment.updated_at = comment, now
    return True


@dataclass(frozen=True, slots=True)
class RosterRow:
    name: str
    status: str
    attended: bool
    rating: int | None
    comment: str | None


async def roster(sessionmaker: SessionMaker, training_id: int, actor: Member
                 ) -> list[RosterRow]:
    """Everyone holding or awaiting a seat, or who came: seat holders by name, then the queue."""
    order = {EnrollmentStatus.ENROLLED: 0, EnrollmentStatus.OFFERED: 1,
             EnrollmentStatus.WAITLISTED: 2}
    async with sessionmaker() as session:
        await _managed(session, training_id, actor)
        rows = (await session.execute(
            select(Member.full_name, Enrollment)
            .join(Enrollment, Enrollment.member_id == Member.id)
            .where(Enrollment.training_id == training_id,
                   Enrollment.status.in_(list(order)) | Enrollment.attended_at.is_not(None))
        )).all()
    rows.sort(key=lambda r: (order.get(r[1].status, 3),
                             (r[1].queued_at,) if r[1].status == EnrollmentStatus.WAITLISTED
                             else (), (r[0] or "").lower()))
    return [RosterRow(name or "—", e.status, e.attended, e.rating, e.comment)
            for name, e in rows]
