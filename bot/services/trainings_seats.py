"""Seats and the waitlist: the one place that moves `Training.seats_taken`.

Every function here runs inside a transaction that began with `lock_training`, so seat counts and
queue order are decided by one writer per training at a time on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import trainings_notices as notices
from models.training import Enrollment, EnrollmentStatus, NoticeKind, Training

OFFER_HOURS = 24.0
"""How long a freed seat is held for the next member on the waitlist before the one after."""


async def lock_training(session: AsyncSession, training_id: int) -> Training | None:
    """Serialise changes to one training's seats and queue, on SQLite and PostgreSQL alike.

    A no-op UPDATE takes PostgreSQL's row lock (as SELECT … FOR UPDATE would) and SQLite's write
    lock, so of two members tapping the last seat at once, the second sees it taken. It must be
    the transaction's first statement: SQLite then waits for the lock instead of failing.
    """
    await session.execute(
        update(Training).where(Training.id == training_id)
        .values(seats_taken=Training.seats_taken)
        .execution_options(synchronize_session=False)
    )
    return await session.scalar(
        select(Training).where(Training.id == training_id)
        .execution_options(populate_existing=True)
    )


async def waitlist_position(session: AsyncSession, enrollment: Enrollment) -> int:
    """1 for the head of the queue; ties on `queued_at` are broken by row id."""
    ahead = await session.scalar(
        select(func.count()).select_from(Enrollment).where(
            Enrollment.training_id == enrollment.training_id,
            Enrollment.status == EnrollmentStatus.WAITLISTED,
            or_(Enrollment.queued_at < enrollment.queued_at,
                and_(Enrollment.queued_at == enrollment.queued_at,
                     Enrollment.id < enrollment.id)),
        )
    )
    return (ahead or 0) + 1


async def waiting_count(session: AsyncSession, training_id: int) -> int:
    return await session.scalar(
        select(func.count()).select_from(Enrollment).where(
            Enrollment.training_id == training_id,
            Enrollment.status == EnrollmentStatus.WAITLISTED)
    ) or 0


async def fill_free_seats(session: AsyncSession, training: Training, now: datetime,
                          offer_hours: float = OFFER_HOURS) -> list[Enrollment]:
    """Offer every free seat to the head of the waitlist, in order, each with a deadline.

    Offers stop when the training starts: nobody is woken for a seat they can no longer use.
    """
    offered: list[Enrollment] = []
    if not training.is_published or training.starts_at <= now:
        return offered
    until = min(now + timedelta(hours=offer_hours), training.starts_at)
    while training.seats_left > 0:
        head = await session.scalar(
            select(Enrollment).where(Enrollment.training_id == training.id,
                                     Enrollment.status == EnrollmentStatus.WAITLISTED)
            .order_by(Enrollment.queued_at, Enrollment.id).limit(1))
        if head is None:
            break
        head.status = EnrollmentStatus.OFFERED
        head.offered_until = until
        head.updated_at = now
        training.seats_taken += 1
        notices.tell(session, training.id, head.member_id, NoticeKind.OFFER, now, now)
        await session.flush()
        offered.append(head)
    return offered


async def release_seat(session: AsyncSession, training: Training, now: datetime,
                       offer_hours: float = OFFER_HOURS) -> list[Enrollment]:
    """A held seat became free: it goes to the next in line, or back to the open pool."""
    training.seats_taken -= 1
    await session.flush()
    return await fill_free_seats(session, training, now, offer_hours)
