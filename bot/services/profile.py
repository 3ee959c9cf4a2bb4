"""What a member sees about themselves, and each change they can make to it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db import SessionMaker
from bot.i18n import LANGUAGES
from bot.services import places
from bot.services.registration import (
    RegistrationError,
    check_name,
    ensure_desa,
    groups_by_code,
    normalize_phone,
)
from models import Member, Status


@dataclass(frozen=True, slots=True)
class Profile:
    member_id: int
    full_name: str
    desa: places.Place | None
    groups: tuple[str, ...]
    phone: str | None
    language: str
    role: str
    status: str
    consent_version: str | None
    consent_at: datetime | None
    created_at: datetime


async def load_profile(sessionmaker: SessionMaker, member_id: int) -> Profile | None:
    async with sessionmaker() as session:
        member = await session.get(Member, member_id, options=[selectinload(Member.groups)])
        if member is None or member.status == Status.DELETED:
            return None
        groups = tuple(g.code for g in sorted(member.groups, key=lambda g: (g.position, g.id)))
    desa = await places.get_place(sessionmaker, member.desa_code) if member.desa_code else None
    return Profile(member.id, member.full_name or "", desa, groups, member.phone,
                   member.language, member.role, member.status, member.consent_version,
                   member.consent_at, member.created_at)


async def _edit(
    sessionmaker: SessionMaker, member_id: int,
    apply: Callable[[AsyncSession, Member], Awaitable[None]],
) -> None:
    async with sessionmaker() as session, session.begin():
        member = await session.get(Member, member_id, options=[selectinload(Member.groups)])
        if member is None or member.status == Status.DELETED:
            raise RegistrationError(f"member {member_id} is gone")
        await apply(session, member)


async def change_name(sessionmaker: SessionMaker, member_id: int, raw: str) -> None:
    name, problem = check_name(raw)
    if name is None:
        raise RegistrationError(f"invalid name: {problem}")

    async def apply(_session: AsyncSession, member: Member) -> None:
        member.full_name = name

    await _edit(sessionmaker, member_id, apply)


async def change_desa(sessionmaker: SessionMaker, member_id: int, code: str) -> None:
    async def apply(session: AsyncSession, member: Member) -> None:
        await ensure_desa(session, code)
        member.desa_code = code

    await _edit(sessionmaker, member_id, apply)


async def change_groups(sessionmaker: SessionMaker, member_id: int, codes: tuple[str, ...]) -> None:
    async def apply(session: AsyncSession, member: Member) -> None:
        member.groups = await groups_by_code(session, codes)

    await _edit(sessionmaker, member_id, apply)


async def change_phone(sessionmaker: SessionMaker, member_id: int, raw: str | None) -> None:
    """None removes the number."""
    phone = normalize_phone(raw) if raw is not None else None
    if raw is not None and phone is None:
        raise RegistrationError("invalid phone number")

    async def apply(_session: AsyncSession, member: Member) -> None:
        member.phone = phone

    await _edit(sessionmaker, member_id, apply)


async def change_language(sessionmaker: SessionMaker, member_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise RegistrationError(f"unsupported language {language!r}")

    async def apply(_session: AsyncSession, member: Member) -> None:
        member.language = language

    await _edit(sessionmaker, member_id, apply)
