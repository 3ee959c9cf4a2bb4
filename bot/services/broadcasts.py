"""Broadcasts: create, cancel, correct, withdraw, and read their counts.

Creating a broadcast writes one row and nothing else; the delivery job (bot/jobs/broadcasts.py)
writes one delivery row per recipient in batches and drains them. Other journeys announce
things through `create_broadcast`, which needs no Telegram objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services import audit
from bot.services.audit import Action
from bot.services.broadcasts_audience import Audience, desa_outside, within
from bot.services.broadcasts_format import MAX_CAPTION, MAX_TEXT, visible_text
from bot.services.scope import OutOfScope, scope_of
from models import Member, Role, utcnow
from models.broadcast import (
    Broadcast,
    BroadcastStatus,
    ButtonKind,
    Delivery,
    DeliveryStatus,
    MediaKind,
)
from models.training import Training, TrainingStatus

SCHEDULE_SLACK = timedelta(minutes=1)
"""A time this close to now counts as now (the facilitator took a minute to tap Kirim)."""
WITHDRAW_LIMIT = timedelta(hours=48)
"""Telegram lets a bot delete its messages for 48 hours."""
MAX_LABEL = 40
_LINK = re.compile(r"^(https?://[^\s/]+\.[^\s]+|tg://\S+)$", re.IGNORECASE)


class Problem(StrEnum):
    NOT_ALLOWED = "not_allowed"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CAPTION_TOO_LONG = "caption_too_long"
    BAD_LINK = "bad_link"
    BAD_LABEL = "bad_label"
    TRAINING_CLOSED = "training_closed"
    IN_THE_PAST = "in_the_past"
    NOT_FOUND = "not_found"
    FINISHED = "finished"
    WITHDRAWN = "withdrawn"
    TOO_OLD = "too_old"
    NOTHING_SENT = "nothing_sent"
    OUT_OF_SCOPE = "out_of_scope"


class BroadcastRefused(ValueError):
    """The request breaks a rule; `problem` says which, for the caller to explain."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Button:
    kind: ButtonKind
    url: str | None = None
    label: str | None = None
    training_id: int | None = None


@dataclass(frozen=True, slots=True)
class Media:
    kind: MediaKind
    file_id: str


@dataclass(frozen=True, slots=True)
class Counts:
    queued: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return (self.queued + self.sending + self.sent + self.failed + self.skipped
                + self.cancelled)

    @property
    def pending(self) -> int:
        return self.queued + self.sending


@dataclass(frozen=True, slots=True)
class Summary:
    broadcast: Broadcast
    counts: Counts = field(default_factory=Counts)
    fixes_pending: int = 0
    fixes_failed: int = 0


def check_content(text: str, media: Media | None) -> None:
    """Text is required without media; a caption is optional. Lengths as members will see."""
    shown = visible_text(text)
    if media is None and not shown.strip():
        raise BroadcastRefused(Problem.EMPTY)
    if media is None and len(shown) > MAX_TEXT:
        raise BroadcastRefused(Problem.TOO_LONG)
    if media is not None and len(shown) > MAX_CAPTION:
        raise BroadcastRefused(Problem.CAPTION_TOO_LONG)


def check_link(url: str) -> str:
    url = url.strip()
    if len(url) > 512 or not _LINK.match(url):
        raise BroadcastRefused(Problem.BAD_LINK)
    return url


def check_label(label: str) -> str:
    label = " ".join(label.split())
    if not label or len(label) > MAX_LABEL:
        raise BroadcastRefused(Problem.BAD_LABEL)
    return label


async def _staff(session: AsyncSession, member_id: int) -> Member:
    member = await session.get(Member, member_id)
    if member is None or member.role not in (Role.FACILITATOR, Role.ADMIN) \
            or not member.is_registered:
        raise BroadcastRefused(Problem.NOT_ALLOWED)
    return member


async def _check_button(session: AsyncSession, button: Button, now: datetime) -> Button:
    if button.kind == ButtonKind.LINK:
        return Button(ButtonKind.LINK, url=check_link(button.url or ""),
                      label=check_label(button.label or ""))
    training = await session.get(Training, button.training_id or 0)
    if training is None or training.status != TrainingStatus.PUBLISHED \
            or training.starts_at <= now:
        raise BroadcastRefused(Problem.TRAINING_CLOSED)
    return Button(ButtonKind.JOIN, training_id=training.id)


async def create_broadcast(
    sessionmaker: SessionMaker,
    *,
    sender_member_id: int,
    text: str,
    audience: Audience,
    button: Button | None = None,
    scheduled_at: datetime | None = None,
    photo: str | None = None,
    document: str | None = None,
    now: datetime | None = None,
) -> Broadcast:
    """One row; the delivery job does the rest (at `scheduled_at`, or at once when None).

    `text` is Telegram HTML the caller made safe (see broadcasts_format); `photo`/`document`
    are Telegram file ids, sent with `text` as their caption.
    """
    now = now or utcnow()
    media = (Media(MediaKind.PHOTO, photo) if photo else
             Media(MediaKind.DOCUMENT, document) if document else None)
    check_content(text, media)
    if scheduled_at is not None and scheduled_at < now - SCHEDULE_SLACK:
        raise BroadcastRefused(Problem.IN_THE_PAST)
    async with sessionmaker() as session, session.begin():
        sender = await _staff(session, sender_member_id)
        scope = scope_of(sender)
        try:
            audience = within(audience, scope)
        except OutOfScope:
            raise BroadcastRefused(Problem.OUT_OF_SCOPE) from None
        if scope.kecamatan is not None and await desa_outside(session, audience, scope.kecamatan):
            raise BroadcastRefused(Problem.OUT_OF_SCOPE)
        if button is not None:
            button = await _check_button(session, button, now)
        broadcast = Broadcast(
            sender_id=sender_member_id, text=text,
            media_kind=media.kind if media else None,
            media_file_id=media.file_id if media else None,
            button_kind=button.kind if button else None, button_url=button.url if button else None,
            button_label=button.label if button else None,
            training_id=button.training_id if button else None,
            audience=audience.to_json(), status=BroadcastStatus.SCHEDULED,
            scheduled_at=max(scheduled_at or now, now), created_at=now,
        )
        session.add(broadcast)
        await session.flush()
        audit.record(session, Action.BROADCAST_CREATED, actor=sender,
                     subject=f"broadcast:{broadcast.id}",
                     details={"audience": broadcast.audience,
                              "scheduled_at": broadcast.scheduled_at.astimezone(UTC).isoformat()},
                     at=now)
    return broadcast


def may_manage(member: Member, broadcast: Broadcast) -> bool:
    """Admins manage every broadcast; a facilitator their own."""
    return member.role == Role.ADMIN or (
        member.role == Role.FACILITATOR and broadcast.sender_id == member.id)


async def _managed(session: AsyncSession, broadcast_id: int, member_id: int
                   ) -> tuple[Member, Broadcast]:
    member = await _staff(session, member_id)
    broadcast = await session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None:
        raise BroadcastRefused(Problem.NOT_FOUND)
    if not may_manage(member, broadcast):
        raise BroadcastRefused(Problem.NOT_ALLOWED)
    return member, broadcast


def _audit(session: AsyncSession, action: Action, actor: Member, broadcast: Broadcast,
           now: datetime) -> None:
    audit.record(session, action, actor=actor, subject=f"broadcast:{broadcast.id}",
                 details={"revision": broadcast.revision}, at=now)


async def _stop_queued(session: AsyncSession, broadcast: Broadcast, now: datetime) -> None:
    """Rows already with a sender process finish; the process cancels them before sending."""
    broadcast.status = BroadcastStatus.CANCELLED
    broadcast.cancelled_at = now
    await session.execute(
        update(Delivery)
        .where(Delivery.broadcast_id == broadcast.id, Delivery.status == DeliveryStatus.QUEUED)
        .values(status=DeliveryStatus.CANCELLED, error="cancelled")
    )


async def cancel_broadcast(sessionmaker: SessionMaker, broadcast_id: int, *, member_id: int,
                           now: datetime) -> Broadcast:
    async with sessionmaker() as session, session.begin():
        actor, broadcast = await _managed(session, broadcast_id, member_id)
        if broadcast.is_finished:
            raise BroadcastRefused(Problem.FINISHED)
        await _stop_queued(session, broadcast, now)
        _audit(session, Action.BROADCAST_CANCELLED, actor, broadcast, now)
    return broadcast


async def correct_broadcast(sessionmaker: SessionMaker, broadcast_id: int, *, member_id: int,
                            text: str, now: datetime) -> Broadcast:
    """New text (or caption) for every copy: sent ones are edited, queued ones go out new."""
    async with sessionmaker() as session, session.begin():
        actor, broadcast = await _managed(session, broadcast_id, member_id)
        if broadcast.withdrawn_at is not None:
            raise BroadcastRefused(Problem.WITHDRAWN)
        media = Media(MediaKind(broadcast.media_kind), broadcast.media_file_id or "") \
            if broadcast.media_kind else None
        check_content(text, media)
        broadcast.text = text
        broadcast.revision += 1
        await session.execute(
            update(Delivery)
            .where(Delivery.broadcast_id == broadcast.id, Delivery.status == DeliveryStatus.SENT)
            .values(fix_error=None, fix_attempts=0, fix_next_at=None)
        )
        _audit(session, Action.BROADCAST_CORRECTED, actor, broadcast, now)
    return broadcast


async def withdraw_broadcast(sessionmaker: SessionMaker, broadcast_id: int, *, member_id: int,
                             now: datetime) -> Broadcast:
    """Deletes every delivered copy and sends no more."""
    async with sessionmaker() as session, session.begin():
        actor, broadcast = await _managed(session, broadcast_id, member_id)
        if broadcast.withdrawn_at is not None:
            raise BroadcastRefused(Problem.WITHDRAWN)
        if broadcast.started_at is None:
            raise BroadcastRefused(Problem.NOTHING_SENT)
        if now - broadcast.started_at > WITHDRAW_LIMIT:
            raise BroadcastRefused(Problem.TOO_OLD)
        if not broadcast.is_finished:
            await _stop_queued(session, broadcast, now)
        broadcast.withdrawn_at = now
        broadcast.revision += 1
        _audit(session, Action.BROADCAST_WITHDRAWN, actor, broadcast, now)
    return broadcast


async def counts(session: AsyncSession, broadcast_id: int) -> Counts:
    rows = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(Delivery.status)
    )
    return Counts(**{status: n for status, n in rows})


async def summarize(session: AsyncSession, broadcast: Broadcast) -> Summary:
    pending = failed = 0
    if broadcast.revision > 1:
        behind = Delivery.revision < broadcast.revision
        rows = await session.execute(
            select(behind, func.count())
            .where(Delivery.broadcast_id == broadcast.id, Delivery.status == DeliveryStatus.SENT,
                   behind | Delivery.fix_error.is_not(None))
            .group_by(behind)
        )
        for is_behind, n in rows:
            if is_behind:
                pending = n
            else:
                failed = n
    return Summary(broadcast, await counts(session, broadcast.id), pending, failed)


async def summary(sessionmaker: SessionMaker, broadcast_id: int) -> Summary | None:
    async with sessionmaker() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        return await summarize(session, broadcast) if broadcast is not None else None


async def history(sessionmaker: SessionMaker, member_id: int, limit: int = 10) -> list[Summary]:
    """Newest first: an admin sees everyone's, a facilitator their own."""
    async with sessionmaker() as session:
        member = await _staff(session, member_id)
        query = select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)
        if member.role != Role.ADMIN:
            query = query.where(Broadcast.sender_id == member.id)
        return [await summarize(session, b) for b in await session.scalars(query)]
