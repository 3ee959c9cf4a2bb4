"""How a tip looks in the chat, shared by browsing, the facilitator's preview and the weekly job.

Everything a tip's writer typed is escaped: a tip is shown exactly as written, never as HTML.
A photo caption holds at most 1024 characters, so a tip with a photo is one captioned photo
when it fits, else a photo captioned with the title followed by the whole tip as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlencode

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.i18n import N_, Translator
from bot.services import tips_categories
from bot.services.tips import LIKE
from handlers.callbacks import pack
from models.tip import Tip

CAPTION_LIMIT = 1024
SHARE_EXCERPT = 200

# Callback prefixes, all under the journey's "ti." (compact, language-free).
JOURNEY = "ti."
TOPICS, LIST, VIEW, NEXT, RATE = "ti.c", "ti.l", "ti.v", "ti.n", "ti.r"
SUBSCRIBE, SUBSCRIBE_TOGGLE, SUBSCRIBE_DONE, SEARCH = "ti.s", "ti.st", "ti.sd", "ti.q"
MANAGE, MANAGE_TOPICS, MANAGE_LIST, PUBLISH, PREVIEW = "ti.m", "ti.mc", "ti.ml", "ti.p", "ti.pv"
EDIT_FIELD, EDIT_CATEGORY, EDIT_REMOVE = "ti.e", "ti.ec", "ti.ex"
WRITE_CATEGORY, WRITE_SKIP_SOURCE, WRITE_SKIP_PHOTO, WRITE_FINISH = (
    "ti.wc", "ti.ws", "ti.wp", "ti.wk")

EDIT, NEW = "e", "n"
"""The last field of list callbacks: change the list message in place, or send a new one."""

BACK_TO_TOPICS = N_("⬅️ Topics")


def category_label(tr: Translator, code: str, *, short: bool = False) -> str:
    category = tips_categories.get(code)
    if category is None:
        return code
    return f"{category.emoji} {tr._(category.short if short else category.name)}"


def tip_html(tr: Translator, tip: Tip, *, heading: str | None = None) -> str:
    text = tip.text(tr.language)
    lines = []
    if heading:
        lines.append(heading)
    if not tip.published:
        lines.append(tr._("📝 <i>Draft: members cannot see this tip yet.</i>"))
    lines += [
        f"<i>{html.escape(category_label(tr, tip.category))}</i>",
        f"<b>{html.escape(text.title)}</b>",
        "",
        html.escape(text.body),
    ]
    if tip.source:
        lines += ["", tr._("📚 Source: {source}").format(source=html.escape(tip.source))]
    return "\n".join(lines)


def visible_length(markup: str) -> int:
    """Length as Telegram counts it (UTF-16 units of the text without tags)."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", markup))
    return len(plain.encode("utf-16-le")) // 2


def share_url(tr: Translator, tip: Tip, bot_username: str | None) -> str | None:
    """A t.me share link: the member picks a chat, the tip's title and opening go there with
    a link to the bot. None without a username (then there is nothing to link to)."""
    if not bot_username:
        return None
    text = tip.text(tr.language)
    excerpt = text.body if len(text.body) <= SHARE_EXCERPT else (
        text.body[:SHARE_EXCERPT].rsplit(" ", 1)[0] + "…")
    message = tr._("💡 {title}\n\n{excerpt}\n\nMore practical tips from Berdaya:").format(
        title=text.title, excerpt=excerpt)
    query = urlencode({"url": f"https://t.me/{bot_username}", "text": message}, quote_via=quote)
    return f"https://t.me/share/url?{query}"


def tip_keyboard(
    tr: Translator, tip: Tip, rating: int | None, bot_username: str | None, *,
    staff: bool = False, weekly: bool = False,
) -> InlineKeyboardMarkup:
    like = "👍 ✓" if rating == LIKE else "👍"
    dislike = "👎 ✓" if rating is not None and rating != LIKE else "👎"
    rows = [
        [InlineKeyboardButton(like, callback_data=pack(RATE, tip.id, 1)),
         InlineKeyboardButton(dislike, callback_data=pack(RATE, tip.id, -1))],
    ]
    second = [InlineKeyboardButton(tr._("➡️ Next"), callback_data=pack(NEXT, tip.id))]
    url = share_url(tr, tip, bot_username)
    if url is not None:
        second.append(InlineKeyboardButton(tr._("📤 Share"), url=url))
    rows.append(second)
    back = InlineKeyboardButton(tr._(BACK_TO_TOPICS), callback_data=pack(TOPICS, NEW))
    if weekly:
        rows.append([back, InlineKeyboardButton(tr._("🔔 Weekly tips"), callback_data=SUBSCRIBE)])
    else:
        rows.append([InlineKeyboardButton(tr._("📋 More in this topic"),
                                          callback_data=pack(LIST, tip.category, 0, NEW)),
                     back])
    if staff:
        rows.append([InlineKeyboardButton(tr._("⚙️ Manage this tip"),
                                          callback_data=pack(MANAGE, tip.id))])
    return InlineKeyboardMarkup(rows)


async def send_tip(
    bot: Bot, chat_id: int, tr: Translator, tip: Tip, markup: InlineKeyboardMarkup | None, *,
    heading: str | None = None, pause: Callable[[], Awaitable[None]] | None = None,
) -> Message:
    """Sends the tip (one or two messages); `pause` runs before each, for rate limits.

    Returns the message that carries the buttons.
    """
    body = tip_html(tr, tip, heading=heading)
    if tip.photo_file_id is None:
        if pause is not None:
            await pause()
        return await bot.send_message(chat_id, body, reply_markup=markup)
    if pause is not None:
        await pause()
    if visible_length(body) <= CAPTION_LIMIT:
        return await bot.send_photo(chat_id, tip.photo_file_id, caption=body, reply_markup=markup)
    title = f"<b>{html.escape(tip.text(tr.language).title)}</b>"
    await bot.send_photo(chat_id, tip.photo_file_id, caption=title)
    if pause is not None:
        await pause()
    return await bot.send_message(chat_id, body, reply_markup=markup)


def problem_text(tr: Translator, field: str, code: str, limit: int, length: int) -> str:
    """A refused title, text or source, said with the exact limit and the current length."""
    if code == "too_long":
        over = length - limit
        if field == "title":
            return tr._("The title is {length} characters long; the limit is {limit}. Please "
                        "shorten it by {over} and send it again.").format(
                length=length, limit=limit, over=over)
        if field == "source":
            return tr._("The source is {length} characters long; the limit is {limit}. Please "
                        "shorten it by {over} and send it again.").format(
                length=length, limit=limit, over=over)
        return tr._("The text is {length} characters long; the limit is {limit}. Please "
                    "shorten it by {over} and send it again.").format(
            length=length, limit=limit, over=over)
    return tr._("That was empty. Please type it as text.")
