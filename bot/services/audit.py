"""The audit trail of staff actions: written in the same transaction as the action itself.

Services call `record` with the session they already hold, so an action and its audit row commit
or roll back together; a failed action leaves no trace and a done one always does. Details hold
ids, codes, counts and field names only, never names, phone numbers or message bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, or_, select
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
    ATTENDANCE_CODE_OPENED = "attendance.code_opened"
    PRICE_REPORTED = "price.reported"
    PRICE_REVIEWED = "price.reviewed"
    PRICE_OVERRIDDEN = "price.overridden"
    PRICE_IMPORTED = "price.imported"
    TIP_CREATED = "tip.created"
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


async def record_by(
    session: AsyncSession,
    action: Action,
    actor_id: int | None,
    *,
    subject: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """For services that know the actor only by id (None: the command line)."""
    actor = await session.get(Member, actor_id) if actor_id is not None else None
    record(session, action, actor=actor, subject=subject, details=details, at=at)


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

    @property
    def subject_id(self) -> str | None:
        """"12" of "training:12", for "#12" in a sentence."""
        if self.subject is None or ":" not in self.subject:
            return None
        return self.subject.split(":", 1)[1]


@dataclass(frozen=True, slots=True)
class Page:
    entries: list[Entry]
    more: bool
    """Older entries exist beyond this page."""


def _query() -> Select[Any]:
    return (select(AuditEntry, Member.full_name)
            .outerjoin(Member, Member.id == AuditEntry.actor_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))


async def _run(sessionmaker: SessionMaker, query: Select[Any]) -> list[Entry]:
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    return [Entry(e.id, e.at, e.actor_id, name, e.actor_role, e.action, e.subject, e.details)
            for e, name in rows]


async def entries(sessionmaker: SessionMaker, *, since: datetime | None = None,
                  limit: int | None = None, action: str | None = None) -> list[Entry]:
    """Newest first; `limit` keeps the newest ones, `action` is a prefix ("training")."""
    query = _query()
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if limit is not None:
        query = query.limit(limit)
    return await _run(sessionmaker, query)


async def page(sessionmaker: SessionMaker, size: int, before: int | None = None) -> Page | None:
    """The newest `size` entries, or those older than entry `before`; None if that is unknown.

    Paging by the last entry shown (not by offset) keeps a page stable while new rows arrive.
    """
    query = _query().limit(size + 1)
    if before is not None:
        async with sessionmaker() as session:
            cursor = await session.get(AuditEntry, before)
        if cursor is None:
            return None
        query = query.where(or_(AuditEntry.at < cursor.at,
                                and_(AuditEntry.at == cursor.at, AuditEntry.id < cursor.id)))
    found = await _run(sessionmaker, query)
    return Page(found[:size], len(found) > size)
