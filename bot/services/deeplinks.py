"""`/start <payload>` links on posters: a desa, a training and the facilitator who put it up.

Telegram allows 64 characters of `A-Za-z0-9_-` after `?start=`; the payload is base64url of
`1|desa|training|facilitator` (the leading 1 is the format version). Whatever arrives is
untrusted: anything that does not decode cleanly is treated as a plain /start.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from sqlalchemy import select

from bot.db import SessionMaker
from bot.services.members import TELEGRAM
from models import Base, Member, Region, RegionLevel, Role, Status

MAX_LENGTH = 64
VERSION = "1"
SAFE = re.compile(r"[A-Za-z0-9_-]{1,64}")
DESA = re.compile(r"[0-9A-Za-z.]{1,20}")
NUMBER = re.compile(r"[1-9][0-9]{0,14}")


@dataclass(frozen=True, slots=True)
class LinkPayload:
    desa_code: str | None = None
    training_id: int | None = None
    by: int | None = None
    """The facilitator's Telegram user id."""

    @property
    def empty(self) -> bool:
        return self.desa_code is None and self.training_id is None and self.by is None


def encode(payload: LinkPayload) -> str:
    if payload.desa_code is not None and not DESA.fullmatch(payload.desa_code):
        raise ValueError(f"desa code {payload.desa_code!r} cannot go in a link")
    for number in (payload.training_id, payload.by):
        if number is not None and not NUMBER.fullmatch(str(number)):
            raise ValueError(f"{number!r} must be a positive number")
    fields = [VERSION, payload.desa_code or "", *(str(n or "") for n in
                                                    (payload.training_id, payload.by))]
    text = base64.urlsafe_b64encode("|".join(fields).encode()).decode().rstrip("=")
    if len(text) > MAX_LENGTH:
        raise ValueError("the link would be longer than Telegram's 64 characters")
    return text


def decode(text: str) -> LinkPayload | None:
    """The payload, or None for anything malformed, tampered with or from a newer format."""
    if not SAFE.fullmatch(text):
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    fields = raw.split("|")
    if len(fields) != 4 or fields[0] != VERSION:
        return None
    desa, training, by = fields[1:]
    if (desa and not DESA.fullmatch(desa)) or any(
        value and not NUMBER.fullmatch(value) for value in (training, by)
    ):
        return None
    payload = LinkPayload(desa or None, int(training) if training else None,
                          int(by) if by else None)
    return None if payload.empty else payload


def start_link(bot_username: str, payload: LinkPayload) -> str:
    return f"https://t.me/{bot_username.removeprefix('@')}?start={encode(payload)}"


async def check_targets(sessionmaker: SessionMaker, payload: LinkPayload) -> list[str]:
    """What is wrong with a poster's link before it is printed (empty when all is well).

    The trainings table belongs to another journey; it is looked up by name so this check
    works whether or not that journey is installed.
    """
    problems: list[str] = []
    async with sessionmaker() as session:
        if payload.desa_code is not None:
            region = await session.get(Region, payload.desa_code)
            if region is None or region.level not in (RegionLevel.DESA, RegionLevel.KELURAHAN):
                problems.append(f"{payload.desa_code} is not a desa or kelurahan in the region "
                                "table (berdaya db seed loads it)")
        if payload.by is not None:
            staff = await session.scalar(select(Member).where(
                Member.channel == TELEGRAM, Member.external_id == str(payload.by),
                Member.role.in_([Role.FACILITATOR, Role.ADMIN]), Member.status != Status.DELETED))
            if staff is None:
                problems.append(f"{payload.by} is not a facilitator (berdaya admin add "
                                f"{payload.by} --role facilitator)")
        trainings = Base.metadata.tables.get("trainings")
        if payload.training_id is not None and trainings is not None and await session.scalar(
            select(trainings.c.id).where(trainings.c.id == payload.training_id)
        ) is None:
            problems.append(f"there is no training {payload.training_id}")
    return problems
