"""The audit trail of staff actions: written in the same transaction as the action itself.

Services call `record` with the session they already hold, so an action and its audit row commit
or roll back together; a failed action leaves no trace and a done one always does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from models import Member, utcnow
from models.audit import AuditEntry

CLI = "cli"
"""`actor_role` of actions taken on the command line, where there is no member."""


class Action(StrEnum):
    ROLE_CHANGED = "role.changed"
    SCOPE_CHANGED = "scope.changed"
    TRAINING_CREATED = "training.created"
    TRAINING_CHANGED = "training.changed"
    TRAINING_CANCELLED = "training.cancelled"
    TRAINING_IMPORTED = "training.imported"
    ATTENDANCE_MARKED = "attendance.marked"
    PRICE_REPORTED = "price.reported"
    PRICE_REVIEWED = "price.reviewed"
    PRICE_OVERRIDDEN = "price.overridden"
    PRICE_IMPORTED = "price.imported"
    TIP_SAVED = "tip.saved"
    TIP_PUBLISHED = "tip.published"
    TIP_UNPUBLISHED = "tip.unpublished"
    BROADCAST_CREATED = "broadcast.created"
    BROADCAST_CANCELLED = "broadcast.cancelled"
    BROADCAST_CORRECTED = "broadcast.corrected"
    BROADCAST_WITHDRAWN = "broadcast.withdrawn"
    REPORT_EXPORTED = "report.exported"
    MEMBER_DATA_EXPORTED = "member.data_exported"
    MEMBER_ERASED = "member.erased"


def record(
    session: AsyncSession,
    action: Action,
    *,
    actor: Member | None,
    subject: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Adds the row to the caller's transaction; `actor=None` means the command line."""
    session.add(AuditEntry(
        at=at or utcnow(), actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else CLI, action=action.value, subject=subject,
        details=details or {},
    ))


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    actor_role: str
    action: str
    subject: str | None
    details: dict[str, Any]


async def entries(sessionmaker: SessionMaker, *, since: datetime | None = None,
                  limit: int | None = None) -> list[Entry]:
    """Newest first; `limit` for the chat view, none for the command line."""
    query = (select(AuditEntry, Member.full_name)
             .outerjoin(Member, Member.id == AuditEntry.actor_id)
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if limit is not None:
        query = query.limit(limit)
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    return [Entry(e.id, e.at, e.actor_id, name, e.actor_role, e.action, e.subject, e.details)
            for e, name in rows]
