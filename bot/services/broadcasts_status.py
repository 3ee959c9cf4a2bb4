"""Where broadcasts stand, for their senders: finishing, progress turns, and the counts.

Each finishing step is one UPDATE … RETURNING, so with several sender processes exactly one of
them sees a broadcast finish and tells its sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select, update

from bot.db import SessionMaker
from bot.services.broadcasts import Summary, summarize
from bot.services.broadcasts_outbox import broadcasts, deliveries
from models import Member, Status
from models.broadcast import Broadcast, BroadcastStatus, DeliveryStatus


def _no_rows(*statuses: DeliveryStatus) -> Any:
    return ~exists().where(deliveries.c.broadcast_id == broadcasts.c.id,
                           deliveries.c.status.in_(statuses))


async def finish(sessionmaker: SessionMaker, now: datetime) -> list[int]:
    """Broadcasts with nothing left to send are done (cancelled ones once in-flight rows land).

    Returns their ids; exactly one worker sees each id, so the sender gets one summary.
    """
    async with sessionmaker() as session, session.begin():
        done = await session.scalars(
            update(broadcasts)
            .where(broadcasts.c.status == BroadcastStatus.SENDING,
                   broadcasts.c.prepared_at.is_not(None),
                   _no_rows(DeliveryStatus.QUEUED, DeliveryStatus.SENDING))
            .values(status=BroadcastStatus.DONE, finished_at=now)
            .returning(broadcasts.c.id)
        )
        stopped = await session.scalars(
            update(broadcasts)
            .where(broadcasts.c.status == BroadcastStatus.CANCELLED,
                   broadcasts.c.finished_at.is_(None),
                   _no_rows(DeliveryStatus.SENDING))
            .values(finished_at=now)
            .returning(broadcasts.c.id)
        )
        return [*done, *stopped]


async def finish_fixes(sessionmaker: SessionMaker) -> list[int]:
    """Broadcasts whose correction or withdrawal reached every delivered copy."""
    async with sessionmaker() as session, session.begin():
        behind = exists().where(deliveries.c.broadcast_id == broadcasts.c.id,
                                deliveries.c.status == DeliveryStatus.SENT,
                                deliveries.c.revision < broadcasts.c.revision)
        rows = await session.scalars(
            update(broadcasts)
            .where(broadcasts.c.revision > broadcasts.c.fixed_revision, ~behind,
                   _no_rows(DeliveryStatus.SENDING))
            .values(fixed_revision=broadcasts.c.revision)
            .returning(broadcasts.c.id)
        )
        return list(rows)


async def active(sessionmaker: SessionMaker) -> list[int]:
    async with sessionmaker() as session:
        return list(await session.scalars(
            select(Broadcast.id).where(Broadcast.status == BroadcastStatus.SENDING)
        ))


async def take_progress_turn(sessionmaker: SessionMaker, broadcast_id: int, now: datetime,
                             every: timedelta) -> bool:
    """At most one progress edit per `every`, whichever worker asks first."""
    async with sessionmaker() as session, session.begin():
        result = await session.execute(
            update(broadcasts)
            .where(broadcasts.c.id == broadcast_id,
                   or_(broadcasts.c.progress_at.is_(None),
                       broadcasts.c.progress_at <= now - every))
            .values(progress_at=now)
        )
        return bool(getattr(result, "rowcount", 0))


async def remember_progress_message(sessionmaker: SessionMaker, broadcast_id: int,
                                    chat_id: int, message_id: int) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(broadcasts).where(broadcasts.c.id == broadcast_id)
            .values(progress_chat_id=chat_id, progress_message_id=message_id)
        )


@dataclass(frozen=True, slots=True)
class Report:
    """What the sender is told: counts, and where their progress message lives."""

    summary: Summary
    sender_chat_id: int | None
    sender_language: str


async def report(sessionmaker: SessionMaker, broadcast_id: int) -> Report | None:
    async with sessionmaker() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None:
            return None
        sender = await session.get(Member, broadcast.sender_id) if broadcast.sender_id else None
        usable = sender is not None and sender.status != Status.DELETED
        return Report(await summarize(session, broadcast),
                      sender.chat_id if usable and sender else None,
                      sender.language if sender else "id")
