"""One error handler: full context in the log, a calm apology to the member in their language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.context import BerdayaContext
from bot.i18n import pick_language
from bot.services import members
from models import Member

log = logging.getLogger("berdaya.errors")


async def on_error(update: object, context: BerdayaContext) -> None:
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update: %r", error, exc_info=error)
        return
    user = update.effective_user
    member = None
    if user is not None:
        member = await _safe_member(context, str(user.id))
    log.error(
        "update id=%s member=%s failed: %r", update.update_id,
        member.id if member else None, error, exc_info=error,
    )
    if isinstance(error, Forbidden) or user is None:
        return
    default = context.runtime.settings.program.default_language
    tr = context.runtime.translator(
        pick_language(member.language if member else None, user.language_code, default)
    )
    text = tr._("Sorry, something went wrong on our side. Please try again in a moment.")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:
        log.warning("could not apologise to update id=%s: %r", update.update_id, exc)


async def _safe_member(context: BerdayaContext, external_id: str) -> Member | None:
    """The database may be the very thing that failed; the apology must not depend on it."""
    try:
        return await members.find_member(context.runtime.sessionmaker, external_id)
    except Exception:
        return None
