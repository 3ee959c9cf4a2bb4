"""A broadcast as a Telegram message: the same code renders the preview and every copy.

The only per-member part is the "I'm in" button label, in the member's language; it opens the
trainings journey's own enrollment question (with its check that the training did not change).
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode

from bot.i18n import N_, Translator
from bot.services.broadcasts_outbox import Content
from handlers.callbacks import pack
from handlers.trainings_render import ENROLL
from models.broadcast import ButtonKind, MediaKind

JOIN_LABEL = N_("✅ I'm in")
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def markup(content: Content, tr: Translator) -> InlineKeyboardMarkup | None:
    if content.button_kind == ButtonKind.LINK and content.button_url:
        button = InlineKeyboardButton(content.button_label or content.button_url,
                                      url=content.button_url)
    elif content.button_kind == ButtonKind.JOIN and content.training_id is not None:
        button = InlineKeyboardButton(
            tr._(JOIN_LABEL),
            callback_data=pack(ENROLL, content.training_id, content.training_version or 0),
        )
    else:
        return None
    return InlineKeyboardMarkup([[button]])


async def send(bot: Bot, chat_id: int, content: Content, tr: Translator) -> int:
    """Sends one copy; returns Telegram's message id."""
    keyboard = markup(content, tr)
    caption = content.text or None
    if content.media_kind == MediaKind.PHOTO:
        message = await bot.send_photo(chat_id, content.media_file_id or "", caption=caption,
                                       parse_mode=ParseMode.HTML, reply_markup=keyboard)
    elif content.media_kind == MediaKind.DOCUMENT:
        message = await bot.send_document(chat_id, content.media_file_id or "", caption=caption,
                                          parse_mode=ParseMode.HTML, reply_markup=keyboard)
    else:
        message = await bot.send_message(chat_id, content.text, parse_mode=ParseMode.HTML,
                                         reply_markup=keyboard, link_preview_options=NO_PREVIEW)
    return message.message_id


async def edit(bot: Bot, chat_id: int, message_id: int, content: Content,
               tr: Translator) -> None:
    """Brings a delivered copy to the broadcast's current text (or caption)."""
    keyboard = markup(content, tr)
    if content.media_kind:
        await bot.edit_message_caption(chat_id=chat_id, message_id=message_id,
                                       caption=content.text, parse_mode=ParseMode.HTML,
                                       reply_markup=keyboard)
    else:
        await bot.edit_message_text(content.text, chat_id=chat_id, message_id=message_id,
                                    parse_mode=ParseMode.HTML, reply_markup=keyboard,
                                    link_preview_options=NO_PREVIEW)
