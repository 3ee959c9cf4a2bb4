"""Registration rules: what a valid name and phone are, and storing a new member in one go.

The chat collects answers step by step; nothing is written until the member confirms the
summary, so someone who stops halfway leaves no trace beyond their unfinished form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db import SessionMaker
from bot.services.members import TELEGRAM
from models import Group, Member, Region, RegionLevel, Role, Status
from models.registration import ConsentEvent, Referral

CONSENT_VERSION = "2026-11"
"""Bump when the consent text changes; each consent row keeps the version it was given under."""

NAME_MIN, NAME_MAX = 2, 64
NAME_PUNCTUATION = frozenset(" '’ʼ`.-‐")
LINK = re.compile(r"(://|www\.|t\.me/|@\w|\b[\w-]+\.(com|id|net|org|co|me|io|ly|info|xyz)\b)",
                  re.IGNORECASE)
PHONE_SEPARATORS = re.compile(r"[\s\-().]")
LEVELS_TO_LIVE_IN = (RegionLevel.DESA, RegionLevel.KELURAHAN)


class NameProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    DIGITS = "digits"
    LINK = "link"
    SYMBOLS = "symbols"


class RegistrationError(ValueError):
    """A rule was broken; the chat layer checked first, so this means a bug or a race."""


def check_name(raw: str) -> tuple[str | None, NameProblem | None]:
    """(the cleaned name, None) or (None, why not): trimmed, inner spaces collapsed.

    Letters of any script count (names here may be Malay, Javanese or Arabic-derived);
    apostrophes, dots and hyphens are allowed because real names use them (Nur'aini, H. Ali).
    """
    name = " ".join(raw.split())
    if LINK.search(name):
        return None, NameProblem.LINK
    if any(c.isdigit() for c in name):
        return None, NameProblem.DIGITS
    if len(name) > NAME_MAX:
        return None, NameProblem.TOO_LONG
    if any(not (c.isalpha() or c in NAME_PUNCTUATION or unicodedata.category(c).startswith("M"))
           for c in name):
        return None, NameProblem.SYMBOLS
    letters = sum(c.isalpha() for c in name)
    if letters == 0:
        return None, NameProblem.SYMBOLS
    if letters < NAME_MIN:
        return None, NameProblem.TOO_SHORT
    return name, None


def normalize_phone(raw: str) -> str | None:
    """`+62…` for Indonesian numbers in any usual spelling; other countries keep their code.

    Telegram hands contacts over without the plus sign ("6281…"); villagers type "0812-…".
    Migrant workers may share a Malaysian or Saudi number, which is kept as `+60…`, `+966…`.
    """
    text = raw.strip()
    plus = text.startswith("+")
    digits = PHONE_SEPARATORS.sub("", text.removeprefix("+"))
    if not digits.isdigit():
        return None
    if plus:
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif digits.startswith("0"):
        international = "62" + digits[1:]
    elif digits.startswith("8"):
        international = "62" + digits
    else:
        international = digits
    if international.startswith("62"):
        national = international[2:]
        if not 8 <= len(national) <= 12 or national.startswith("0"):
            return None
    elif not 8 <= len(international) <= 15 or international.startswith("0"):
        return None
    return "+" + international


@dataclass(frozen=True, slots=True)
class RegistrationForm:
    """Everything the wizard collected; `referred_by` is the facilitator's Telegram id."""

    external_id: str
    chat_id: int | None
    full_name: str
    desa_code: str
    language: str
    consent_at: datetime
    groups: tuple[str, ...] = ()
    phone: str | None = None
    referred_by: str | None = None
    link_desa: str | None = None
    training_id: int | None = None
    channel: str = TELEGRAM
    consent_version: str = field(default=CONSENT_VERSION)


async def register_member(sessionmaker: SessionMaker, form: RegistrationForm) -> Member:
    """Create the member (or complete a row an admin made in advance) in one transaction."""
    name, problem = check_name(form.full_name)
    if name is None:
        raise RegistrationError(f"invalid name: {problem}")
    phone = normalize_phone(form.phone) if form.phone else None
    if form.phone and phone is None:
        raise RegistrationError("invalid phone number")
    async with sessionmaker() as session, session.begin():
        await ensure_desa(session, form.desa_code)
        groups = await groups_by_code(session, form.groups)
        member = await session.scalar(
            select(Member).options(selectinload(Member.groups))
            .where(Member.channel == form.channel, Member.external_id == form.external_id)
        )
        if member is None:
            member = Member(channel=form.channel, external_id=form.external_id, role=Role.MEMBER,
                            created_at=form.consent_at)
            session.add(member)
        member.chat_id = form.chat_id
        member.full_name = name
        member.desa_code = form.desa_code
        member.language = form.language
        member.phone = phone
        member.groups = groups
        member.status = Status.ACTIVE
        member.consent_version = form.consent_version
        member.consent_at = form.consent_at
        await session.flush()
        session.add(ConsentEvent(member_id=member.id, action="given",
                                 version=form.consent_version, at=form.consent_at))
        await _record_referral(session, member, form)
    return member


async def ensure_desa(session: AsyncSession, code: str) -> None:
    region = await session.get(Region, code)
    if region is None or region.level not in LEVELS_TO_LIVE_IN:
        raise RegistrationError(f"{code!r} is not a desa or kelurahan")


async def groups_by_code(session: AsyncSession, codes: tuple[str, ...]) -> list[Group]:
    groups = list((await session.scalars(select(Group).where(Group.code.in_(codes)))).all())
    if len(groups) != len(set(codes)):
        raise RegistrationError(f"unknown group in {codes!r}")
    return groups


async def _record_referral(session: AsyncSession, member: Member, form: RegistrationForm) -> None:
    """Only a staff member can be credited; a forged or stale `by` is silently dropped."""
    by = None
    if form.referred_by is not None and form.referred_by != form.external_id:
        by = await session.scalar(select(Member).where(
            Member.channel == form.channel, Member.external_id == form.referred_by,
            Member.role.in_([Role.FACILITATOR, Role.ADMIN]), Member.status != Status.DELETED,
        ))
    region = await session.get(Region, form.link_desa) if form.link_desa else None
    link_desa = region.code if region is not None and region.level in LEVELS_TO_LIVE_IN else None
    if by is None and link_desa is None and form.training_id is None:
        return
    if await session.get(Referral, member.id) is not None:
        return
    session.add(Referral(member_id=member.id, referred_by_id=by.id if by else None,
                         desa_code=link_desa, training_id=form.training_id,
                         created_at=form.consent_at))
