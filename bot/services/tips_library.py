"""The library in the database: import (all or nothing), export, and the shipped tips.

Tips are matched by their `id` (the Tip.key), so importing the same file twice changes nothing
and an edited file updates the tips in place, keeping their views and likes. Import adds and
updates; it never deletes a tip or a language version (unpublish with `published: no`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services import tips_categories
from bot.services.tips import library_changed
from bot.services.tips_formats import TipRecord, parse_markdown_texts
from models.tip import Tip, TipText


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


@cache
def shipped_records() -> tuple[TipRecord, ...]:
    """The tips that come with Berdaya (bot/data/tips/*.md), checked like any import."""
    folder = resources.files("bot").joinpath("data/tips")
    files = sorted(
        (entry.name, entry.read_text("utf-8")) for entry in folder.iterdir()
        if entry.name.endswith(".md") and not entry.name.upper().startswith("README")
    )
    return tuple(parse_markdown_texts(files))


async def import_records(
    sessionmaker: SessionMaker, records: list[TipRecord], now: datetime
) -> ImportResult:
    added = updated = unchanged = 0
    async with sessionmaker() as session, session.begin():
        existing = {tip.key: tip for tip in await session.scalars(
            select(Tip).where(Tip.key.in_([r.key for r in records]))
        )}
        for record in records:
            tip = existing.get(record.key)
            if tip is None:
                session.add(_new_tip(record, now))
                added += 1
            elif _apply(tip, record, now):
                updated += 1
            else:
                unchanged += 1
    library_changed()
    return ImportResult(added, updated, unchanged)


def _new_tip(record: TipRecord, now: datetime) -> Tip:
    return Tip(
        key=record.key, category=record.category, language=record.language,
        source=record.source, photo_file_id=record.photo_file_id, published=record.published,
        published_at=now if record.published else None, created_at=now, updated_at=now,
        texts=[TipText(language=lang, title=title, body=body)
               for lang, (title, body) in record.texts.items()],
    )


def _apply(tip: Tip, record: TipRecord, now: datetime) -> bool:
    """Copies what differs; True when anything did."""
    changed = False
    for name, value in (("category", record.category), ("source", record.source),
                        ("photo_file_id", record.photo_file_id),
                        ("published", record.published)):
        if getattr(tip, name) != value:
            setattr(tip, name, value)
            changed = True
    if record.published and tip.published_at is None:
        tip.published_at = now
    texts = {t.language: t for t in tip.texts}
    for language, (title, body) in record.texts.items():
        text = texts.get(language)
        if text is None:
            tip.texts.append(TipText(language=language, title=title, body=body))
            changed = True
        elif (text.title, text.body) != (title, body):
            text.title, text.body = title, body
            changed = True
    if changed:
        tip.updated_at = now
    return changed


async def export_records(sessionmaker: SessionMaker) -> list[TipRecord]:
    """Every tip, drafts included, in the order members see the categories."""
    order = {code: i for i, code in enumerate(tips_categories.CODES)}
    async with sessionmaker() as session:
        tips = list(await session.scalars(select(Tip).order_by(Tip.id)))
    tips.sort(key=lambda t: (order.get(t.category, len(order)), t.id))
    return [
        TipRecord(tip.key, tip.category, {t.language: (t.title, t.body) for t in tip.texts},
                  tip.source, tip.published, tip.photo_file_id)
        for tip in tips
    ]


async def tip_count(sessionmaker: SessionMaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Tip)) or 0)


async def seed_shipped(sessionmaker: SessionMaker, now: datetime) -> int:
    """Loads the shipped library into a library that never had a tip; returns tips added.

    Tips are never deleted (only unpublished), so an empty table means a new installation and
    a facilitator's edits are never overwritten by a restart.
    """
    if await tip_count(sessionmaker):
        return 0
    result = await import_records(sessionmaker, list(shipped_records()), now)
    return result.added
