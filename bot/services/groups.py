"""The programme's target groups: stable codes in the database, names in the catalogs.

Other journeys (audience filters, reports) show group names through `group_name` too, so a
member reads them in their own language everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.db import SessionMaker
from bot.i18n import N_, Translator
from models import Group

DISABILITY = "disabilitas"

GROUP_NAMES = {
    "petani": N_("Small farmer"),
    "migran": N_("Migrant worker or their family"),
    "disabilitas": N_("Person with a disability"),
    "perempuan": N_("Woman / homemaker"),
    "pemuda": N_("Young person"),
    "usaha": N_("Small business owner"),
}


@dataclass(frozen=True, slots=True)
class GroupInfo:
    code: str
    name: str
    """The stored (Indonesian) name, shown when a group has no catalog entry."""


def group_name(tr: Translator, code: str, stored: str | None = None) -> str:
    """A group added to the table later has no catalog entry yet; its stored name is shown."""
    if code in GROUP_NAMES:
        return tr._(GROUP_NAMES[code])
    return stored or code


async def list_groups(sessionmaker: SessionMaker) -> list[GroupInfo]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(Group).order_by(Group.position, Group.id))
        return [GroupInfo(g.code, g.name) for g in rows]
