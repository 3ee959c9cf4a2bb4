"""Kecamatan and desa for pickers, and finding a place from what a villager typed.

Names repeat across kecamatan (two "Rejo Sari", two "Air Batu"…), so everything returned
carries the code and the kecamatan's name; callers always store the code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import aliased

from bot.db import SessionMaker
from models import Region, RegionLevel

DESA_LEVELS = (RegionLevel.DESA, RegionLevel.KELURAHAN)
PREFIXES = {"kecamatan", "kec", "desa", "ds", "kelurahan", "kel", "dusun", "kampung"}
NOT_ALNUM = re.compile(r"[^0-9a-z]+")
FLOOR = 0.6
"""Below this a guess is more confusing than useful."""
MARGIN = 0.05
"""Guesses this close to the best one are offered too, so the member picks."""


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    level: str
    parent_code: str | None
    parent_name: str | None = None
    """The kecamatan's name for a desa: what tells two "Rejo Sari" apart."""

    @property
    def is_desa(self) -> bool:
        return self.level in DESA_LEVELS


def _place(region: Region, parent_name: str | None = None) -> Place:
    return Place(region.code, region.name, region.level, region.parent_code, parent_name)


async def kecamatan_list(sessionmaker: SessionMaker) -> list[Place]:
    """Alphabetical: easier to scan on a small screen than the official order."""
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(Region).where(Region.level == RegionLevel.KECAMATAN).order_by(Region.name)
        )
        return [_place(r) for r in rows]


async def find_kecamatan(sessionmaker: SessionMaker, text: str) -> Place | None:
    """An operator's kecamatan: its code ("15.02.02") or its exact name in any case."""
    wanted = normalize(text)
    return next((p for p in await kecamatan_list(sessionmaker)
                 if p.code == text.strip() or normalize(p.name) == wanted), None)


async def desa_list(sessionmaker: SessionMaker, kecamatan_code: str) -> list[Place]:
    async with sessionmaker() as session:
        parent = await session.get(Region, kecamatan_code)
        if parent is None or parent.level != RegionLevel.KECAMATAN:
            return []
        rows = await session.scalars(
            select(Region)
            .where(Region.parent_code == kecamatan_code, Region.level.in_(DESA_LEVELS))
            .order_by(Region.name)
        )
        return [_place(r, parent.name) for r in rows]


async def get_place(sessionmaker: SessionMaker, code: str) -> Place | None:
    async with sessionmaker() as session:
        region = await session.get(Region, code)
        if region is None:
            return None
        parent = await session.get(Region, region.parent_code) if region.parent_code else None
        return _place(region, parent.name if parent else None)


async def search(
    sessionmaker: SessionMaker, text: str, *, desa: bool, within: str | None = None,
    limit: int = 6,
) -> list[Place]:
    """The places whose name best matches `text`, best first; [] when nothing is close.

    `desa=False` looks among kecamatan; `desa=True` among desa and kelurahan, only those of
    kecamatan `within` when it is given.
    """
    parent = aliased(Region)
    levels = DESA_LEVELS if desa else (RegionLevel.KECAMATAN,)
    query = (
        select(Region, parent.name)
        .outerjoin(parent, parent.code == Region.parent_code)
        .where(Region.level.in_(levels))
    )
    if within is not None:
        query = query.where(Region.parent_code == within)
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    scored = sorted(
        ((similarity(text, region.name), region.name, region.code, _place(region, parent_name))
         for region, parent_name in rows),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    if not scored or scored[0][0] < FLOOR:
        return []
    best = scored[0][0]
    cut = best if best == 1.0 else max(FLOOR, best - MARGIN)
    return [place for score, _, _, place in scored if score >= cut][:limit]


def normalize(text: str) -> str:
    """Lower case, no accents or punctuation, and no "desa"/"kec." in front."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = NOT_ALNUM.sub(" ", plain).split()
    while len(words) > 1 and words[0] in PREFIXES:
        words = words[1:]
    return " ".join(words)


def similarity(query: str, name: str) -> float:
    """1.0 for the same name; high for typos, prefixes, one word of it, or dropped letters.

    Dropped letters cover the way people abbreviate in chat ("Bgko" for Bangko).
    """
    q, n = normalize(query), normalize(name)
    if not q or not n:
        return 0.0
    if q == n:
        return 1.0
    qc, nc = q.replace(" ", ""), n.replace(" ", "")
    if qc == nc:
        return 0.98
    scores = [SequenceMatcher(None, qc, nc).ratio()]
    if len(qc) >= 3:
        if nc.startswith(qc):
            scores.append(0.85 + 0.1 * len(qc) / len(nc))
        if q in n.split():
            scores.append(0.85)
        if qc[0] == nc[0] and _is_subsequence(qc, nc):
            scores.append(0.7 + 0.25 * len(qc) / len(nc))
    return max(scores)


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)
