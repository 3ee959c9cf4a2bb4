"""What the composer's steps share: the form kept in user_data, the step names, and small
helpers to ask the facilitator something."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update

from bot.context import BerdayaContext
from bot.services.broadcasts_format import typed_html

CONTENT, BUTTON, LINK_URL, LINK_LABEL, TRAINING, AUDIENCE, WHEN, TIME, PREVIEW = (
    "content", "button", "link_url", "link_label", "training", "audience", "when", "time",
    "preview")
FORM = "broadcast_form"
FORMATTING = {
    MessageEntity.BOLD, MessageEntity.ITALIC, MessageEntity.UNDERLINE,
    MessageEntity.STRIKETHROUGH, MessageEntity.SPOILER, MessageEntity.CODE, MessageEntity.PRE,
    MessageEntity.TEXT_LINK, MessageEntity.BLOCKQUOTE, MessageEntity.EXPANDABLE_BLOCKQUOTE,
}


def form_of(context: BerdayaContext) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data.setdefault(FORM, {})


def chat(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


async def say(update: Update, context: BerdayaContext, text: str,
               keyboard: InlineKeyboardMarkup | None = None) -> None:
    await context.bot.send_message(chat(update), text, reply_markup=keyboard)


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in rows])


async def answer(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


def message_html(message: Message) -> str:
    """Telegram's own formatting if the facilitator used it, else the tags they typed."""
    entities = message.entities or message.caption_entities
    raw = message.text or message.caption or ""
    if any(entity.type in FORMATTING for entity in entities):
        return (message.text_html if message.text is not None else message.caption_html) or ""
    return typed_html(raw)


async def tap_please(update: Update, context: BerdayaContext) -> None:
    """Typing where a button is expected: say so, and stay at this step."""
    await say(update, context, context.tr._("Please tap one of the buttons above."))


async def type_please(update: Update, context: BerdayaContext) -> None:
    """A sticker, photo or voice note where words are expected: say so, stay at this step."""
    await say(update, context, context.tr._("Please type it as a text message."))
