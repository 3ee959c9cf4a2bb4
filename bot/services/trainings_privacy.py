"""The member's share of the training tables, for the data export and the right to erasure.

Enrollments stay, tied to the anonymous tombstone, so attendance counts and ratings still add
up; the comment (free text, may name people) goes. Any seat or waitlist place the member held
without having come is given back (the trainings job offers freed seats to the waitlist at its
next round), so a tombstone never blocks a villager. Their notices are deleted.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.services import privacy
from models.training import (
    ACTIVE,
    HOLDS_SEAT,
    Enrollment,
    EnrollmentStatus,
    Training,
    TrainingNotice,
)


async def export_enrollments(session: AsyncSession, member_id: int) -> privacy.Exported:
    rows = await session.execute(
        select(Enrollment, Training.title, Training.starts_at, Training.venue)
        .join(Training, Training.id == Enrollment.training_id)
        .where(Enrollment.member_id == member_id).order_by(Training.starts_at))
    return [{"training": title, "starts_at": starts_at, "venue": venue, "status": e.status,
             "since": e.queued_at, "attended_at": e.attended_at, "rating": e.rating,
             "comment": e.comment} for e, title, starts_at, venue in rows]


async def anonymize_enrollments(session: AsyncSession, member_id: int) -> None:
    held = list(await session.scalars(select(Enrollment).where(
        Enrollment.member_id == member_id, Enrollment.status.in_(ACTIVE),
        Enrollment.attended_at.is_(None))))
    for enrollment in held:
        if enrollment.status in HOLDS_SEAT:
            await session.execute(update(Training).where(Training.id == enrollment.training_id)
                                  .values(seats_taken=Training.seats_taken - 1))
        enrollment.status, enrollment.offered_until = EnrollmentStatus.CANCELLED, None
    await session.execute(update(Enrollment).where(Enrollment.member_id == member_id)
                          .values(comment=None))
    await session.execute(delete(TrainingNotice).where(TrainingNotice.member_id == member_id))


privacy.register_personal_data("training_enrollments", export_enrollments,
                               anonymize_enrollments, label=N_("Training enrollments"))
