"""Small reply helpers every screen of this journey uses (and other journeys may)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.context import BerdayaContext


async def send(
    update: Update, context: BerdayaContext, text: str, markup: Any = None
) -> Message:
    """A new message in the chat, whether the update was a message or a button tap."""
    assert update.effective_chat is not None
    return await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def edit(
    update: Update, text: str | None = None, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Change the tapped message in place; without `text`, only its buttons change.

    Buttons are changed through editMessageText with the message's own text, because PTB's
    editMessageReplyMarkup also sends the default parse_mode, a field that method does not
    have. A double tap asks for the same content twice; Telegram refuses that as "not
    modified", which is no error for us.
    """
    query = update.callback_query
    assert query is not None
    message = query.message
    if text is None and isinstance(message, Message) and message.text:
        text = message.text_html
    try:
        if text is None:
            await query.edit_message_reply_markup(markup)
        else:
            await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def answer(update: Update, text: str | None = None) -> None:
    """Stop the spinner on a tapped button (a toast when there is something to say)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text)
