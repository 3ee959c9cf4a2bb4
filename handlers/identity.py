"""Runs before every journey: who is writing, and in which language to answer them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.context import BerdayaContext
from bot.services import members
from bot.updates import note_member

GROUP = -100


async def identify(update: Update, context: BerdayaContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    sessionmaker = context.runtime.sessionmaker
    member = await members.find_member(sessionmaker, str(user.id))
    context.member = member
    context.use_language(member.language if member else None, user.language_code)
    if member is not None:
        note_member(member.id)
        await members.mark_seen(sessionmaker, member)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, identify), group=GROUP)
