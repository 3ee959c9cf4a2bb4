"""The member's rights under UU PDP No. 27/2022: see everything stored, take it away, erase it.

Personal data lives in many journeys' tables. Each journey registers its share once, at import
time of its service module:

    privacy.register_personal_data("enrollments", export_enrollments, anonymize_enrollments,
                                   label=N_("Training enrollments"))

`export(session, member_id)` returns JSON-able rows (datetimes and decimals are converted);
`erase(session, member_id)` deletes or anonymizes them. Erasure runs every section and then
turns the member row into an anonymous tombstone, all in one transaction: either everything
is gone or nothing is.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db import SessionMaker
from bot.i18n import N_
from bot.services import audit
from bot.services.audit import Action
from bot.services.members import TELEGRAM
from models import ConversationState, Member, Role, Status, UserData
from models.registration import ConsentEvent, Referral

log = logging.getLogger(__name__)

Exported = dict[str, Any] | list[Any]
Exporter = Callable[[AsyncSession, int], Awaitable[Exported]]
Eraser = Callable[[AsyncSession, int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    export: Exporter
    erase: Eraser
    label: str | None
    """An N_() English label; the export message counts this section's records under it."""


_sections: dict[str, Section] = {}


def register_personal_data(
    name: str, export: Exporter, erase: Eraser, *, label: str | None = None
) -> None:
    """Registering a name again replaces it (a module may be imported twice in tests)."""
    _sections[name] = Section(name, export, erase, label)


def sections() -> list[Section]:
    return list(_sections.values())


def jsonable(value: Any) -> Any:
    """Rows as plain JSON: datetimes in ISO 8601 (UTC), decimals as strings, sets as lists."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


async def export_member(
    sessionmaker: SessionMaker, member_id: int, now: datetime
) -> dict[str, Any]:
    """Everything stored about the member: their row first, then every registered section.

    The member asks for it themselves, so they are the audit row's actor.
    """
    async with sessionmaker() as session, session.begin():
        member = await session.get(Member, member_id, options=[selectinload(Member.groups)])
        if member is None or member.status == Status.DELETED:
            return {}
        data: dict[str, Any] = {"exported_at": now, "member": await _member_data(session, member)}
        for section in sections():
            data[section.name] = await section.export(session, member_id)
        audit.record(session, Action.MEMBER_DATA_EXPORTED, actor=member,
                     subject=f"member:{member_id}", at=now)
    return jsonable(data)


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


async def erase_member(sessionmaker: SessionMaker, member_id: int, now: datetime) -> bool:
    """Erase every section, then keep only an anonymous tombstone. False if already gone.

    The member erases their own data (the audit row, kept, names them by id only).

    The tombstone keeps the id (so others' rows stay consistent), the channel and the
    registration date, for aggregate counts; the Telegram id goes too, so the person can
    register afresh later as a new member.
    """
    async with sessionmaker() as session, session.begin():
        member = await session.get(Member, member_id, options=[selectinload(Member.groups)],
                                   with_for_update=True)
        if member is None or member.status == Status.DELETED:
            return False
        audit.record(session, Action.MEMBER_ERASED, actor=member, subject=f"member:{member_id}",
                     details={"role": member.role}, at=now)
        for section in sections():
            await section.erase(session, member_id)
        await _erase_member_row(session, member, now)
    log.info("member %s erased their personal data", member_id)
    return True


async def _member_data(session: AsyncSession, member: Member) -> dict[str, Any]:
    consents = await session.scalars(
        select(ConsentEvent).where(ConsentEvent.member_id == member.id).order_by(ConsentEvent.id)
    )
    referral = await session.get(Referral, member.id)
    referred_by = None
    if referral is not None and referral.referred_by_id is not None:
        facilitator = await session.get(Member, referral.referred_by_id)
        referred_by = facilitator.full_name if facilitator else None
    return {
        "id": member.id,
        "channel": member.channel,
        "telegram_user_id": member.external_id,
        "full_name": member.full_name,
        "desa_code": member.desa_code,
        "groups": sorted(g.code for g in member.groups),
        "phone": member.phone,
        "language": member.language,
        "role": member.role,
        "status": member.status,
        "registered_at": member.created_at,
        "last_seen_at": member.last_seen_at,
        "consents": [{"action": c.action, "version": c.version, "at": c.at} for c in consents],
        "referral": None if referral is None else {
            "referred_by": referred_by, "desa_code": referral.desa_code,
            "training_id": referral.training_id, "at": referral.created_at,
        },
    }


async def _erase_member_row(session: AsyncSession, member: Member, now: datetime) -> None:
    version = member.consent_version or ""
    referral = await session.get(Referral, member.id)
    if referral is not None:
        referral.desa_code = None
        referral.training_id = None
    member.groups = []
    member.full_name = None
    member.phone = None
    member.desa_code = None
    member.chat_id = None
    member.external_id = f"deleted-{member.id}"
    member.role = Role.MEMBER
    member.status = Status.DELETED
    member.consent_version = None
    member.consent_at = None
    member.last_seen_at = None
    session.add(ConsentEvent(member_id=member.id, action="withdrawn", version=version, at=now))


def _telegram_id(member: Member) -> int | None:
    return int(member.external_id) if member.channel == TELEGRAM and \
        member.external_id.isdigit() else None


async def _export_form(session: AsyncSession, member_id: int) -> Exported:
    member = await session.get(Member, member_id)
    user_id = _telegram_id(member) if member else None
    row = await session.get(UserData, user_id) if user_id is not None else None
    return dict(row.data) if row is not None else {}


async def _erase_form(session: AsyncSession, member_id: int) -> None:
    member = await session.get(Member, member_id)
    user_id = _telegram_id(member) if member else None
    if user_id is not None:
        await session.execute(delete(UserData).where(UserData.user_id == user_id))


async def _conversations(session: AsyncSession, member_id: int) -> list[ConversationState]:
    """A conversation key is the JSON list [chat id, user id]; private chats repeat the id."""
    member = await session.get(Member, member_id)
    user_id = _telegram_id(member) if member else None
    if user_id is None:
        return []
    rows = await session.scalars(select(ConversationState))
    return [row for row in rows if user_id in json.loads(row.key)]


async def _export_conversations(session: AsyncSession, member_id: int) -> Exported:
    return [{"conversation": row.name, "step": row.state, "updated_at": row.updated_at}
            for row in await _conversations(session, member_id)]


async def _erase_conversations(session: AsyncSession, member_id: int) -> None:
    for row in await _conversations(session, member_id):
        await session.delete(row)


register_personal_data("unfinished_forms", _export_form, _erase_form,
                       label=N_("Unfinished forms"))
register_personal_data("conversations", _export_conversations, _erase_conversations)
