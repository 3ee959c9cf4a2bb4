"""The people a playground visitor can be, and the demo data that makes the bot feel lived-in.

Each persona is one simulated Telegram user. The villager has never used the bot (to walk the
registration wizard); the farmer and the facilitator are stored as registration would leave them.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import handlers
from bot.db import SessionMaker
from bot.services.registration import CONSENT_VERSION
from models import Group, Member, Role, Status
from models.registration import ConsentEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Persona:
    key: str
    user_id: int
    first_name: str
    full_name: str
    title: str
    """What the picker shows (Indonesian first: the playground's visitors are mostly staff)."""
    role: Role | None = None
    """None: not registered yet."""
    desa_code: str | None = None
    groups: tuple[str, ...] = ()
    phone: str = "+6281200000000"


PERSONAS = (
    Persona(
        "villager",
        7_000_001,
        "Nur",
        "Nur Aini",
        "Warga baru · belum terdaftar",
        phone="+6281277710001",
    ),
    Persona(
        "farmer",
        7_000_002,
        "Rahmat",
        "Rahmat Hidayat",
        "Petani · anggota terdaftar",
        role=Role.MEMBER,
        desa_code="15.02.02.2004",  # Kungkai, kecamatan Bangko
        groups=("petani",),
        phone="+6281277710002",
    ),
    Persona(
        "facilitator",
        7_000_003,
        "Dewi",
        "Dewi Lestari",
        "Fasilitator · admin",
        role=Role.ADMIN,
        desa_code="15.02.02.1010",  # Pasar Bangko, where the office is
        phone="+6281277710003",
    ),
)
PERSONAS_BY_KEY = {persona.key: persona for persona in PERSONAS}


async def has_demo_data(sessionmaker: SessionMaker) -> bool:
    """The registered personas are written last, so their presence means everything loaded."""
    async with sessionmaker() as session:
        found = await session.scalar(
            select(Member.id).where(
                Member.channel == "telegram",
                Member.external_id == str(PERSONAS_BY_KEY["farmer"].user_id),
            )
        )
    return found is not None


async def load_demo_data(sessionmaker: SessionMaker, now: datetime) -> list[str]:
    """Each journey's optional `bot/playground/demo_<journey>.py`, then the personas.

    Returns the journeys whose demo data was loaded. A missing module is normal (the journey has
    none yet); an error inside one is a bug and propagates.
    """
    loaded = []
    for journey in handlers.JOURNEYS:
        name = journey.__name__.rpartition(".")[2]
        module_name = f"bot.playground.demo_{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        await module.load(sessionmaker, now)
        loaded.append(name)
        log.info("playground: loaded the %s demo data", name)
    await _add_personas(sessionmaker, now)
    return loaded


async def _add_personas(sessionmaker: SessionMaker, now: datetime) -> None:
    async with sessionmaker() as session, session.begin():
        groups = {g.code: g for g in await session.scalars(select(Group))}
        for persona in PERSONAS:
            if persona.role is None:
                continue
            member = Member(
                channel="telegram",
                external_id=str(persona.user_id),
                chat_id=persona.user_id,
                full_name=persona.full_name,
                desa_code=persona.desa_code,
                language="id",
                phone=persona.phone,
                role=persona.role,
                status=Status.ACTIVE,
                consent_version=CONSENT_VERSION,
                consent_at=now,
                created_at=now,
                groups=[groups[code] for code in persona.groups],
            )
            session.add(member)
            await session.flush()
            session.add(
                ConsentEvent(member_id=member.id, action="given", version=CONSENT_VERSION, at=now)
            )
