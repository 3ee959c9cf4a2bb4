"""`/wilayah_fasilitator`: an admin limits a facilitator to one kecamatan, or lifts the limit.

Two taps: the facilitator, then the kecamatan (or all of Merangin). The facilitator is told in
their own language, since what they see in statistics, exports and broadcasts changes.
"""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BerdayaContext
from bot.i18n import Translator
from bot.services import members, places, staff
from bot.services.staff import Facilitator, ScopeRefused
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import admin_only
from handlers.registration_messages import edit

PICK, AREA = "sc.f", "sc.k"
EVERYWHERE = "-"
PER_ROW = 2

log = logging.getLogger("berdaya.staff")


def _area(tr: Translator, name: str | None) -> str:
    return tr._("kecamatan {name}").format(name=name) if name else tr._("all of Merangin")


def _line(tr: Translator, person: Facilitator) -> str:
    return f"{person.full_name} (#{person.id}) · {_area(tr, person.scope_name)}"


@admin_only
async def scope_command(update: Update, context: BerdayaContext) -> None:
    message = update.effective_message
    assert message is not None
    tr = context.tr
    people = await staff.facilitators(context.runtime.sessionmaker)
    if not people:
        await message.reply_text(tr._(
            "There are no facilitators yet. Make a member a facilitator with /fasilitator."))
        return
    rows = [[InlineKeyboardButton(_line(tr, p), callback_data=pack(PICK, p.id))] for p in people]
    await message.reply_text(tr._(
        "Which facilitator? A facilitator limited to one kecamatan sees and messages only the "
        "members there."), reply_markup=InlineKeyboardMarkup(rows))


async def _facilitator(context: BerdayaContext, member_id: int) -> Facilitator | None:
    people = await staff.facilitators(context.runtime.sessionmaker)
    return next((p for p in people if p.id == member_id), None)


@admin_only
async def picked(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None
    fields = unpack(update, int)
    person = await _facilitator(context, fields[0]) if fields else None
    await query.answer()
    tr = context.tr
    if person is None:
        await edit(update, tr._("That person is no longer a facilitator. Nothing changed."))
        return
    areas = [(p.name, p.code) for p in await places.kecamatan_list(context.runtime.sessionmaker)]
    buttons = [InlineKeyboardButton(("✅ " if code == person.scope_kecamatan else "") + name,
                                    callback_data=pack(AREA, person.id, code))
               for name, code in areas]
    rows = [buttons[i:i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    rows.insert(0, [InlineKeyboardButton(
        ("✅ " if person.scope_kecamatan is None else "") + tr._("🌐 All of Merangin"),
        callback_data=pack(AREA, person.id, EVERYWHERE))])
    await edit(update, tr._("Where may <b>{name}</b> work? Now: {area}.").format(
        name=html.escape(person.full_name), area=_area(tr, person.scope_name)),
        InlineKeyboardMarkup(rows))


@admin_only
async def area_chosen(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None and context.member is not None
    fields = unpack(update, int, str)
    tr = context.tr
    if fields is None:
        await query.answer()
        return
    member_id, code = fields
    sessionmaker = context.runtime.sessionmaker
    try:
        changed = await staff.set_scope(sessionmaker, member_id,
                                        None if code == EVERYWHERE else code, context.member)
    except ScopeRefused as refusal:
        log.info("scope refused for member %s: %s", member_id, refusal)
        await query.answer(tr._("That choice is no longer valid. Nothing changed."),
                           show_alert=True)
        return
    await query.answer()
    person = await _facilitator(context, member_id)
    assert person is not None
    name = html.escape(person.full_name)
    if not changed:
        await edit(update, tr._("Nothing changed: {name} already works in {area}.").format(
            name=name, area=_area(tr, person.scope_name)))
        return
    await edit(update, tr._("Done: {name} now works in {area}.").format(
        name=name, area=_area(tr, person.scope_name)))
    await _tell(context, person)


async def _tell(context: BerdayaContext, person: Facilitator) -> None:
    member = await members.get_member(context.runtime.sessionmaker, person.id)
    if member is None or member.chat_id is None:
        return
    tr = context.runtime.translator(member.language)
    try:
        await context.bot.send_message(member.chat_id, tr._(
            "An admin set your working area to {area}. Statistics, exports and broadcasts now "
            "cover the members there.").format(area=_area(tr, person.scope_name)))
    except TelegramError as exc:
        log.warning("could not tell member %s about their new area: %r", person.id, exc)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("wilayah_fasilitator", scope_command))
    application.add_handler(CallbackQueryHandler(picked, pattern=pattern(PICK)))
    application.add_handler(CallbackQueryHandler(area_chosen, pattern=pattern(AREA)))
