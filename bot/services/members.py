"""Member lookup and roles; every function opens one short session of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from bot.db import SessionMaker
from bot.services import audit
from bot.services.audit import Action
from models import Member, Role, Status, utcnow

TELEGRAM = "telegram"
SEEN_RESOLUTION = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class StaffEntry:
    external_id: str
    full_name: str | None
    role: str
    chat_id: int | None
    language: str
    scope_kecamatan: str | None = None


async def find_member(
    sessionmaker: SessionMaker, external_id: str, channel: str = TELEGRAM
) -> Member | None:
    async with sessionmaker() as session:
        return await session.scalar(
            select(Member).where(Member.channel == channel, Member.external_id == external_id)
        )


async def mark_seen(sessionmaker: SessionMaker, member: Member) -> None:
    """Keep `last_seen_at` roughly current without writing on every single update."""
    now = utcnow()
    if member.last_seen_at is not None and now - member.last_seen_at < SEEN_RESOLUTION:
        return
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Member).where(Member.id == member.id).values(last_seen_at=now))
    member.last_seen_at = now


async def set_role(
    sessionmaker: SessionMaker, external_id: str, role: Role, channel: str = TELEGRAM
) -> Member:
    """Give someone a role, even before they first open the bot (they register later).

    Only the command line and the config's admin list call this, so the audit row has no actor;
    a role that does not change (every start-up re-applies the admin list) writes no row.
    """
    async with sessionmaker() as session, session.begin():
        member = await session.scalar(
            select(Member).where(Member.channel == channel, Member.external_id == external_id)
        )
        before = member.role if member is not None else None
        if member is None:
            member = Member(channel=channel, external_id=external_id, role=role,
                            status=Status.ACTIVE)
            if channel == TELEGRAM:
                member.chat_id = int(external_id)
            session.add(member)
        else:
            member.role = role
        if before != role:
            await session.flush()
            audit.record(session, Action.ROLE_CHANGED, actor=None, subject=f"member:{member.id}",
                         details={"from": before, "to": role.value})
    return member


async def ensure_admins(sessionmaker: SessionMaker, telegram_ids: list[int]) -> None:
    """Admins named in the config are admins from the start, whatever the table says."""
    for telegram_id in telegram_ids:
        await set_role(sessionmaker, str(telegram_id), Role.ADMIN)


async def list_staff(sessionmaker: SessionMaker) -> list[StaffEntry]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(Member)
            .where(Member.role.in_([Role.FACILITATOR, Role.ADMIN]),
                   Member.status != Status.DELETED)
            .order_by(Member.role, Member.id)
        )
        return [StaffEntry(m.external_id, m.full_name, m.role, m.chat_id, m.language,
                           m.scope_kecamatan) for m in rows]


async def get_member(sessionmaker: SessionMaker, member_id: int) -> Member | None:
    async with sessionmaker() as session:
        return await session.get(Member, member_id)


async def set_status(sessionmaker: SessionMaker, member_id: int, status: Status) -> bool:
    """Blocked on a 403, active again on /start or unblock, stopped on request.

    An erased member stays erased whatever arrives later. True when the status changed.
    """
    async with sessionmaker() as session, session.begin():
        result = await session.execute(
            update(Member)
            .where(Member.id == member_id, Member.status != Status.DELETED,
                   Member.status != status)
            .values(status=status)
        )
        return bool(getattr(result, "rowcount", 0))
