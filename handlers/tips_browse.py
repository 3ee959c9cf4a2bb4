"""Members' tips: topics → titles → a tip with 👍/👎, next and share; search; weekly subscription.

Lists change in place (one message, no clutter on a small screen); a tip arrives as a new
message so the member can scroll back to it later.
"""

from __future__ import annotations

import html
import logging
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BerdayaContext
from bot.i18n import Translator
from bot.services import tips, tips_categories, tips_weekly
from bot.services.tips_search import query_terms
from handlers import tips_render as render
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only
from handlers.menu import TIPS, any_menu_button, menu_button

log = logging.getLogger("berdaya.tips")

PAGE = 8
EDIT, NEW = render.EDIT, render.NEW
QUERY = 0
END = ConversationHandler.END
SEARCH_TIMEOUT = timedelta(minutes=15)


# Topics ----------------------------------------------------------------------------------------

async def topics_view(context: BerdayaContext) -> tuple[str, InlineKeyboardMarkup]:
    tr = context.tr
    counts = await tips.category_counts(context.runtime.sessionmaker)
    buttons = [
        InlineKeyboardButton(render.category_label(tr, c.code, short=True),
                             callback_data=pack(render.LIST, c.code, 0, EDIT))
        for c in tips_categories.CATEGORIES if counts.get(c.code)
    ]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    last = [InlineKeyboardButton(tr._("🔍 Search"), callback_data=render.SEARCH)]
    if context.runtime.settings.tips.weekly_enabled:
        last.append(InlineKeyboardButton(tr._("🔔 Weekly tips"), callback_data=render.SUBSCRIBE))
    rows.append(last)
    if not buttons:
        return tr._("There are no tips yet. Please look again soon."), InlineKeyboardMarkup(rows)
    text = tr._("💡 <b>Tips</b>\nPractical advice from trusted sources. Choose a topic, or "
                "search with a word, for example: /tips pupuk")
    return text, InlineKeyboardMarkup(rows)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup, mode: str) -> None:
    """Edits the list message in place, or sends a new one (from under a tip, or a command)."""
    query = update.callback_query
    if query is not None and mode == EDIT and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            log.info("could not edit a tips list (%s); sending it anew", exc)
    if update.effective_chat is not None:
        await update.get_bot().send_message(update.effective_chat.id, text, reply_markup=markup)


@registered_only
async def tips_command(update: Update, context: BerdayaContext) -> None:
    """`/tips` shows the topics; `/tips kata` searches."""
    if context.args:
        await _search_reply(update, context, " ".join(context.args))
        return
    text, markup = await topics_view(context)
    await _show(update, text, markup, NEW)


@registered_only
async def on_topics(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, str)
    await _answer(update)
    text, markup = await topics_view(context)
    await _show(update, text, markup, fields[0] if fields else NEW)


async def _answer(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text)


# Titles ----------------------------------------------------------------------------------------

@registered_only
async def on_list(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, str, int, str)
    if fields is None:
        await _answer(update)
        return
    code, page, mode = fields
    tr = context.tr
    if tips_categories.get(code) is None:
        await _answer(update, tr._("That topic does not exist any more. Here are the topics."))
        text, markup = await topics_view(context)
        await _show(update, text, markup, mode)
        return
    await _answer(update)
    found = await tips.list_tips(context.runtime.sessionmaker, code, tr.language)
    text, markup = list_view(tr, code, found, page, prefix=render.LIST)
    await _show(update, text, markup, mode)


def list_view(
    tr: Translator, code: str, found: list[tips.TipSummary], page: int, *, prefix: str
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of titles; `prefix` picks the members' or the facilitators' buttons."""
    pages = max(1, -(-len(found) // PAGE))
    page = min(max(page, 0), pages - 1)
    shown = found[page * PAGE:(page + 1) * PAGE]
    target = render.VIEW if prefix == render.LIST else render.MANAGE
    rows = [[InlineKeyboardButton(("" if t.published else "📝 ") + t.title,
                                  callback_data=pack(target, t.id))] for t in shown]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=pack(prefix, code, page - 1, EDIT)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=pack(prefix, code, page + 1, EDIT)))
    if nav:
        rows.append(nav)
    back = render.TOPICS if prefix == render.LIST else render.MANAGE_TOPICS
    rows.append([InlineKeyboardButton(tr._(render.BACK_TO_TOPICS), callback_data=pack(back, EDIT))])
    heading = f"<b>{html.escape(render.category_label(tr, code))}</b>"
    if not found:
        return heading + "\n" + tr._("No tips in this topic yet."), InlineKeyboardMarkup(rows)
    count = tr.ngettext("{n} tip. Choose one to read:", "{n} tips. Choose one to read:",
                        len(found)).format(n=len(found))
    if pages > 1:
        count += " " + tr._("(page {page} of {pages})").format(page=page + 1, pages=pages)
    return f"{heading}\n{count}", InlineKeyboardMarkup(rows)


# One tip ---------------------------------------------------------------------------------------

async def send_opened(update: Update, context: BerdayaContext, tip_id: int) -> bool:
    """Counts the view and sends the tip; False when it is gone or unpublished."""
    member = context.member
    chat = update.effective_chat
    if member is None or chat is None:
        return False
    runtime = context.runtime
    opened = await tips.open_tip(runtime.sessionmaker, member.id, tip_id, runtime.now(),
                                 staff=member.is_staff)
    if opened is None:
        return False
    markup = render.tip_keyboard(context.tr, opened.tip, opened.rating, context.bot.username,
                                 staff=member.is_staff)
    await render.send_tip(context.bot, chat.id, context.tr, opened.tip, markup)
    return True


@registered_only
async def on_view(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    if fields is None:
        await _answer(update)
        return
    if await send_opened(update, context, fields[0]):
        await _answer(update)
    else:
        await _answer(update, context.tr._("Sorry, this tip is no longer available."))


@registered_only
async def on_next(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    if fields is None:
        await _answer(update)
        return
    tr = context.tr
    following = await tips.neighbour(context.runtime.sessionmaker, fields[0])
    if following is None:
        await _answer(update, tr._("This is the only tip in this topic for now."))
        return
    await _answer(update, tr._("Back to the first tip of this topic.") if following.wrapped
                  else None)
    await send_opened(update, context, following.tip.id)


@registered_only
async def on_rate(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int, int)
    member = context.member
    if fields is None or member is None or fields[1] not in (tips.LIKE, tips.DISLIKE):
        await _answer(update)
        return
    tip_id, value = fields
    tr = context.tr
    runtime = context.runtime
    try:
        rating = await tips.rate(runtime.sessionmaker, member.id, tip_id, value, runtime.now())
    except LookupError:
        await _answer(update, tr._("Sorry, this tip is no longer available."))
        return
    if rating is None:
        await _answer(update, tr._("Your vote is taken back."))
    elif rating == tips.LIKE:
        await _answer(update, tr._("Thank you! Glad it helps. 👍"))
    else:
        await _answer(update, tr._("Thank you for telling us. We will improve our tips."))
    tip = await tips.get_tip(runtime.sessionmaker, tip_id)
    query = update.callback_query
    if tip is None or query is None or query.message is None:
        return
    weekly = any(b.callback_data == render.SUBSCRIBE
                 for row in (query.message.reply_markup.inline_keyboard
                             if query.message.reply_markup else ())  # type: ignore[union-attr]
                 for b in row)
    markup = render.tip_keyboard(tr, tip, rating, context.bot.username,
                                 staff=member.is_staff, weekly=weekly)
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        log.info("could not redraw the rating buttons: %s", exc)


# Search ----------------------------------------------------------------------------------------

async def _search_reply(update: Update, context: BerdayaContext, text: str) -> bool:
    """Answers a search; False when the text held no word to look for (asked again)."""
    tr = context.tr
    if not query_terms(text):
        await update.get_bot().send_message(
            update.effective_chat.id,  # type: ignore[union-attr]
            tr._("Please type a word to look for, for example: pupuk, karet or KUR."))
        return False
    found = await tips.search(context.runtime.sessionmaker, text, tr.language)
    shown = html.escape(" ".join(text.split()))
    if not found:
        reply, markup = await topics_view(context)
        reply = tr._("I found no tip about «{query}». Try another word, or choose a "
                     "topic:").format(query=shown)
        await _show(update, reply, markup, NEW)
        return True
    rows = [[InlineKeyboardButton(t.title, callback_data=pack(render.VIEW, t.id))]
            for t in found]
    rows.append([InlineKeyboardButton(tr._(render.BACK_TO_TOPICS),
                                      callback_data=pack(render.TOPICS, EDIT))])
    reply = tr.ngettext("🔍 {n} tip about «{query}»:", "🔍 {n} tips about «{query}»:",
                        len(found)).format(n=len(found), query=shown)
    await _show(update, reply, InlineKeyboardMarkup(rows), NEW)
    return True


@registered_only
async def ask_search(update: Update, context: BerdayaContext) -> int:
    await _answer(update)
    if update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id,
            context.tr._("🔍 Type a word to look for, for example: pupuk, sadap or pinjol. "
                         "Send /batal to stop."))
    return QUERY


async def on_query(update: Update, context: BerdayaContext) -> int:
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    return END if await _search_reply(update, context, text) else QUERY


async def stop_search(update: Update, context: BerdayaContext) -> int:
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.tr._("Search stopped."))
    return END


# Weekly tip subscription -------------------------------------------------------------------

def _next_send_text(context: BerdayaContext) -> str:
    runtime = context.runtime
    settings = runtime.settings.tips
    start = tips_weekly.period_start(runtime.now(), runtime.tz, settings.weekday,
                                     settings.weekly_time) + tips_weekly.WEEK
    tr = context.tr
    return tr._("Next weekly tip: {day}, {time}.").format(day=tr.date(start), time=tr.time(start))


async def _subscription_view(context: BerdayaContext) -> tuple[str, InlineKeyboardMarkup]:
    tr = context.tr
    member = context.member
    assert member is not None
    chosen = await tips.subscriptions(context.runtime.sessionmaker, member.id)
    buttons = [
        InlineKeyboardButton(("✅ " if c.code in chosen else "")
                             + render.category_label(tr, c.code, short=True),
                             callback_data=pack(render.SUBSCRIBE_TOGGLE, c.code))
        for c in tips_categories.CATEGORIES
    ]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(tr._("✔️ Done"), callback_data=render.SUBSCRIBE_DONE)])
    text = "\n".join([
        tr._("🔔 <b>Weekly tip</b>"),
        tr._("Once a week I send you one tip you have not read yet, from the topics you tick "
             "here. Tap a topic to tick or untick it."),
        _next_send_text(context),
    ])
    return text, InlineKeyboardMarkup(rows)


@registered_only
async def on_subscribe(update: Update, context: BerdayaContext) -> None:
    if not context.runtime.settings.tips.weekly_enabled:
        await _answer(update, context.tr._("Weekly tips are switched off at the moment."))
        return
    await _answer(update)
    text, markup = await _subscription_view(context)
    await _show(update, text, markup, NEW)


@registered_only
async def on_toggle(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, str)
    member = context.member
    if fields is None or member is None:
        await _answer(update)
        return
    tr = context.tr
    runtime = context.runtime
    try:
        now_on = await tips.toggle_subscription(runtime.sessionmaker, member.id, fields[0],
                                                runtime.now())
    except LookupError:
        await _answer(update, tr._("That topic does not exist any more."))
        return
    label = render.category_label(tr, fields[0], short=True)
    await _answer(update, (tr._("Subscribed: {topic}") if now_on
                           else tr._("Unsubscribed: {topic}")).format(topic=label))
    text, markup = await _subscription_view(context)
    await _show(update, text, markup, EDIT)


@registered_only
async def on_subscribe_done(update: Update, context: BerdayaContext) -> None:
    member = context.member
    assert member is not None
    tr = context.tr
    await _answer(update)
    chosen = await tips.subscriptions(context.runtime.sessionmaker, member.id)
    back = InlineKeyboardMarkup([[InlineKeyboardButton(
        tr._(render.BACK_TO_TOPICS), callback_data=pack(render.TOPICS, EDIT))]])
    if not chosen:
        await _show(update, tr._("You will not receive weekly tips. You can subscribe again "
                                 "with 💡 Tips → 🔔 Weekly tips."), back, EDIT)
        return
    names = ", ".join(render.category_label(tr, c.code, short=True)
                      for c in tips_categories.CATEGORIES if c.code in chosen)
    text = "\n".join([tr._("✅ You will receive a weekly tip about: {topics}.").format(
        topics=names), _next_send_text(context)])
    await _show(update, text, back, EDIT)


def register(application: Application) -> None:  # type: ignore[type-arg]
    free_text = filters.TEXT & ~filters.COMMAND & ~any_menu_button()
    application.add_handler(ConversationHandler(
        entry_points=[CallbackQueryHandler(ask_search, pattern=pattern(render.SEARCH))],
        states={QUERY: [MessageHandler(free_text, on_query)]},
        fallbacks=[CommandHandler("batal", stop_search)],
        name="tips_search", persistent=True, allow_reentry=True,
        conversation_timeout=SEARCH_TIMEOUT,
    ))
    application.add_handler(CommandHandler("tips", tips_command))
    application.add_handler(MessageHandler(menu_button(TIPS), tips_command))
    for prefix, callback in (
        (render.TOPICS, on_topics), (render.LIST, on_list), (render.VIEW, on_view),
        (render.NEXT, on_next), (render.RATE, on_rate), (render.SUBSCRIBE, on_subscribe),
        (render.SUBSCRIBE_TOGGLE, on_toggle), (render.SUBSCRIBE_DONE, on_subscribe_done),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern(prefix)))
