"""`/statistik`: programme figures and a summary chart for facilitators and admins (issue 9).

Admins and unlimited facilitators see the whole kabupaten and can drill into one kecamatan
(`/statistik Bangko`, or the picker). A facilitator limited to a kecamatan sees it directly;
asking for another one — typed, or through an old or forged button — is refused by name.
"""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BerdayaContext
from bot.i18n import N_
from bot.services import places
from bot.services.scope import OutOfScope, scope_of
from bot.services.statistics import programme_statistics
from bot.services.statistics_chart import summary_chart
from bot.services.statistics_sql import UnknownKecamatan
from handlers.callbacks import pack, pattern, unpack
from handlers.commands import Command
from handlers.guards import staff_only, tell
from handlers.statistics_render import caption, summary_text

log = logging.getLogger("berdaya.statistics")

COMMANDS = [Command("statistik", N_("Programme statistics"), staff_only=True)]

PICK, SHOW, ALL = "ss.p", "ss.k", "ss.a"
PICKER_COLUMNS = 2


def _chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


async def _refuse_out_of_scope(update: Update, context: BerdayaContext, allowed: str) -> None:
    place = await places.get_place(context.runtime.sessionmaker, allowed)
    name = place.name if place is not None else allowed
    if update.callback_query is None:  # a message is HTML; a button's alert is plain text
        name = html.escape(name)
    await tell(update, context.tr._("You can only see the figures of kecamatan {name}.").format(
        name=name))


async def _show(update: Update, context: BerdayaContext, kecamatan: str | None) -> None:
    """The chart, then the figures with the buttons under them (the last message in the chat)."""
    member, tr, runtime = context.member, context.tr, context.runtime
    assert member is not None
    scope = scope_of(member)
    try:
        stats = await programme_statistics(runtime.sessionmaker, scope, kecamatan,
                                           now=runtime.now(), tz=runtime.tz,
                                           language=tr.language)
    except OutOfScope as exc:
        log.info("member %s asked for kecamatan %s outside %s", member.id, exc.asked,
                 exc.allowed)
        await _refuse_out_of_scope(update, context, exc.allowed)
        return
    except UnknownKecamatan:
        log.warning("statistics asked for unknown kecamatan %r", kecamatan)
        await tell(update, tr._("That kecamatan is not in the list."))
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    chat = _chat_id(update)
    await context.bot.send_chat_action(chat, ChatAction.UPLOAD_PHOTO)
    png = await summary_chart(stats, tr)
    await context.bot.send_photo(chat, InputFile(png, filename="statistik.png"),
                                 caption=caption(tr, stats))
    buttons: list[InlineKeyboardButton] = []
    if not scope.is_limited:
        if stats.kecamatan is not None:
            buttons.append(InlineKeyboardButton(tr._("◀ Whole kabupaten"),
                                                callback_data=pack(ALL)))
        buttons.append(InlineKeyboardButton(tr._("📍 Per kecamatan"), callback_data=pack(PICK)))
    await context.bot.send_message(chat, summary_text(tr, stats),
                                   reply_markup=InlineKeyboardMarkup([buttons]) if buttons
                                   else None)


@staff_only
async def statistik(update: Update, context: BerdayaContext) -> None:
    """`/statistik`, or `/statistik <kecamatan name>`."""
    assert update.effective_message is not None
    typed = " ".join(context.args or [])
    if not typed:
        await _show(update, context, None)
        return
    found = await places.search(context.runtime.sessionmaker, typed, desa=False)
    if len(found) == 1:
        await _show(update, context, found[0].code)
        return
    tr = context.tr
    if not found:
        await update.effective_message.reply_text(tr._(
            "I do not know kecamatan “{name}”. Send /statistik and choose from the list.").format(
            name=html.escape(typed)))
        return
    await update.effective_message.reply_text(
        tr._("Which kecamatan?"),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
            place.name, callback_data=pack(SHOW, place.code))] for place in found]))


@staff_only
async def kecamatan_tapped(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None
    fields = unpack(update, str)
    if fields is None:
        await query.answer()
        return
    await _show(update, context, fields[0])


@staff_only
async def all_tapped(update: Update, context: BerdayaContext) -> None:
    """A limited facilitator's old button shows their own kecamatan (the scope decides)."""
    await _show(update, context, None)


@staff_only
async def picker_tapped(update: Update, context: BerdayaContext) -> None:
    query, member = update.callback_query, context.member
    assert query is not None and member is not None
    scope = scope_of(member)
    if scope.kecamatan is not None:
        await _refuse_out_of_scope(update, context, scope.kecamatan)
        return
    await query.answer()
    kecamatan = await places.kecamatan_list(context.runtime.sessionmaker)
    buttons = [InlineKeyboardButton(place.name, callback_data=pack(SHOW, place.code))
               for place in kecamatan]
    rows = [buttons[i:i + PICKER_COLUMNS] for i in range(0, len(buttons), PICKER_COLUMNS)]
    rows.append([InlineKeyboardButton(context.tr._("◀ Whole kabupaten"),
                                      callback_data=pack(ALL))])
    await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler(["statistik", "statistics"], statistik))
    application.add_handler(CallbackQueryHandler(kecamatan_tapped, pattern=pattern(SHOW)))
    application.add_handler(CallbackQueryHandler(all_tapped, pattern=pattern(ALL)))
    application.add_handler(CallbackQueryHandler(picker_tapped, pattern=pattern(PICK)))
