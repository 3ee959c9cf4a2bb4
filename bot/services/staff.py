"""Finding a registered member by name or id, and making them a facilitator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from bot.db import SessionMaker
from models import Member, Region, Role, Status

SEARCH_LIMIT = 8
MAX_ID = 2**31 - 1
"""Member ids are 32-bit; a longer number can only be a Telegram id."""


@dataclass(frozen=True, slots=True)
class MemberMatch:
    id: int
    external_id: str
    full_name: str
    desa_name: str | None
    kecamatan_name: str | None
    role: str
    chat_id: int | None
    language: str


async def find_members(sessionmaker: SessionMaker, text: str) -> list[MemberMatch]:
    """A number is a member id or a Telegram id; anything else is part of a name."""
    text = " ".join(text.split())
    if not text:
        return []
    desa, kecamatan = aliased(Region), aliased(Region)
    if text.isdigit():
        condition = Member.external_id == text
        if int(text) <= MAX_ID:
            condition = or_(condition, Member.id == int(text))
    else:
        condition = func.lower(Member.full_name).contains(text.lower(), autoescape=True)
    query = (
        select(Member, desa.name, kecamatan.name)
        .outerjoin(desa, desa.code == Member.desa_code)
        .outerjoin(kecamatan, kecamatan.code == desa.parent_code)
        .where(condition, Member.status != Status.DELETED, Member.consent_at.is_not(None))
        .order_by(Member.full_name, Member.id)
        .limit(SEARCH_LIMIT)
    )
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    return [MemberMatch(m.id, m.external_id, m.full_name or "", d, k, m.role, m.chat_id,
                        m.language) for m, d, k in rows]


async def get_match(sessionmaker: SessionMaker, member_id: int) -> MemberMatch | None:
    matches = await find_members(sessionmaker, str(member_id))
    return next((m for m in matches if m.id == member_id), None)


async def make_facilitator(sessionmaker: SessionMaker, member_id: int) -> bool:
    """False when there was nothing to do (already staff, or gone since the search)."""
    async with sessionmaker() as session, session.begin():
        member = await session.get(Member, member_id, with_for_update=True)
        if member is None or member.status == Status.DELETED or member.role != Role.MEMBER:
            return False
        member.role = Role.FACILITATOR
        return True
