"""After a training: a 1–5 rating by buttons, then an optional comment in the member's words.

The comment step is a small persistent conversation, so a member who answers after a restart
is still heard. Menu taps and commands are never taken for a comment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BerdayaContext
from bot.services import trainings_attendance as attendance
from bot.services.trainings_attendance import Rated
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only
from handlers.menu import any_menu_button
from handlers.trainings_browse import ignore
from handlers.trainings_render import RATE, RATE_SKIP

KEY = "training_feedback"
COMMENT = "comment"
END = ConversationHandler.END
COMMENT_WAIT = timedelta(hours=2)
"""Text arriving later than this is not taken as a comment on the rating."""


@registered_only
async def rated(update: Update, context: BerdayaContext) -> object:
    fields = unpack(update, int, int)
    query = update.callback_query
    assert query is not None
    if fields is None or not 1 <= fields[1] <= 5:
        await ignore(update)
        return END
    training_id, stars = fields
    tr = context.tr
    member = context.member
    assert member is not None
    now = context.runtime.now()
    outcome = await attendance.rate(context.runtime.sessionmaker, training_id, member.id, stars,
                                    now)
    if outcome == Rated.NOT_ATTENDED:
        await query.answer(tr._("Only people who came to the training can rate it."),
                           show_alert=True)
        return END
    await query.answer()
    context.user_data[KEY] = {"training": training_id, "asked": now.isoformat()}
    await query.edit_message_text(
        tr._("Thank you! You gave {stars} ⭐.").format(stars=stars) + "\n\n"
        + tr._("Would you like to tell us more? Type a short comment now, or tap Skip."),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
            tr._("Skip"), callback_data=pack(RATE_SKIP))]]))
    return COMMENT


def _pending(context: BerdayaContext, now: datetime) -> int | None:
    asked = context.user_data.pop(KEY, None)
    if not asked or now - datetime.fromisoformat(asked["asked"]) > COMMENT_WAIT:
        return None
    return int(asked["training"])


async def commented(update: Update, context: BerdayaContext) -> object:
    message = update.effective_message
    member = context.member
    if message is None or member is None or message.text is None:
        return END
    tr = context.tr
    now = context.runtime.now()
    training_id = _pending(context, now)
    if training_id is None:
        await message.reply_text(tr._("Sorry, I did not understand that. Please choose from "
                                      "the menu below."))
        return END
    saved = await attendance.add_comment(context.runtime.sessionmaker, training_id, member.id,
                                         message.text, now)
    await message.reply_text(tr._("🙏 Thank you, your comment helps us make trainings better.")
                             if saved else tr._("Sorry, that comment could not be saved."))
    return END


async def not_text(update: Update, context: BerdayaContext) -> object:
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.tr._(
            "Please type your comment as text, or tap Skip."))
    return COMMENT


async def skipped(update: Update, context: BerdayaContext) -> object:
    context.user_data.pop(KEY, None)
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(context.tr._("Thank you for your rating!"))
    return END


async def cancelled(update: Update, context: BerdayaContext) -> object:
    context.user_data.pop(KEY, None)
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.tr._(
            "All right, no comment. Thank you for your rating!"))
    return END


def register(application: Application) -> None:  # type: ignore[type-arg]
    text = filters.TEXT & ~filters.COMMAND & ~any_menu_button()
    application.add_handler(ConversationHandler(
        entry_points=[CallbackQueryHandler(rated, pattern=pattern(RATE))],
        states={COMMENT: [
            MessageHandler(text, commented),
            MessageHandler(~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
                           not_text),
            CallbackQueryHandler(skipped, pattern=pattern(RATE_SKIP)),
        ]},
        fallbacks=[CommandHandler("batal", cancelled)],
        name=KEY, persistent=True, allow_reentry=True,
    ))
