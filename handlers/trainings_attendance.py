"""/hadir: facilitators tick names or show a 4-digit code; members send `/hadir 4821`.

Wrong codes are counted per member, so nobody can guess their way onto a list.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BerdayaContext
from bot.i18n import Translator
from bot.services import trainings_attendance as attendance
from bot.services.trainings import TrainingGone
from bot.services.trainings_attendance import CheckIn, Sheet
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only, staff_only
from handlers.trainings_browse import ignore
from handlers.trainings_render import SHEET, SHEET_CODE, SHEET_PAGE, SHEET_TOGGLE, when

CODE = re.compile(r"^\d{4}$")
TRIES_KEY = "training_checkin_misses"
MAX_MISSES = 5
MISS_WINDOW = timedelta(minutes=15)
PER_PAGE = 10


def _misses(context: BerdayaContext, now: datetime) -> list[str]:
    kept = [t for t in context.user_data.get(TRIES_KEY, [])
            if now - datetime.fromisoformat(t) < MISS_WINDOW]
    context.user_data[TRIES_KEY] = kept
    return kept


async def _check_in(update: Update, context: BerdayaContext, code: str) -> None:
    message = update.effective_message
    member = context.member
    assert message is not None and member is not None
    tr = context.tr
    now = context.runtime.now()
    misses = _misses(context, now)
    if len(misses) >= MAX_MISSES:
        await message.reply_text(tr._("Too many wrong codes. Please wait 15 minutes, or ask the "
                                      "facilitator to tick your name."))
        return
    if not CODE.match(code):
        await message.reply_text(tr._("The code has 4 digits. Send it like this: /hadir 4821"))
        return
    result = await attendance.check_in(context.runtime.sessionmaker, member.id, code, now)
    title = html.escape(result.training.title) if result.training else ""
    if result.outcome == CheckIn.WRONG_CODE:
        misses.append(now.isoformat())
        await message.reply_text(tr._("That code is not right, or the training is not on now. "
                                      "Please check the code with the facilitator."))
    elif result.outcome == CheckIn.NOT_ENROLLED:
        await message.reply_text(tr._("You are not on the list for <b>{title}</b>. Please tell "
                                      "the facilitator.").format(title=title))
    elif result.outcome == CheckIn.ALREADY:
        await message.reply_text(tr._("You are already marked present at <b>{title}</b>.")
                                 .format(title=title))
    else:
        await message.reply_text(tr._("✅ Thank you! You are marked present at <b>{title}</b>.")
                                 .format(title=title))


@registered_only
async def hadir(update: Update, context: BerdayaContext) -> None:
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    if context.args:
        await _check_in(update, context, "".join(context.args))
    elif member.is_staff:
        await _choose(update, context)
    else:
        await message.reply_text(context.tr._(
            "To check in at a training, send /hadir and the 4-digit code the facilitator "
            "shows, for example: /hadir 4821"))


@staff_only
async def _choose(update: Update, context: BerdayaContext) -> None:
    message = update.effective_message
    member = context.member
    assert message is not None and member is not None
    tr = context.tr
    views = await attendance.attendance_candidates(context.runtime.sessionmaker, member,
                                                   context.runtime.now())
    if not views:
        await message.reply_text(tr._("You have no training today, tomorrow or in the past "
                                      "week. Your trainings: /pelatihan_kelola"))
        return
    rows = [[InlineKeyboardButton(f"{tr.short_date(v.training.starts_at)} · "
                                  f"{v.training.title[:40]}",
                                  callback_data=pack(SHEET, v.training.id, 0))] for v in views]
    await message.reply_text(tr._("Attendance for which training?"),
                             reply_markup=InlineKeyboardMarkup(rows))


def _sheet_screen(tr: Translator, sheet: Sheet, page: int) -> tuple[str, InlineKeyboardMarkup]:
    training = sheet.view.training
    present = sum(row.present for row in sheet.rows)
    pages = max(1, -(-len(sheet.rows) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    lines = [tr._("<b>Attendance:</b> {title}").format(title=html.escape(training.title)),
             f"📅 {when(tr, training)}", "",
             tr._("{present} of {total} present.").format(present=present,
                                                        total=len(sheet.rows))]
    if sheet.rows:
        lines.append(tr._("Tap a name to mark them present (✅) or absent (⬜)."))
    else:
        lines.append(tr._("Nobody is enrolled yet."))
    rows = [[InlineKeyboardButton(("✅ " if row.present else "⬜ ") + row.name,
                                  callback_data=pack(SHEET_TOGGLE, training.id, row.member_id,
                                                     page))]
            for row in sheet.rows[page * PER_PAGE:(page + 1) * PER_PAGE]]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=pack(SHEET_PAGE, training.id,
                                                                 page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=pack(SHEET_PAGE, training.id,
                                                                 page + 1)))
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton(tr._("🔢 Show the check-in code"),
                                      callback_data=pack(SHEET_CODE, training.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def _load(update: Update, context: BerdayaContext, training_id: int) -> Sheet | None:
    member = context.member
    assert member is not None
    try:
        return await attendance.sheet(context.runtime.sessionmaker, training_id, member)
    except TrainingGone:
        await _deny(update, context)
        return None


async def _show_sheet(update: Update, context: BerdayaContext, sheet: Sheet, page: int,
                      *, edit: bool) -> None:
    text, markup = _sheet_screen(context.tr, sheet, page)
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as exc:
            if "not modified" not in str(exc):
                raise
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _deny(update: Update, context: BerdayaContext) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(
            context.tr._("You cannot manage this training."), show_alert=True)


@staff_only
async def sheet_tapped(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int, int)
    if fields is None:
        await ignore(update)
        return
    query = update.callback_query
    assert query is not None
    sheet = await _load(update, context, fields[0])
    if sheet is None:
        return
    await query.answer()
    await _show_sheet(update, context, sheet, fields[1],
                      edit=query.data is not None and query.data.startswith(SHEET_PAGE))


@staff_only
async def toggled(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int, int, int)
    if fields is None:
        await ignore(update)
        return
    training_id, member_id, page = fields
    actor = context.member
    assert actor is not None
    query = update.callback_query
    assert query is not None
    tr = context.tr
    try:
        present = await attendance.toggle(context.runtime.sessionmaker, training_id, member_id,
                                          actor, context.runtime.now())
    except TrainingGone:
        await _deny(update, context)
        return
    except attendance.NotOpenYet:
        await query.answer(tr._("Attendance opens one hour before the training starts."),
                           show_alert=True)
        return
    if present is None:
        await query.answer(tr._("This person is no longer enrolled."), show_alert=True)
    else:
        await query.answer()
    sheet = await _load(update, context, training_id)
    if sheet is not None:
        await _show_sheet(update, context, sheet, page, edit=True)


@staff_only
async def code_tapped(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    if fields is None:
        await ignore(update)
        return
    actor = context.member
    assert actor is not None
    tr = context.tr
    try:
        code = await attendance.code_for(context.runtime.sessionmaker, fields[0], actor,
                                         context.runtime.now())
    except TrainingGone:
        await _deny(update, context)
        return
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, "\n".join([
        tr._("🔢 Check-in code:"), "", f"<b>{code}</b>", "",
        tr._("Ask everyone to send this message to the bot:"), f"<code>/hadir {code}</code>",
        "", tr._("It works from one hour before the start until three hours after the end."),
    ]))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("hadir", hadir))
    application.add_handler(CallbackQueryHandler(sheet_tapped, pattern=pattern(SHEET)))
    application.add_handler(CallbackQueryHandler(sheet_tapped, pattern=pattern(SHEET_PAGE)))
    application.add_handler(CallbackQueryHandler(toggled, pattern=pattern(SHEET_TOGGLE)))
    application.add_handler(CallbackQueryHandler(code_tapped, pattern=pattern(SHEET_CODE)))
