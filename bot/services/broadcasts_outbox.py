"""The outbox as the delivery job sees it: write rows, claim them, record what happened.

Every function is one short transaction, safe with several sender processes on PostgreSQL:
rows are claimed with `FOR UPDATE SKIP LOCKED` and marked with the claimer's worker id, and
results are written only where that worker still holds the row. SQLite serialises writers, so
the same statements are safe there for the single sender process it supports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services import members
from bot.services.broadcasts_audience import Audience, recipients
from models import Member, Status
from models.broadcast import Broadcast, BroadcastStatus, Delivery, DeliveryStatus
from models.training import Training

MAX_ATTEMPTS = 3
BACKOFF = timedelta(seconds=2)
"""Wait before the second attempt; each later one waits four times longer."""
PREPARE_BATCH = 2000

deliveries = Delivery.__table__
broadcasts = Broadcast.__table__


@dataclass(frozen=True, slots=True)
class Content:
    """What every copy of a broadcast shows, at one revision."""

    broadcast_id: int
    revision: int
    text: str
    media_kind: str | None
    media_file_id: str | None
    button_kind: str | None
    button_url: str | None
    button_label: str | None
    training_id: int | None
    training_version: int | None
    withdrawn: bool
    cancelled: bool


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed row: a message to send, or (`fix`) a sent one to edit or delete."""

    delivery_id: int
    broadcast_id: int
    member_id: int
    chat_id: int | None
    member_status: str
    language: str
    attempts: int
    fix: bool = False
    message_id: int | None = None


class Verdict(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    RETRY = "retry"
    CANCELLED = "cancelled"
    RELEASED = "released"  # never tried: back to the queue as it was
    FIXED = "fixed"
    FIX_FAILED = "fix_failed"
    FIX_RETRY = "fix_retry"


@dataclass(frozen=True, slots=True)
class Outcome:
    job: Job
    verdict: Verdict
    revision: int = 0
    message_id: int | None = None
    error: str | None = None
    block_member: bool = False
    at: datetime | None = None
    """When Telegram answered (sent_at, and the backoff counts from it); else when recorded."""


def backoff(attempts: int) -> timedelta:
    return BACKOFF * 4 ** (attempts - 1)


def _content(row: Any) -> Content:
    return Content(row.id, row.revision, row.text, row.media_kind, row.media_file_id,
                   row.button_kind, row.button_url, row.button_label, row.training_id,
                   row.version, row.withdrawn_at is not None,
                   row.status == BroadcastStatus.CANCELLED)


async def contents(sessionmaker: SessionMaker, broadcast_ids: set[int]) -> dict[int, Content]:
    """Read afresh for every batch, so a correction or a cancellation takes effect at once."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(broadcasts, Training.version)
            .outerjoin(Training, Training.id == broadcasts.c.training_id)
            .where(broadcasts.c.id.in_(broadcast_ids))
        )
        return {row.id: _content(row) for row in rows}


async def promote_due(sessionmaker: SessionMaker, now: datetime) -> list[int]:
    """Scheduled broadcasts whose time has come start (their rows are written next)."""
    async with sessionmaker() as session, session.begin():
        rows = await session.scalars(
            update(broadcasts)
            .where(broadcasts.c.status == BroadcastStatus.SCHEDULED,
                   broadcasts.c.scheduled_at <= now)
            .values(status=BroadcastStatus.SENDING, started_at=now)
            .returning(broadcasts.c.id)
        )
        return list(rows)


async def prepare_batch(sessionmaker: SessionMaker, now: datetime,
                        limit: int = PREPARE_BATCH) -> int | None:
    """Writes the next rows of one started broadcast; None when no broadcast needs rows.

    The broadcast row is locked (skipped by other workers) and its cursor moves in the same
    transaction as the rows, so a crash between batches neither loses nor doubles anyone.
    """
    async with sessionmaker() as session, session.begin():
        broadcast = await session.scalar(
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.SENDING, Broadcast.prepared_at.is_(None))
            .order_by(Broadcast.id).limit(1)
            .with_for_update(skip_locked=True)
        )
        if broadcast is None:
            return None
        audience = Audience.from_json(broadcast.audience)
        ids = list(await session.scalars(
            recipients(audience).where(Member.id > broadcast.prepare_cursor).limit(limit)
        ))
        if ids:
            await session.execute(insert(deliveries), [
                {"broadcast_id": broadcast.id, "member_id": member_id,
                 "status": DeliveryStatus.QUEUED, "attempts": 0, "next_attempt_at": now,
                 "revision": 0, "fix_attempts": 0}
                for member_id in ids
            ])
            broadcast.prepare_cursor = ids[-1]
            broadcast.total += len(ids)
        if len(ids) < limit:
            broadcast.prepared_at = now
        return len(ids)


async def _jobs(session: AsyncSession, claimed: list[Any], fix: bool) -> list[Job]:
    people = {row.id: row for row in await session.execute(
        select(Member.id, Member.chat_id, Member.status, Member.language)
        .where(Member.id.in_({row.member_id for row in claimed}))
    )} if claimed else {}
    jobs = []
    for row in sorted(claimed, key=lambda r: r.id):
        person = people.get(row.member_id)
        jobs.append(Job(
            row.id, row.broadcast_id, row.member_id,
            person.chat_id if person else None, person.status if person else Status.DELETED,
            person.language if person else "id",
            row.fix_attempts if fix else row.attempts, fix, row.message_id,
        ))
    return jobs


_RETURNED = (deliveries.c.id, deliveries.c.broadcast_id, deliveries.c.member_id,
             deliveries.c.attempts, deliveries.c.fix_attempts, deliveries.c.message_id)


async def claim_sends(sessionmaker: SessionMaker, worker_id: int, now: datetime,
                      limit: int) -> list[Job]:
    """Due queued rows, oldest first, become `sending` under this worker."""
    async with sessionmaker() as session, session.begin():
        due = list(await session.scalars(
            select(deliveries.c.id)
            .where(deliveries.c.status == DeliveryStatus.QUEUED,
                   deliveries.c.next_attempt_at <= now)
            .order_by(deliveries.c.id).limit(limit)
            .with_for_update(skip_locked=True)
        ))
        return await _claim(session, due, {"status": DeliveryStatus.SENDING}, worker_id, now,
                            fix=False)


async def _claim(session: AsyncSession, ids: list[int], values: dict[str, Any], worker_id: int,
                 now: datetime, fix: bool) -> list[Job]:
    """Marks rows already locked by this transaction (a separate statement on purpose: as an
    `IN (subquery … LIMIT n)`, PostgreSQL may rerun the locking subquery per row and claim more
    than n)."""
    if not ids:
        return []
    claimed = (await session.execute(
        update(deliveries).where(deliveries.c.id.in_(ids))
        .values(**values, worker_id=worker_id, claimed_at=now)
        .returning(*_RETURNED)
    )).all()
    return await _jobs(session, claimed, fix=fix)


async def claim_fixes(sessionmaker: SessionMaker, worker_id: int, now: datetime,
                      limit: int) -> list[Job]:
    """Sent rows behind their broadcast's revision: to be edited, or deleted if withdrawn."""
    async with sessionmaker() as session, session.begin():
        behind = list(await session.execute(
            select(broadcasts.c.id, broadcasts.c.revision)
            .where(broadcasts.c.revision > broadcasts.c.fixed_revision)
        ))
        due: list[int] = []
        for broadcast_id, revision in behind:
            due += await session.scalars(
                select(deliveries.c.id)
                .where(deliveries.c.broadcast_id == broadcast_id,
                       deliveries.c.status == DeliveryStatus.SENT,
                       deliveries.c.revision < revision,
                       deliveries.c.worker_id.is_(None),
                       or_(deliveries.c.fix_next_at.is_(None), deliveries.c.fix_next_at <= now))
                .order_by(deliveries.c.id).limit(limit - len(due))
                .with_for_update(skip_locked=True)
            )
            if len(due) >= limit:
                break
        return await _claim(session, due, {}, worker_id, now, fix=True)


def _values(outcome: Outcome, now: datetime) -> dict[str, Any]:
    job, verdict = outcome.job, outcome.verdict
    now = outcome.at or now
    if verdict == Verdict.SENT:
        return {"status": DeliveryStatus.SENT, "message_id": outcome.message_id, "sent_at": now,
                "revision": outcome.revision, "error": None}
    if verdict in (Verdict.FAILED, Verdict.SKIPPED, Verdict.CANCELLED):
        return {"status": DeliveryStatus(verdict.value), "error": outcome.error,
                "attempts": job.attempts + (verdict == Verdict.FAILED)}
    if verdict == Verdict.RETRY:
        return {"status": DeliveryStatus.QUEUED, "error": outcome.error,
                "attempts": job.attempts + 1, "next_attempt_at": now + backoff(job.attempts + 1)}
    if verdict == Verdict.RELEASED:  # a correction's row was sent: it only loses its claim
        return {} if job.fix else {"status": DeliveryStatus.QUEUED}
    if verdict == Verdict.FIXED:
        return {"revision": outcome.revision, "fix_attempts": 0, "fix_error": None,
                "fix_next_at": None}
    if verdict == Verdict.FIX_FAILED:
        return {"revision": outcome.revision, "fix_error": outcome.error,
                "fix_attempts": job.attempts + 1}
    return {"fix_attempts": job.attempts + 1, "fix_error": outcome.error,
            "fix_next_at": now + backoff(job.attempts + 1)}


async def record(sessionmaker: SessionMaker, worker_id: int, outcomes: list[Outcome],
                 now: datetime) -> None:
    """Writes results in one transaction, only into rows this worker still holds.

    Members Telegram reported as unreachable are marked blocked afterwards.
    """
    if not outcomes:
        return
    grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for outcome in outcomes:
        values = _values(outcome, now) | {"worker_id": None, "claimed_at": None}
        grouped[tuple(sorted(values))].append({"_id": outcome.job.delivery_id, **values})
    async with sessionmaker() as session, session.begin():
        for keys, rows in grouped.items():
            statement = (
                update(deliveries)
                .where(deliveries.c.id == bindparam("_id"), deliveries.c.worker_id == worker_id)
                .values({key: bindparam(key) for key in keys})
            )
            await session.execute(statement, rows)
    for member_id in {o.job.member_id for o in outcomes if o.block_member}:
        await members.set_status(sessionmaker, member_id, Status.BLOCKED)


async def release_claims(session: AsyncSession, worker_ids: list[int]) -> None:
    """Rows these workers claimed but never finished go back to the queue as they were."""
    held = deliveries.c.worker_id.in_(worker_ids)
    await session.execute(
        update(deliveries)
        .where(held, deliveries.c.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.QUEUED, worker_id=None, claimed_at=None)
    )
    await session.execute(
        update(deliveries).where(and_(held, deliveries.c.status == DeliveryStatus.SENT))
        .values(worker_id=None, claimed_at=None)
    )
