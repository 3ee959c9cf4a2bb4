"""Finding a registered member by name or id, making them a facilitator, limiting their area."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from bot.db import SessionMaker
from bot.services import audit
from bot.services.audit import Action
from models import Member, Region, RegionLevel, Role, Status

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


async def make_facilitator(sessionmaker: SessionMaker, member_id: int, actor: Member) -> bool:
    """False when there was nothing to do (already staff, or gone since the search)."""
    async with sessionmaker() as session, session.begin():
        member = await session.get(Member, member_id, with_for_update=True)
        if member is None or member.status == Status.DELETED or member.role != Role.MEMBER:
            return False
        member.role = Role.FACILITATOR
        audit.record(session, Action.ROLE_CHANGED, actor=actor, subject=f"member:{member.id}",
                     details={"from": Role.MEMBER.value, "to": Role.FACILITATOR.value})
        return True


class ScopeRefused(ValueError):
    """Only facilitators can be limited, and only to a kecamatan of the region table."""


async def set_scope(sessionmaker: SessionMaker, member_id: int, kecamatan: str | None,
                    actor: Member | None) -> bool:
    """Limits a facilitator to one kecamatan (None lifts the limit); False when unchanged.

    `actor` None is the command line. Admins cannot be limited: they manage the limits.
    """
    async with sessionmaker() as session, session.begin():
        member = await session.get(Member, member_id, with_for_update=True)
        if member is None or member.status == Status.DELETED \
                or member.role != Role.FACILITATOR:
            raise ScopeRefused("not a facilitator")
        if kecamatan is not None:
            region = await session.get(Region, kecamatan)
            if region is None or region.level != RegionLevel.KECAMATAN:
                raise ScopeRefused(f"{kecamatan!r} is not a kecamatan")
        if member.scope_kecamatan == kecamatan:
            return False
        audit.record(session, Action.SCOPE_CHANGED, actor=actor, subject=f"member:{member.id}",
                     details={"from": member.scope_kecamatan, "to": kecamatan})
        member.scope_kecamatan = kecamatan
        return True


@dataclass(frozen=True, slots=True)
class Facilitator:
    id: int
    full_name: str
    scope_kecamatan: str | None
    scope_name: str | None


async def facilitators(sessionmaker: SessionMaker) -> list[Facilitator]:
    """Registered facilitators with the kecamatan they are limited to, by name."""
    area = aliased(Region)
    query = (select(Member.id, Member.full_name, Member.scope_kecamatan, area.name)
             .outerjoin(area, area.code == Member.scope_kecamatan)
             .where(Member.role == Role.FACILITATOR, Member.status != Status.DELETED,
                    Member.consent_at.is_not(None))
             .order_by(Member.full_name, Member.id))
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    return [Facilitator(i, name or "", code, area_name) for i, name, code, area_name in rows]
