"""Who may do what: checks shared by every journey, answered politely in the member's language."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BerdayaContext

log = logging.getLogger("berdaya.guards")

Handler = Callable[[Update, BerdayaContext], Coroutine[Any, Any, Any]]


async def tell(update: Update, text: str) -> None:
    """Answer a button tap as a toast, anything else as a message."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


def staff_only(callback: Handler) -> Handler:
    """Facilitators and admins only; others are told so and nothing else happens."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BerdayaContext) -> Any:
        member = context.member
        if member is None or not member.is_staff or not member.is_registered:
            tr = context.tr
            await tell(update, tr._("Sorry, this is only for programme facilitators."))
            return ConversationHandler.END
        return await callback(update, context)

    return guarded


def admin_only(callback: Handler) -> Handler:
    @functools.wraps(callback)
    async def guarded(update: Update, context: BerdayaContext) -> Any:
        member = context.member
        if member is None or member.role != "admin" or not member.is_registered:
            await tell(update, context.tr._("Sorry, this is only for programme admins."))
            return ConversationHandler.END
        return await callback(update, context)

    return guarded


def registered_only(callback: Handler) -> Handler:
    """Most journeys need a registered member (their desa, their language, their consent)."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BerdayaContext) -> Any:
        member = context.member
        if member is None or not member.is_registered:
            await tell(update, context.tr._(
                "Please register first: send /daftar. It takes about a minute."))
            return ConversationHandler.END
        return await callback(update, context)

    return guarded
