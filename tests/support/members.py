"""Test data: members as registration leaves them, without walking the wizard every time."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import SessionMaker
from models import Group, Member, Role, Status, utcnow

BANGKO_DESA = "15.02.02.1010"  # Pasar Bangko, a kelurahan in kecamatan Bangko
CONSENT_VERSION = "2026-11"


async def make_member(
    sessionmaker: SessionMaker,
    telegram_id: int,
    full_name: str = "Siti Aminah",
    *,
    desa_code: str | None = BANGKO_DESA,
    role: Role = Role.MEMBER,
    language: str = "id",
    groups: tuple[str, ...] = (),
    status: Status = Status.ACTIVE,
    phone: str | None = None,
) -> Member:
    """A registered (consented) member; the database must hold the regions for `desa_code`."""
    async with sessionmaker() as session, session.begin():
        member = Member(
            channel="telegram", external_id=str(telegram_id), chat_id=telegram_id,
            full_name=full_name, desa_code=desa_code, role=role, language=language,
            status=status, phone=phone, consent_version=CONSENT_VERSION, consent_at=utcnow(),
        )
        if groups:
            member.groups = list(
                (await session.scalars(select(Group).where(Group.code.in_(groups)))).all()
            )
        session.add(member)
    return member
