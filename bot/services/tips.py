"""Tips for members: browse, open, rate, search, subscribe; per-tip figures for facilitators.

Every public function opens one short session. Titles and bodies come back in the member's
language when the tip has it, else in the language it was written in.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from bot.db import SessionMaker
from bot.i18n import LANGUAGES
from bot.i18n.catalog import translations
from bot.services import tips_categories
from bot.services.tips_search import Document, SearchIndex
from models.tip import Tip, TipSend, TipSubscription, TipView

LIKE, DISLIKE = 1, -1


@dataclass(frozen=True, slots=True)
class TipSummary:
    """A line in a list of tips."""

    id: int
    category: str
    title: str
    published: bool


@dataclass(frozen=True, slots=True)
class Opened:
    """A tip as one member sees it: their rating drawn on the 👍/👎 buttons."""

    tip: Tip
    rating: int | None


@dataclass(frozen=True, slots=True)
class Neighbour:
    tip: Tip
    wrapped: bool
    """True when the list started again from its first tip."""


@dataclass(frozen=True, slots=True)
class TipStats:
    """What facilitators see per tip (issue 9 shows these in its statistics)."""

    tip_id: int
    key: str
    category: str
    title: str
    published: bool
    readers: int
    """Members who opened it at least once."""
    opens: int
    likes: int
    dislikes: int
    weekly_sends: int


def _summary(tip: Tip, language: str) -> TipSummary:
    return TipSummary(tip.id, tip.category, tip.text(language).title, tip.published)


async def category_counts(sessionmaker: SessionMaker) -> dict[str, int]:
    """Published tips per category code (categories without tips are absent)."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Tip.category, func.count()).where(Tip.published).group_by(Tip.category)
        )
        return {code: count for code, count in rows}


async def list_tips(
    sessionmaker: SessionMaker, category: str, language: str, *, drafts: bool = False
) -> list[TipSummary]:
    """A category's tips in library order; `drafts` adds unpublished ones (for facilitators)."""
    async with sessionmaker() as session:
        query = select(Tip).where(Tip.category == category).order_by(Tip.id)
        if not drafts:
            query = query.where(Tip.published)
        return [_summary(tip, language) for tip in await session.scalars(query)]


async def get_tip(sessionmaker: SessionMaker, tip_id: int) -> Tip | None:
    async with sessionmaker() as session:
        return await session.get(Tip, tip_id)


async def open_tip(
    sessionmaker: SessionMaker, member_id: int, tip_id: int, now: datetime, *,
    staff: bool = False,
) -> Opened | None:
    """Counts the view; None for a tip that is gone or unpublished (unless staff look)."""
    async with sessionmaker() as session, session.begin():
        tip = await session.get(Tip, tip_id)
        if tip is None or not (tip.published or staff):
            return None
        view = await session.get(TipView, (member_id, tip_id))
        if view is None:
            view = TipView(member_id=member_id, tip_id=tip_id, opens=0, first_opened_at=now)
            session.add(view)
        view.opens += 1
        view.last_opened_at = now
        return Opened(tip, view.rating)


async def neighbour(sessionmaker: SessionMaker, tip_id: int) -> Neighbour | None:
    """The published tip after this one in its category, going round; None if it is alone."""
    async with sessionmaker() as session:
        current = await session.get(Tip, tip_id)
        if current is None:
            return None
        ids = list(await session.scalars(
            select(Tip.id).where(Tip.category == current.category, Tip.published)
            .order_by(Tip.id)
        ))
        later = [i for i in ids if i > tip_id]
        following = later[0] if later else (ids[0] if ids else None)
        if following is None or following == tip_id:
            return None
        tip = await session.get(Tip, following)
        assert tip is not None
        return Neighbour(tip, wrapped=not later)


async def rate(
    sessionmaker: SessionMaker, member_id: int, tip_id: int, value: int, now: datetime
) -> int | None:
    """👍 or 👎; the same tap again takes it back. Returns the member's rating now."""
    if value not in (LIKE, DISLIKE):
        raise ValueError(f"rating must be {LIKE} or {DISLIKE}")
    async with sessionmaker() as session, session.begin():
        if await session.get(Tip, tip_id) is None:
            raise LookupError(tip_id)
        view = await session.get(TipView, (member_id, tip_id))
        if view is None:
            view = TipView(member_id=member_id, tip_id=tip_id, opens=0)
            session.add(view)
        view.rating = None if view.rating == value else value
        view.rated_at = now
        return view.rating


async def search(
    sessionmaker: SessionMaker, query: str, language: str, limit: int = 10
) -> list[TipSummary]:
    """Published tips matching `query`, best first (see `tips_search`)."""
    index = await _index(sessionmaker)
    ids = index.search(query, limit=limit)
    if not ids:
        return []
    async with sessionmaker() as session:
        tips = {t.id: t for t in await session.scalars(select(Tip).where(Tip.id.in_(ids)))}
    return [_summary(tips[i], language) for i in ids if i in tips]


_indexes: weakref.WeakKeyDictionary[SessionMaker, tuple[Any, SearchIndex]] = (
    weakref.WeakKeyDictionary()
)
_generation = 0


def library_changed() -> None:
    """Called by every write in this process; the table's own figures catch other processes
    (a `berdaya tips import` while the bot runs)."""
    global _generation
    _generation += 1


async def _index(sessionmaker: SessionMaker) -> SearchIndex:
    """Rebuilt only when the library changed."""
    async with sessionmaker() as session:
        version = (_generation, *(await session.execute(
            select(func.count(), func.max(Tip.updated_at)).where(Tip.published)
        )).one())
        cached = _indexes.get(sessionmaker)
        if cached is not None and cached[0] == version:
            return cached[1]
        tips = await session.scalars(select(Tip).where(Tip.published).order_by(Tip.id))
        index = SearchIndex(_document(tip) for tip in tips)
    _indexes[sessionmaker] = (version, index)
    return index


def _document(tip: Tip) -> Document:
    """The topic's names (both languages) count as title words, so "sawit" lists the whole
    topic; the source is searchable as body ("OJK" finds the tips OJK is behind)."""
    category = tips_categories.get(tip.category)
    names = []
    if category is not None:
        for language in LANGUAGES:
            names += [translations(language).gettext(n) for n in (category.name, category.short)]
    return Document(
        tip.id,
        " ".join([*(t.title for t in tip.texts), *names]),
        " ".join([*(t.body for t in tip.texts), tip.source or ""]),
    )


async def subscriptions(sessionmaker: SessionMaker, member_id: int) -> set[str]:
    async with sessionmaker() as session:
        return set(await session.scalars(
            select(TipSubscription.category).where(TipSubscription.member_id == member_id)
        ))


async def toggle_subscription(
    sessionmaker: SessionMaker, member_id: int, category: str, now: datetime
) -> bool:
    """Subscribes or unsubscribes; returns whether the member is now subscribed."""
    if tips_categories.get(category) is None:
        raise LookupError(category)
    async with sessionmaker() as session, session.begin():
        row = await session.get(TipSubscription, (member_id, category))
        if row is not None:
            await session.delete(row)
            return False
        session.add(TipSubscription(member_id=member_id, category=category, created_at=now))
        return True


async def tip_stats(
    sessionmaker: SessionMaker, language: str = "id", *, tip_ids: list[int] | None = None
) -> list[TipStats]:
    """Readers, opens, 👍, 👎 and weekly sends per tip, most read first."""
    views = (
        select(
            TipView.tip_id,
            func.sum(case((TipView.opens > 0, 1), else_=0)).label("readers"),
            func.coalesce(func.sum(TipView.opens), 0).label("opens"),
            func.sum(case((TipView.rating == LIKE, 1), else_=0)).label("likes"),
            func.sum(case((TipView.rating == DISLIKE, 1), else_=0)).label("dislikes"),
        ).group_by(TipView.tip_id).subquery()
    )
    sends = (
        select(TipSend.tip_id, func.count().label("sent"))
        .where(TipSend.status == "sent").group_by(TipSend.tip_id).subquery()
    )
    query = (
        select(Tip, views.c.readers, views.c.opens, views.c.likes, views.c.dislikes, sends.c.sent)
        .outerjoin(views, views.c.tip_id == Tip.id)
        .outerjoin(sends, sends.c.tip_id == Tip.id)
        .options(selectinload(Tip.texts))
    )
    if tip_ids is not None:
        query = query.where(Tip.id.in_(tip_ids))
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    stats = [
        TipStats(tip.id, tip.key, tip.category, tip.text(language).title, tip.published,
                 int(readers or 0), int(opens or 0), int(likes or 0), int(dislikes or 0),
                 int(sent or 0))
        for tip, readers, opens, likes, dislikes, sent in rows
    ]
    stats.sort(key=lambda s: (-s.readers, -s.likes, s.tip_id))
    return stats


async def tip_stat(sessionmaker: SessionMaker, tip_id: int, language: str = "id") -> TipStats:
    found = await tip_stats(sessionmaker, language, tip_ids=[tip_id])
    if not found:
        raise LookupError(tip_id)
    return found[0]
