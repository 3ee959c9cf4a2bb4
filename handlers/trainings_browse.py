"""/jadwal and 📅: upcoming trainings near the member, a page at a time, and one in detail.

The list is one message edited in place as the member pages or filters, so the chat stays
short on a small phone. Buttons carry the filter and page, never a language.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import BerdayaContext
from bot.i18n import Translator
from bot.services import places, trainings, trainings_enroll
from bot.services.trainings import BrowsePage, TrainingView
from handlers.callbacks import pack, pattern, unpack
from handlers.menu import TRAININGS, menu_button
from handlers.trainings_render import (
    CATEGORY,
    CATEGORY_NAMES,
    DETAIL,
    ENROLL,
    LIST,
    WITHDRAW,
    card,
)
from models.training import ACTIVE, EnrollmentStatus

log = logging.getLogger("berdaya.trainings")

MINE, ALL = "k", "a"
ANY = "-"


def _markup(tr: Translator, page: BrowsePage, scope: str, category: str,
            can_narrow: bool) -> InlineKeyboardMarkup:
    rows = []
    for number, view in enumerate(page.items, start=page.page * trainings.PAGE_SIZE + 1):
        training = view.training
        rows.append([
            InlineKeyboardButton(tr._("✍️ Enroll {n}").format(n=number),
                                 callback_data=pack(ENROLL, training.id, training.version)),
            InlineKeyboardButton(tr._("ℹ️ Detail {n}").format(n=number),
                                 callback_data=pack(DETAIL, training.id, training.version)),
        ])
    nav = []
    if page.page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=pack(LIST, scope, category,
                                                                 page.page - 1)))
    if page.page < page.pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=pack(LIST, scope, category,
                                                                 page.page + 1)))
    if nav:
        rows.append(nav)
    filters_row = []
    if scope == MINE:
        filters_row.append(InlineKeyboardButton(tr._("🗺 All kecamatan"),
                                                callback_data=pack(LIST, ALL, category, 0)))
    elif can_narrow:
        filters_row.append(InlineKeyboardButton(tr._("📍 My kecamatan"),
                                                callback_data=pack(LIST, MINE, category, 0)))
    filters_row.append(InlineKeyboardButton(tr._("🏷 Category"),
                                            callback_data=pack(CATEGORY, scope)))
    rows.append(filters_row)
    return InlineKeyboardMarkup(rows)


def _heading(tr: Translator, page: BrowsePage, kecamatan: str | None, category: str,
             fell_back: bool) -> str:
    if category != ANY:
        what = tr._("Upcoming trainings: {category}").format(
            category=tr._(CATEGORY_NAMES[category]))  # type: ignore[index]
    else:
        what = tr._("Upcoming trainings")
    where = (tr._("in Kecamatan {name}").format(name=html.escape(kecamatan)) if kecamatan
             else tr._("in all kecamatan"))
    lines = [f"<b>📅 {what}</b>", where]
    if fell_back:
        lines.insert(0, tr._("There is no training in your kecamatan yet, so here are all "
                             "kecamatan."))
    if page.pages > 1:
        lines.append(tr._("Page {page} of {pages}").format(page=page.page + 1, pages=page.pages))
    return "\n".join(lines)


async def schedule_screen(context: BerdayaContext, scope: str, category: str,
                          page_number: int) -> tuple[str, InlineKeyboardMarkup]:
    """Trainings in the member's kecamatan (all kecamatan if none there yet), or everywhere."""
    tr = context.tr
    sessionmaker = context.runtime.sessionmaker
    now = context.runtime.now()
    member = context.member
    registered = member is not None and member.is_registered
    home = member.desa_code if member is not None and registered else None
    member_id = member.id if member is not None and registered else None
    chosen = None if category == ANY else category
    fell_back = False
    page = None
    if scope == MINE and home:
        page = await trainings.browse(sessionmaker, now, home_desa=home, category=chosen,
                                      page=page_number, member_id=member_id)
        if page.total == 0 and chosen is None:
            page, fell_back = None, True
    if page is None:
        scope = ALL
        page = await trainings.browse(sessionmaker, now, category=chosen, page=page_number,
                                      member_id=member_id)
    name = None
    if scope == MINE and page.items:
        name = page.items[0].kecamatan_name
    elif scope == MINE and home and (found := await places.get_place(sessionmaker, home)):
        name = found.parent_name
    heading = _heading(tr, page, name, category, fell_back)
    if not page.items:
        body = tr._("No trainings are planned here yet. Try another kecamatan or category, "
                    "or look again in a few days.")
    else:
        first = page.page * trainings.PAGE_SIZE + 1
        body = "\n\n".join(card(tr, view, number=n, status=page.statuses.get(view.training.id))
                           for n, view in enumerate(page.items, start=first))
    return heading + "\n\n" + body, _markup(tr, page, scope, category, bool(home))


async def schedule_command(update: Update, context: BerdayaContext) -> None:
    if update.effective_message is None:
        return
    text, markup = await schedule_screen(context, MINE, ANY, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:  # the same page tapped twice: nothing to change
        if "not modified" not in str(exc):
            raise


async def page_tapped(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, str, str, int)
    if fields is None or fields[0] not in (MINE, ALL) or (
            fields[1] != ANY and fields[1] not in CATEGORY_NAMES):
        await ignore(update)
        return
    scope, category, page = fields
    text, markup = await schedule_screen(context, scope, category, page)
    await _edit(update, text, markup)


async def category_tapped(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, str)
    if fields is None or fields[0] not in (MINE, ALL):
        await ignore(update)
        return
    tr = context.tr
    scope = fields[0]
    buttons = [InlineKeyboardButton(tr._(label), callback_data=pack(LIST, scope, code, 0))
               for code, label in CATEGORY_NAMES.items()]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(tr._("All categories"),
                                      callback_data=pack(LIST, scope, ANY, 0))])
    await _edit(update, tr._("Which kind of training are you looking for?"),
                InlineKeyboardMarkup(rows))


def detail_markup(tr: Translator, view: TrainingView, status: str | None,
                  now: datetime) -> InlineKeyboardMarkup | None:
    training = view.training
    if not training.is_published or training.starts_at <= now:
        return None
    if status in ACTIVE:
        label = (tr._("🙅 Leave the waitlist") if status == EnrollmentStatus.WAITLISTED
                 else tr._("🙅 Cancel my seat"))
        return InlineKeyboardMarkup([[InlineKeyboardButton(
            label, callback_data=pack(WITHDRAW, training.id))]])
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        tr._("✍️ Enroll"), callback_data=pack(ENROLL, training.id, training.version))]])


async def send_detail(update: Update, context: BerdayaContext, view: TrainingView,
                      note: str | None = None) -> None:
    """The whole card with one button, and the venue pin when the organizer gave one."""
    chat = update.effective_chat
    if chat is None:
        return
    tr = context.tr
    training = view.training
    status = None
    if context.member is not None:
        held = await trainings_enroll.holding(context.runtime.sessionmaker, training.id,
                                              context.member.id)
        status = held.status if held is not None else None
    text = card(tr, view, status=status, full=True)
    if note:
        text = note + "\n\n" + text
    await context.bot.send_message(chat.id, text, reply_markup=detail_markup(
        tr, view, status, context.runtime.now()))
    if training.latitude is not None and training.longitude is not None:
        await context.bot.send_venue(
            chat.id, training.latitude, training.longitude, title=training.venue[:100],
            address=f"{view.desa_name}, Kec. {view.kecamatan_name}")


async def detail_tapped(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int, int)
    query = update.callback_query
    assert query is not None
    if fields is None:
        await ignore(update)
        return
    training_id, version = fields
    view = await trainings.get_training(context.runtime.sessionmaker, training_id)
    if view is None:
        await query.answer(context.tr._("This training no longer exists."), show_alert=True)
        return
    await query.answer()
    note = None
    if view.training.version != version:
        note = context.tr._("⚠️ This training has changed since that list was made. "
                            "Here is the latest:")
    await send_detail(update, context, view, note)


async def ignore(update: Update) -> None:
    """Tampered or unreadable button data: logged, the spinner stopped, nothing acted on."""
    query = update.callback_query
    if query is not None:
        log.warning("ignored trainings button %r", query.data)
        await query.answer()


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("jadwal", schedule_command))
    application.add_handler(MessageHandler(menu_button(TRAININGS), schedule_command))
    application.add_handler(CallbackQueryHandler(page_tapped, pattern=pattern(LIST)))
    application.add_handler(CallbackQueryHandler(category_tapped, pattern=pattern(CATEGORY)))
    application.add_handler(CallbackQueryHandler(detail_tapped, pattern=pattern(DETAIL)))
