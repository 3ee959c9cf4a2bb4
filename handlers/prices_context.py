"""What every price handler needs to know about the moment: the local day, the member's
kecamatan, and the catalogue."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.context import BerdayaContext
from bot.services import prices
from bot.services.prices import Catalogue


def today(context: BerdayaContext) -> date:
    """The local calendar day: a price "today" is a Merangin day, not a UTC one."""
    return context.runtime.now().astimezone(context.runtime.tz).date()


async def kecamatan(context: BerdayaContext) -> str | None:
    member = context.member
    if member is None:
        return None
    return await prices.kecamatan_of(context.runtime.sessionmaker, member.desa_code)


async def catalogue(context: BerdayaContext) -> Catalogue:
    return await prices.load_catalogue(context.runtime.sessionmaker)


def chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id
