"""Writing tips: the limits every tip keeps, and the facilitator's create, edit and publish.

The limits hold wherever a tip comes from (the chat, an imported file, the shipped library):
a body fits one message with room for the title and source, even under a photo when short.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from bot.services import audit, tips_categories
from bot.services.audit import Action
from bot.services.tips import library_changed
from models import Member
from models.tip import TIP_LANGUAGES, Tip, TipText

TITLE_MAX = 80
BODY_MAX = 1000
SOURCE_MAX = 200
KEY_MAX = 64


class TipProblem(ValueError):
    """Why a piece of a tip was refused; the handler words it for the facilitator."""

    def __init__(self, field: str, code: str, *, limit: int = 0, length: int = 0) -> None:
        super().__init__(f"{field}: {code} (limit {limit}, length {length})")
        self.field = field
        self.code = code
        """"empty", "too_long", "unknown_category" or "unknown_language"."""
        self.limit = limit
        self.length = length


def clean_title(text: str) -> str:
    title = " ".join(text.split())
    return _within(title, "title", TITLE_MAX)


def clean_body(text: str) -> str:
    """Keeps the writer's line breaks (steps read better on their own lines), drops the rest
    of the stray whitespace."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return _within(body, "body", BODY_MAX)


def clean_source(text: str) -> str:
    return _within(" ".join(text.split()), "source", SOURCE_MAX)


def check_category(code: str) -> str:
    if tips_categories.get(code) is None:
        raise TipProblem("category", "unknown_category")
    return code


def check_language(language: str) -> str:
    if language not in TIP_LANGUAGES:
        raise TipProblem("language", "unknown_language")
    return language


def _within(text: str, field: str, limit: int) -> str:
    if not text:
        raise TipProblem(field, "empty", limit=limit)
    if len(text) > limit:
        raise TipProblem(field, "too_long", limit=limit, length=len(text))
    return text


def slug(text: str) -> str:
    """`Petik Kopi Merah!` → `petik-kopi-merah`, for keys of tips written in the chat."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[: KEY_MAX - 8].strip("-") or "tip"


@dataclass(frozen=True, slots=True)
class Draft:
    """A new tip as the facilitator entered it (already cleaned)."""

    language: str
    category: str
    title: str
    body: str
    source: str | None = None
    photo_file_id: str | None = None


async def create_tip(
    sessionmaker: SessionMaker, draft: Draft, *, author_id: int | None, now: datetime,
    publish: bool,
) -> Tip:
    check_category(draft.category)
    check_language(draft.language)
    async with sessionmaker() as session, session.begin():
        tip = Tip(
            key=await _free_key(session, slug(draft.title)), category=draft.category,
            language=draft.language, source=draft.source, photo_file_id=draft.photo_file_id,
            published=publish, published_at=now if publish else None, author_id=author_id,
            created_at=now, updated_at=now,
            texts=[TipText(language=draft.language, title=draft.title, body=draft.body)],
        )
        session.add(tip)
        await session.flush()
        await audit.record_by(session, Action.TIP_CREATED, author_id, subject=f"tip:{tip.id}",
                              details={"category": tip.category, "language": tip.language,
                                       "published": publish}, at=now)
    library_changed()
    return tip


async def _free_key(session: AsyncSession, base: str) -> str:
    taken = set(await session.scalars(select(Tip.key).where(Tip.key.like(f"{base}%"))))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


async def update_text(
    sessionmaker: SessionMaker, tip_id: int, language: str, now: datetime, *,
    title: str | None = None, body: str | None = None, actor: Member | None = None,
) -> Tip:
    """Changes one language version; a new version needs both title and body.

    `actor` None is the command line (or a test); the chat passes the facilitator.
    """
    check_language(language)
    async with sessionmaker() as session, session.begin():
        tip = await _tip(session, tip_id)
        text = next((t for t in tip.texts if t.language == language), None)
        if text is None:
            if title is None or body is None:
                raise TipProblem("title" if title is None else "body", "empty")
            tip.texts.append(TipText(language=language, title=title, body=body))
        else:
            text.title = title if title is not None else text.title
            text.body = body if body is not None else text.body
        tip.updated_at = now
        changed = [name for name, value in (("title", title), ("body", body)) if value is not None]
        audit.record(session, Action.TIP_SAVED, actor=actor, subject=f"tip:{tip.id}",
                     details={"fields": changed, "language": language}, at=now)
    library_changed()
    return tip


async def update_tip(
    sessionmaker: SessionMaker, tip_id: int, now: datetime, *, actor: Member | None = None,
    **changes: str | None,
) -> Tip:
    """Category, source or photo (None removes the source or photo)."""
    allowed = {"category", "source", "photo_file_id"}
    if not changes.keys() <= allowed:
        raise TypeError(f"cannot change {sorted(changes.keys() - allowed)}")
    if "category" in changes:
        check_category(changes["category"] or "")
    async with sessionmaker() as session, session.begin():
        tip = await _tip(session, tip_id)
        for name, value in changes.items():
            setattr(tip, name, value)
        tip.updated_at = now
        audit.record(session, Action.TIP_SAVED, actor=actor, subject=f"tip:{tip.id}",
                     details={"fields": sorted(changes)}, at=now)
    library_changed()
    return tip


async def set_published(
    sessionmaker: SessionMaker, tip_id: int, published: bool, now: datetime, *,
    actor: Member | None = None,
) -> Tip:
    """Unpublishing hides a tip from lists, search and the weekly tip; nothing is deleted."""
    async with sessionmaker() as session, session.begin():
        tip = await _tip(session, tip_id)
        if tip.published != published:
            tip.published = published
            tip.published_at = now if published else tip.published_at
            tip.updated_at = now
            audit.record(session, Action.TIP_PUBLISHED if published else Action.TIP_UNPUBLISHED,
                         actor=actor, subject=f"tip:{tip.id}", at=now)
    library_changed()
    return tip


async def _tip(session: AsyncSession, tip_id: int) -> Tip:
    tip = await session.get(Tip, tip_id)
    if tip is None:
        raise LookupError(tip_id)
    return tip
