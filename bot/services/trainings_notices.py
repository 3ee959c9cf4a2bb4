"""Notices members are owed (reminders, seat offers, changes, feedback requests), kept as rows.

Rows are written inside the transaction that creates the reason for them, so a reminder exists
exactly when the enrollment does. A sender claims due rows by flipping them to `sent` before it
talks to Telegram: a crash can lose one message but never sends one twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db import SessionMaker
from models import Member, Region, Status
from models.training import (
    ACTIVE,
    Enrollment,
    EnrollmentStatus,
    NoticeKind,
    NoticeStatus,
    Training,
    TrainingNotice,
)

EVENING = time(18, 0)
SOON = timedelta(hours=2)
REMINDERS = (NoticeKind.REMINDER_EVE, NoticeKind.REMINDER_SOON)
EVENING_GRACE = timedelta(hours=3)
"""An evening reminder found later than this (the bot was down) would arrive at night: drop it."""
FEEDBACK_WINDOW = timedelta(days=7)
MAX_ATTEMPTS = 4
RETRY_AFTER = timedelta(minutes=2)


def reminder_times(starts_at: datetime, now: datetime, tz: tzinfo
                   ) -> list[tuple[NoticeKind, datetime]]:
    """18.00 local the evening before and two hours before; only those still ahead of `now`."""
    day_before = starts_at.astimezone(tz).date() - timedelta(days=1)
    evening = datetime.combine(day_before, EVENING, tzinfo=tz)
    times = [(NoticeKind.REMINDER_EVE, evening), (NoticeKind.REMINDER_SOON, starts_at - SOON)]
    return [(kind, due) for kind, due in times if due > now]


async def drop_pending(session: AsyncSession, training_id: int, member_id: int | None = None,
                       kinds: tuple[NoticeKind, ...] | None = None) -> None:
    """Pending notices that are no longer true are kept as `skipped` (the history shows why)."""
    statement = update(TrainingNotice).where(
        TrainingNotice.training_id == training_id, TrainingNotice.status == NoticeStatus.PENDING)
    if member_id is not None:
        statement = statement.where(TrainingNotice.member_id == member_id)
    if kinds is not None:
        statement = statement.where(TrainingNotice.kind.in_(kinds))
    await session.execute(statement.values(status=NoticeStatus.SKIPPED)
                          .execution_options(synchronize_session=False))


def tell(session: AsyncSession, training_id: int, member_id: int, kind: NoticeKind,
         due_at: datetime, now: datetime, details: dict[str, Any] | None = None) -> None:
    session.add(TrainingNotice(training_id=training_id, member_id=member_id, kind=kind,
                               due_at=due_at, status=NoticeStatus.PENDING, attempts=0,
                               details=details or {}, created_at=now))


async def schedule_reminders(session: AsyncSession, training: Training, member_id: int,
                             now: datetime, tz: tzinfo) -> None:
    await drop_pending(session, training.id, member_id, REMINDERS)
    for kind, due in reminder_times(training.starts_at, now, tz):
        tell(session, training.id, member_id, kind, due, now)


async def reschedule_reminders(session: AsyncSession, training: Training, now: datetime,
                               tz: tzinfo) -> None:
    """After a time change: the old reminders would name the wrong hour."""
    await session.execute(delete(TrainingNotice).where(
        TrainingNotice.training_id == training.id, TrainingNotice.kind.in_(REMINDERS),
        TrainingNotice.status == NoticeStatus.PENDING))
    enrolled = await session.scalars(select(Enrollment.member_id).where(
        Enrollment.training_id == training.id, Enrollment.status == EnrollmentStatus.ENROLLED))
    times = reminder_times(training.starts_at, now, tz)
    for member_id in enrolled:
        for kind, due in times:
            tell(session, training.id, member_id, kind, due, now)


async def tell_everyone(session: AsyncSession, training: Training, kind: NoticeKind,
                        now: datetime, details: dict[str, bool] | None = None) -> int:
    """Every member holding or awaiting a seat; an unsent change notice is merged, not doubled."""
    members = list(await session.scalars(select(Enrollment.member_id).where(
        Enrollment.training_id == training.id, Enrollment.status.in_(ACTIVE))))
    waiting = {n.member_id: n for n in await session.scalars(select(TrainingNotice).where(
        TrainingNotice.training_id == training.id, TrainingNotice.kind == kind,
        TrainingNotice.status == NoticeStatus.PENDING))}
    for member_id in members:
        if (pending := waiting.get(member_id)) is not None:
            merged = dict(pending.details)
            for key, value in (details or {}).items():
                merged[key] = bool(merged.get(key)) or value
            pending.details = merged
        else:
            tell(session, training.id, member_id, kind, now, now, details)
    return len(members)


@dataclass(frozen=True, slots=True)
class Due:
    """A claimed notice with everything needed to word it in the member's language."""

    notice_id: int
    kind: NoticeKind
    member_id: int
    chat_id: int
    language: str
    training: Training
    desa_name: str
    kecamatan_name: str
    enrollment: Enrollment | None
    details: dict[str, Any]


def _still_true(kind: NoticeKind, notice: TrainingNotice, training: Training,
                enrollment: Enrollment | None, now: datetime) -> bool:
    status = enrollment.status if enrollment is not None else None
    if kind in (NoticeKind.CANCELLED, NoticeKind.OFFER_EXPIRED):
        return True
    if not training.is_published:
        return False
    if kind in REMINDERS:
        late = now > notice.due_at + EVENING_GRACE if kind == NoticeKind.REMINDER_EVE else False
        return status == EnrollmentStatus.ENROLLED and training.starts_at > now and not late
    if kind == NoticeKind.OFFER:
        return (status == EnrollmentStatus.OFFERED and enrollment is not None
                and enrollment.offered_until is not None and enrollment.offered_until > now)
    if kind == NoticeKind.CHANGED:
        return status in ACTIVE and training.ends_at > now
    return (enrollment is not None and enrollment.attended and enrollment.rating is None
            and now < training.ends_at + FEEDBACK_WINDOW)


async def claim_due(sessionmaker: SessionMaker, now: datetime, limit: int = 200) -> list[Due]:
    """Due notices, marked sent in the same transaction; the ones no longer true are skipped."""
    desa, kecamatan = aliased(Region), aliased(Region)
    async with sessionmaker() as session, session.begin():
        ids = list(await session.scalars(
            select(TrainingNotice.id).where(TrainingNotice.status == NoticeStatus.PENDING,
                                            TrainingNotice.due_at <= now)
            .order_by(TrainingNotice.due_at, TrainingNotice.id).limit(limit)))
        if not ids:
            return []
        claimed = list(await session.scalars(
            update(TrainingNotice).where(TrainingNotice.id.in_(ids),
                                         TrainingNotice.status == NoticeStatus.PENDING)
            .values(status=NoticeStatus.SENT, sent_at=now).returning(TrainingNotice.id)))
        rows = (await session.execute(
            select(TrainingNotice, Member, Training, desa.name, kecamatan.name, Enrollment)
            .join(Member, Member.id == TrainingNotice.member_id)
            .join(Training, Training.id == TrainingNotice.training_id)
            .join(desa, desa.code == Training.desa_code)
            .join(kecamatan, kecamatan.code == Training.kecamatan_code)
            .outerjoin(Enrollment, (Enrollment.training_id == TrainingNotice.training_id)
                       & (Enrollment.member_id == TrainingNotice.member_id))
            .where(TrainingNotice.id.in_(claimed))
            .order_by(TrainingNotice.due_at, TrainingNotice.id)
        )).all()
        due: list[Due] = []
        unreachable: list[int] = []
        stale: list[int] = []
        for notice, member, training, desa_name, kecamatan_name, enrollment in rows:
            kind = NoticeKind(notice.kind)
            if member.chat_id is None or member.status in (Status.BLOCKED, Status.DELETED):
                unreachable.append(notice.id)
            elif not _still_true(kind, notice, training, enrollment, now):
                stale.append(notice.id)
            else:
                due.append(Due(notice.id, kind, member.id, member.chat_id, member.language,
                               training, desa_name, kecamatan_name, enrollment,
                               dict(notice.details)))
        await _set_status(session, unreachable, NoticeStatus.FAILED)
        await _set_status(session, stale, NoticeStatus.SKIPPED)
    return due


async def _set_status(session: AsyncSession, ids: list[int], status: NoticeStatus) -> None:
    if ids:
        await session.execute(update(TrainingNotice).where(TrainingNotice.id.in_(ids))
                              .values(status=status, sent_at=None))


async def settle(sessionmaker: SessionMaker, now: datetime, *, retry: list[int],
                 failed: list[int]) -> None:
    """Transient failures go back in the queue a little later, up to MAX_ATTEMPTS in all."""
    if not retry and not failed:
        return
    async with sessionmaker() as session, session.begin():
        await _set_status(session, failed, NoticeStatus.FAILED)
        for notice in await session.scalars(
                select(TrainingNotice).where(TrainingNotice.id.in_(retry))):
            notice.attempts += 1
            notice.sent_at = None
            if notice.attempts >= MAX_ATTEMPTS:
                notice.status = NoticeStatus.FAILED
            else:
                notice.status = NoticeStatus.PENDING
                notice.due_at = now + RETRY_AFTER * notice.attempts
