"""The weekly tip: who gets which tip this week, kept as an outbox in `tip_sends`.

A week is named by the local date its send starts (`2026-03-02`). Queuing creates one row per
subscribed member and week (a unique key), so running the job twice, or after a crash, never
sends anyone a second tip that week; the sender then drains the queued rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import exists, func, select, update

from bot.db import SessionMaker
from bot.services import tips_categories
from models import Member, Status
from models.tip import Tip, TipSend, TipSubscription, TipView

BATCH = 500
WEEK = timedelta(days=7)


def period_start(now: datetime, tz: tzinfo, weekday: int, at: time) -> datetime:
    """The latest scheduled moment at or before `now` (UTC)."""
    local = now.astimezone(tz)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    start = datetime.combine(day, at).replace(tzinfo=tz)
    if start > local:
        start = datetime.combine(day - WEEK, at).replace(tzinfo=tz)
    return start.astimezone(UTC)


def period_key(start: datetime, tz: tzinfo) -> str:
    return start.astimezone(tz).date().isoformat()


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A queued weekly tip and whom it goes to."""

    send_id: int
    member_id: int
    chat_id: int
    language: str
    member_active: bool
    tip: Tip


async def queue_week(sessionmaker: SessionMaker, start: datetime, tz: tzinfo) -> int:
    """Queues this week's tip for every active member subscribed before the week began.

    Each gets a published tip from their categories that they have neither opened nor been
    sent, from the category they were sent least recently; nobody is sent a repeat.
    """
    period = period_key(start, tz)
    async with sessionmaker() as session:
        member_ids = list(await session.scalars(
            select(Member.id).where(
                Member.status == Status.ACTIVE, Member.consent_at.is_not(None),
                Member.chat_id.is_not(None),
                exists().where(TipSubscription.member_id == Member.id,
                               TipSubscription.created_at <= start),
                ~exists().where(TipSend.member_id == Member.id, TipSend.period == period),
            ).order_by(Member.id)
        ))
        library = await _library(session)
    queued = 0
    for offset in range(0, len(member_ids), BATCH):
        queued += await _queue_batch(sessionmaker, member_ids[offset:offset + BATCH], library,
                                     period, start)
    return queued


async def _library(session: object) -> dict[str, list[int]]:
    """Published tip ids per category, in library order."""
    rows = await session.execute(  # type: ignore[attr-defined]
        select(Tip.category, Tip.id).where(Tip.published).order_by(Tip.id)
    )
    library: dict[str, list[int]] = defaultdict(list)
    for category, tip_id in rows:
        library[category].append(tip_id)
    return library


async def _queue_batch(
    sessionmaker: SessionMaker, member_ids: list[int], library: dict[str, list[int]],
    period: str, start: datetime,
) -> int:
    position = {code: i for i, code in enumerate(tips_categories.CODES)}
    async with sessionmaker() as session, session.begin():
        subscribed: dict[int, list[str]] = defaultdict(list)
        for member_id, category in (await session.execute(
            select(TipSubscription.member_id, TipSubscription.category).where(
                TipSubscription.member_id.in_(member_ids), TipSubscription.created_at <= start)
        )):
            subscribed[member_id].append(category)
        seen: dict[int, set[int]] = defaultdict(set)
        for member_id, tip_id in _pairs(
            await session.execute(select(TipView.member_id, TipView.tip_id)
                                  .where(TipView.member_id.in_(member_ids))),
            await session.execute(select(TipSend.member_id, TipSend.tip_id)
                                  .where(TipSend.member_id.in_(member_ids))),
        ):
            seen[member_id].add(tip_id)
        last_sent: dict[tuple[int, str], datetime] = {
            (member_id, category): when for member_id, category, when in (await session.execute(
                select(TipSend.member_id, Tip.category, func.max(TipSend.created_at))
                .join(Tip, Tip.id == TipSend.tip_id)
                .where(TipSend.member_id.in_(member_ids))
                .group_by(TipSend.member_id, Tip.category)
            ))
        }
        queued = 0
        for member_id in member_ids:
            order = sorted(subscribed[member_id], key=lambda c: (
                last_sent.get((member_id, c), datetime.min.replace(tzinfo=UTC)),
                position.get(c, len(position)),
            ))
            tip_id = next((t for c in order for t in library.get(c, ())
                           if t not in seen[member_id]), None)
            if tip_id is not None:
                session.add(TipSend(member_id=member_id, tip_id=tip_id, period=period,
                                    status="queued", created_at=start))
                queued += 1
    return queued


def _pairs(*results: Iterable[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    for result in results:
        yield from result


async def outgoing(sessionmaker: SessionMaker, period: str, limit: int = BATCH) -> list[Outgoing]:
    """The week's queued sends, oldest first."""
    async with sessionmaker() as session:
        rows = (await session.execute(
            select(TipSend.id, Member.id, Member.chat_id, Member.language, Member.status, Tip)
            .join(Member, Member.id == TipSend.member_id)
            .join(Tip, Tip.id == TipSend.tip_id)
            .where(TipSend.status == "queued", TipSend.period == period)
            .order_by(TipSend.id).limit(limit)
        )).all()
    return [Outgoing(send_id, member_id, chat_id or 0, language, status == Status.ACTIVE, tip)
            for send_id, member_id, chat_id, language, status, tip in rows]


async def finish(
    sessionmaker: SessionMaker, send_id: int, now: datetime, error: str | None = None
) -> None:
    """Marks one send sent, or failed with its reason."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(TipSend).where(TipSend.id == send_id).values(
                status="failed" if error else "sent", error=(error or None) and error[:200],
                sent_at=None if error else now,
            )
        )


async def expire_older(sessionmaker: SessionMaker, period: str) -> int:
    """Queued sends of past weeks are dropped, not sent late next to this week's tip."""
    async with sessionmaker() as session, session.begin():
        result = await session.execute(
            update(TipSend).where(TipSend.status == "queued", TipSend.period < period)
            .values(status="failed", error="expired: the week was over")
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
