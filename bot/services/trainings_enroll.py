"""Taking a seat, waiting for one, giving it back, and what a member holds.

All seat changes lock the training first (`trainings_seats.lock_training`), so capacity holds
when many members tap at once, and a freed seat is offered to the waitlist in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services import trainings_notices as notices
from bot.services import trainings_seats as seats
from bot.services.trainings import TrainingView, view_query
from models.training import (
    ACTIVE,
    HOLDS_SEAT,
    Enrollment,
    EnrollmentStatus,
    NoticeKind,
    Training,
    TrainingStatus,
)


class Outcome(StrEnum):
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    FULL = "full"  # nothing changed: the member may choose the waitlist
    ALREADY_ENROLLED = "already_enrolled"
    ALREADY_WAITLISTED = "already_waitlisted"
    WITHDRAWN = "withdrawn"
    NOT_ENROLLED = "not_enrolled"
    OFFER_EXPIRED = "offer_expired"
    GONE = "gone"  # no such training
    CANCELLED = "cancelled"
    CLOSED = "closed"  # it has started or is over
    STALE = "stale"  # the training changed since the member's button was made


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    training: Training | None = None
    position: int | None = None
    """Place on the waitlist (1 = next), or how many already wait when the training is full."""
    passed_to: tuple[int, ...] = ()
    """Members offered the seat this action freed."""


@dataclass(frozen=True, slots=True)
class Holding:
    """One line of "my trainings"."""

    view: TrainingView
    enrollment: Enrollment
    position: int | None


def _refusal(training: Training | None, now: datetime, version: int | None) -> Outcome | None:
    if training is None:
        return Outcome.GONE
    if training.status == TrainingStatus.CANCELLED:
        return Outcome.CANCELLED
    if training.starts_at <= now:
        return Outcome.CLOSED
    if version is not None and version != training.version:
        return Outcome.STALE
    return None


async def _mine(session: AsyncSession, training_id: int, member_id: int) -> Enrollment | None:
    return await session.scalar(select(Enrollment).where(
        Enrollment.training_id == training_id, Enrollment.member_id == member_id))


async def enroll(
    sessionmaker: SessionMaker, training_id: int, member_id: int, now: datetime, *,
    tz: tzinfo, version: int | None = None, waitlist: bool = False,
) -> Result:
    """A seat if one is free; otherwise FULL, or a place on the waitlist when `waitlist`.

    A member holding an offer who taps to enroll simply takes the offered seat.
    """
    try:
        async with sessionmaker() as session, session.begin():
            return await _enroll(session, training_id, member_id, now, tz, version, waitlist)
    except IntegrityError:
        # The same member enrolling from two devices at once: the other request won.
        async with sessionmaker() as session:
            mine = await _mine(session, training_id, member_id)
            training = await session.get(Training, training_id)
            outcome = (Outcome.ALREADY_WAITLISTED if mine and mine.status ==
                       EnrollmentStatus.WAITLISTED else Outcome.ALREADY_ENROLLED)
            return Result(outcome, training)


async def _enroll(session: AsyncSession, training_id: int, member_id: int, now: datetime,
                  tz: tzinfo, version: int | None, waitlist: bool) -> Result:
    training = await seats.lock_training(session, training_id)
    if (refusal := _refusal(training, now, version)) is not None:
        return Result(refusal, training)
    assert training is not None
    mine = await _mine(session, training_id, member_id)
    if mine is not None and mine.status == EnrollmentStatus.ENROLLED:
        return Result(Outcome.ALREADY_ENROLLED, training)
    if mine is not None and mine.status == EnrollmentStatus.WAITLISTED:
        return Result(Outcome.ALREADY_WAITLISTED, training,
                      await seats.waitlist_position(session, mine))
    if mine is not None and mine.status == EnrollmentStatus.OFFERED:
        await _take(session, training, mine, now, tz)
        return Result(Outcome.ENROLLED, training)
    if mine is None:
        mine = Enrollment(training_id=training_id, member_id=member_id, created_at=now)
    if training.seats_left > 0:
        training.seats_taken += 1
        mine.status, mine.queued_at, mine.updated_at = EnrollmentStatus.ENROLLED, now, now
        session.add(mine)
        await session.flush()
        await notices.schedule_reminders(session, training, member_id, now, tz)
        return Result(Outcome.ENROLLED, training)
    if not waitlist:
        return Result(Outcome.FULL, training, await seats.waiting_count(session, training_id))
    mine.status, mine.queued_at, mine.updated_at = EnrollmentStatus.WAITLISTED, now, now
    mine.offered_until = None
    session.add(mine)
    await session.flush()
    return Result(Outcome.WAITLISTED, training, await seats.waitlist_position(session, mine))


async def _take(session: AsyncSession, training: Training, offered: Enrollment, now: datetime,
                tz: tzinfo) -> None:
    offered.status, offered.offered_until, offered.updated_at = (
        EnrollmentStatus.ENROLLED, None, now)
    await notices.drop_pending(session, training.id, offered.member_id, (NoticeKind.OFFER,))
    await notices.schedule_reminders(session, training, offered.member_id, now, tz)


async def accept_offer(sessionmaker: SessionMaker, training_id: int, member_id: int,
                       now: datetime, *, tz: tzinfo) -> Result:
    async with sessionmaker() as session, session.begin():
        training = await seats.lock_training(session, training_id)
        if (refusal := _refusal(training, now, None)) is not None:
            return Result(refusal, training)
        assert training is not None
        mine = await _mine(session, training_id, member_id)
        if mine is not None and mine.status == EnrollmentStatus.ENROLLED:
            return Result(Outcome.ALREADY_ENROLLED, training)
        if (mine is None or mine.status != EnrollmentStatus.OFFERED
                or mine.offered_until is None or mine.offered_until <= now):
            return Result(Outcome.OFFER_EXPIRED, training)
        await _take(session, training, mine, now, tz)
        return Result(Outcome.ENROLLED, training)


async def withdraw(sessionmaker: SessionMaker, training_id: int, member_id: int,
                   now: datetime, *, offer_hours: float = seats.OFFER_HOURS) -> Result:
    """Give up a seat, an offer or a waitlist place; a freed seat goes to the next in line."""
    async with sessionmaker() as session, session.begin():
        training = await seats.lock_training(session, training_id)
        if training is None:
            return Result(Outcome.GONE)
        mine = await _mine(session, training_id, member_id)
        if mine is None or mine.status not in ACTIVE:
            return Result(Outcome.NOT_ENROLLED, training)
        if training.status == TrainingStatus.CANCELLED:
            return Result(Outcome.CANCELLED, training)
        if training.starts_at <= now:
            return Result(Outcome.CLOSED, training)
        held = mine.status in HOLDS_SEAT
        mine.status, mine.offered_until, mine.updated_at = EnrollmentStatus.CANCELLED, None, now
        await notices.drop_pending(session, training_id, member_id)
        passed: list[Enrollment] = []
        if held:
            passed = await seats.release_seat(session, training, now, offer_hours)
        return Result(Outcome.WITHDRAWN, training,
                      passed_to=tuple(e.member_id for e in passed))


async def expire_offers(sessionmaker: SessionMaker, now: datetime,
                        offer_hours: float = seats.OFFER_HOURS) -> list[int]:
    """Lapsed offers pass to the next in line; free seats with a queue are offered too.

    Returns the members newly offered a seat. One short transaction per training.
    """
    async with sessionmaker() as session:
        lapsed = set(await session.scalars(select(Enrollment.training_id).where(
            Enrollment.status == EnrollmentStatus.OFFERED, Enrollment.offered_until <= now)))
        unfilled = set(await session.scalars(
            select(Training.id).where(
                Training.status == TrainingStatus.PUBLISHED, Training.starts_at > now,
                Training.seats_taken < Training.capacity,
                Training.id.in_(select(Enrollment.training_id).where(
                    Enrollment.status == EnrollmentStatus.WAITLISTED)))))
    offered: list[int] = []
    for training_id in sorted(lapsed | unfilled):
        async with sessionmaker() as session, session.begin():
            training = await seats.lock_training(session, training_id)
            if training is None:
                continue
            expired = list(await session.scalars(select(Enrollment).where(
                Enrollment.training_id == training_id,
                Enrollment.status == EnrollmentStatus.OFFERED, Enrollment.offered_until <= now)))
            for enrollment in expired:
                enrollment.status, enrollment.updated_at = EnrollmentStatus.EXPIRED, now
                training.seats_taken -= 1
                await notices.drop_pending(session, training_id, enrollment.member_id)
                notices.tell(session, training_id, enrollment.member_id,
                             NoticeKind.OFFER_EXPIRED, now, now)
            await session.flush()
            passed = await seats.fill_free_seats(session, training, now, offer_hours)
            offered.extend(e.member_id for e in passed)
    return offered


async def holdings(sessionmaker: SessionMaker, member_id: int, now: datetime) -> list[Holding]:
    """What the member holds or awaits in trainings that have not ended, soonest first."""
    async with sessionmaker() as session:
        rows = (await session.execute(
            view_query().add_columns(Enrollment)
            .join(Enrollment, Enrollment.training_id == Training.id)
            .where(Enrollment.member_id == member_id, Enrollment.status.in_(ACTIVE),
                   Training.ends_at > now)
            .order_by(Training.starts_at, Training.id)
        )).all()
        result = []
        for training, desa_name, kecamatan_name, enrollment in rows:
            position = None
            if enrollment.status == EnrollmentStatus.WAITLISTED:
                position = await seats.waitlist_position(session, enrollment)
            result.append(Holding(TrainingView(training, desa_name, kecamatan_name),
                                  enrollment, position))
    return result


async def holding(sessionmaker: SessionMaker, training_id: int, member_id: int
                  ) -> Enrollment | None:
    async with sessionmaker() as session:
        return await _mine(session, training_id, member_id)
