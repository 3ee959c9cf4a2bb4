"""`/ekspor`: the programme report as an Excel file, for facilitators and admins.

Each button carries the whole choice so far (period → kecamatan → phone numbers), so old
buttons keep working after a restart and only the typed period needs conversation state. The
service decides what the member may have: a tampered button asking for phone numbers or another
kecamatan is refused there, not trusted here.
"""

from __future__ import annotations

import html
import io
import logging
from datetime import date, datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BerdayaContext
from bot.i18n import N_, Translator
from bot.services import places
from bot.services import report_columns as sheets
from bot.services.report_period import (
    MAX_DAYS,
    Period,
    Preset,
    Problem,
    ReportRefused,
    parse_range,
    preset,
)
from bot.services.report_workbook import ReportResult, export_report, file_name
from bot.services.scope import OutOfScope, scope_of
from handlers.callbacks import pack, pattern, unpack
from handlers.commands import Command
from handlers.guards import staff_only
from handlers.menu import any_menu_button
from models import Role

log = logging.getLogger("berdaya.exports")

COMMANDS = [Command("ekspor", N_("Download the programme report (Excel)"), staff_only=True)]
PERIOD, PLACE, CONTACTS, TYPE = "ex.p", "ex.k", "ex.c", "ex.t"
TYPING = "typing"
TYPING_TIMEOUT = timedelta(minutes=15)
"""A forgotten typed step stops catching text that was meant for something else."""
WHOLE = "-"
"""The kecamatan field of a button meaning the whole kabupaten."""
END = ConversationHandler.END
PRESETS = [
    (Preset.THIS_MONTH, N_("This month")), (Preset.LAST_MONTH, N_("Last month")),
    (Preset.LAST_3_MONTHS, N_("Last 3 months")), (Preset.THIS_YEAR, N_("This year")),
]
SHEET_LABELS = {
    sheets.MEMBERS: N_("Members"), sheets.TRAININGS: N_("Trainings"),
    sheets.ATTENDANCE: N_("Attendance"), sheets.PRICES: N_("Prices"),
    sheets.BROADCASTS: N_("Broadcasts"),
}


def _today(context: BerdayaContext) -> date:
    return context.runtime.now().astimezone(context.runtime.tz).date()


def _fields(period: Period) -> tuple[str, str]:
    """Compact dates for callback data: 20261101."""
    return period.start.strftime("%Y%m%d"), period.end.strftime("%Y%m%d")


def _period_text(tr: Translator, period: Period) -> str:
    return f"{tr.short_date(period.start)} – {tr.short_date(period.end)}"


def explain(tr: Translator, problem: Problem) -> str:
    texts = {
        Problem.NOT_ALLOWED: tr._("Sorry, this is only for programme facilitators."),
        Problem.CONTACTS_NOT_ALLOWED: tr._("Sorry, only programme admins may download members' "
                                           "phone numbers."),
        Problem.UNREADABLE: tr._("I could not read those dates. Please type them like "
                                 "1/11/2026 - 30/11/2026 or 1 November 2026 - 30 November "
                                 "2026."),
        Problem.NO_SUCH_DATE: tr._("One of those dates does not exist. Please check the "
                                   "numbers."),
        Problem.REVERSED: tr._("The first date is after the second one. Please type the "
                               "earlier date first."),
        Problem.FUTURE: tr._("That period has not started yet. Please choose a period up to "
                             "today."),
        Problem.TOO_LONG: tr._("A report covers at most {days} days (one year). Please choose a "
                               "shorter period.").format(days=MAX_DAYS),
        Problem.UNKNOWN_KECAMATAN: tr._("That kecamatan is not known. Please start again with "
                                        "/ekspor."),
    }
    return texts[problem]


def _keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in rows])


async def _show(update: Update, text: str, rows: list[list[tuple[str, str]]] | None = None,
                ) -> None:
    """A step after a tap replaces the message with the buttons; after typing, a new one."""
    markup = _keyboard(rows) if rows else None
    if update.callback_query is not None:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    else:
        assert update.effective_message is not None
        await update.effective_message.reply_text(text, reply_markup=markup)


@staff_only
async def start(update: Update, context: BerdayaContext) -> int:
    assert update.effective_message is not None
    tr, today = context.tr, _today(context)
    rows = [[(tr._(label), pack(PERIOD, *_fields(preset(kind, today))))]
            for kind, label in PRESETS]
    rows.append([(tr._("✏️ Type the dates"), pack(TYPE))])
    await update.effective_message.reply_text(
        tr._("📊 <b>Programme report (Excel)</b>\nWhich period should it cover?"),
        reply_markup=_keyboard(rows))
    return END


def _dates(fields: list[str]) -> Period | None:
    try:
        return Period(*(datetime.strptime(f, "%Y%m%d").date() for f in fields))
    except ValueError:
        return None


@staff_only
async def period_tapped(update: Update, context: BerdayaContext) -> int:
    assert update.callback_query is not None
    fields = unpack(update, str, str)
    period = _dates(fields) if fields else None
    await update.callback_query.answer()
    if period is not None:
        await _after_period(update, context, period)
    return END


async def _after_period(update: Update, context: BerdayaContext, period: Period) -> None:
    """Unlimited staff choose the area; a limited facilitator's area is their kecamatan."""
    assert context.member is not None
    if scope_of(context.member).is_limited:
        await _after_place(update, context, period, None)
        return
    tr = context.tr
    dates = _fields(period)
    choices = [(k.name, pack(PLACE, *dates, k.code))
               for k in await places.kecamatan_list(context.runtime.sessionmaker)]
    rows = [[(tr._("🗺 Whole kabupaten"), pack(PLACE, *dates, WHOLE))],
            *(choices[i:i + 2] for i in range(0, len(choices), 2))]
    await _show(update, tr._("📊 Report {period}\nFor the whole kabupaten or one kecamatan?")
                .format(period=_period_text(tr, period)), rows)


@staff_only
async def place_tapped(update: Update, context: BerdayaContext) -> int:
    assert update.callback_query is not None
    fields = unpack(update, str, str, str)
    period = _dates(fields[:2]) if fields else None
    await update.callback_query.answer()
    if fields is not None and period is not None:
        await _after_place(update, context, period, None if fields[2] == WHOLE else fields[2])
    return END


async def _after_place(update: Update, context: BerdayaContext, period: Period,
                       kecamatan: str | None) -> None:
    """Admins choose whether phone numbers go in; everyone else never gets them."""
    assert context.member is not None
    if context.member.role != Role.ADMIN:
        await _export(update, context, period, kecamatan, contacts=False)
        return
    tr = context.tr
    fields = (*_fields(period), kecamatan or WHOLE)
    await _show(update, tr._("Include members' phone numbers? Only if you really need them: "
                             "the file must then be kept safe."), [
        [(tr._("Without phone numbers"), pack(CONTACTS, *fields, 0))],
        [(tr._("🔒 With phone numbers"), pack(CONTACTS, *fields, 1))]])


@staff_only
async def contacts_tapped(update: Update, context: BerdayaContext) -> int:
    assert update.callback_query is not None
    fields = unpack(update, str, str, str, int)
    period = _dates(fields[:2]) if fields else None
    if fields is None or period is None or fields[3] not in (0, 1):
        await update.callback_query.answer()
        return END
    await update.callback_query.answer()
    await _export(update, context, period, None if fields[2] == WHOLE else fields[2],
                  contacts=bool(fields[3]))
    return END


async def _export(update: Update, context: BerdayaContext, period: Period,
                  kecamatan: str | None, *, contacts: bool) -> None:
    assert context.member is not None and update.effective_chat is not None
    tr, runtime = context.tr, context.runtime
    chat = update.effective_chat.id
    if update.callback_query is not None:  # the buttons go: one tap, one file
        await update.callback_query.edit_message_text(
            tr._("⏳ Preparing the report {period}…").format(period=_period_text(tr, period)))
    await context.bot.send_chat_action(chat, ChatAction.UPLOAD_DOCUMENT)
    buffer = io.BytesIO()
    try:
        result = await export_report(
            runtime.sessionmaker, start=period.start, end=period.end, actor=context.member,
            kecamatan=kecamatan, contacts=contacts, now=runtime.now(), tz=runtime.tz,
            out=buffer)
    except ReportRefused as exc:
        await _show(update, "⚠️ " + explain(tr, exc.problem))
        return
    except OutOfScope as exc:
        log.warning("member %s asked for kecamatan %s outside their scope",
                    context.member.id, exc.asked)
        own = await places.get_place(runtime.sessionmaker, exc.allowed)
        await _show(update, "⚠️ " + tr._("You can only download the report for your own "
                                         "kecamatan, {name}.").format(
                                             name=own.name if own else exc.allowed))
        return
    if update.callback_query is not None:
        await update.callback_query.edit_message_text(
            tr._("📊 Report {period}: the file is below.").format(
                period=_period_text(tr, period)))
    await context.bot.send_document(
        chat, InputFile(buffer.getvalue(), filename=file_name(result.period)),
        caption=caption(tr, result, contacts))


def caption(tr: Translator, result: ReportResult, contacts: bool) -> str:
    area = (tr._("Kecamatan {name}").format(name=html.escape(result.kecamatan_name or ""))
            if result.kecamatan else tr._("Whole kabupaten"))
    lines = [tr._("📊 <b>Programme report</b> {period}").format(
        period=_period_text(tr, result.period)), area]
    if result.is_empty:
        lines.append(tr._("There was no data in this period: the sheets hold only their "
                          "headers."))
    else:
        lines.append(" · ".join(f"{tr._(SHEET_LABELS[name])}: {tr.number(count)}"
                                for name, count in result.counts.items()))
    if contacts:
        lines.append(tr._("🔒 Contains phone numbers: keep the file safe and do not share it."))
    lines.append(tr._("The sheet \"Keterangan\" explains every column."))
    return "\n".join(lines)


@staff_only
async def type_tapped(update: Update, context: BerdayaContext) -> str:
    assert update.callback_query is not None
    await update.callback_query.answer()
    await _show(update, context.tr._(
        "✏️ Type the period, for example <i>1/11/2026 - 30/11/2026</i> or <i>1 November 2026 - "
        "30 November 2026</i> (at most one year). Send /batal to stop."))
    return TYPING


@staff_only
async def range_typed(update: Update, context: BerdayaContext) -> str | int:
    assert update.effective_message is not None
    try:
        period = parse_range(update.effective_message.text or "", _today(context))
    except ReportRefused as exc:
        await update.effective_message.reply_text(
            "⚠️ " + explain(context.tr, exc.problem) + "\n"
            + context.tr._("Type the period again, or send /batal to stop."))
        return TYPING
    await _after_period(update, context, period)
    return END


async def type_please(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.tr._(
        "Please type the period as text, for example 1/11/2026 - 30/11/2026, or send /batal."))
    return TYPING


async def cancelled(update: Update, context: BerdayaContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.tr._("Alright, no report."))
    return END


def register(application: Application) -> None:  # type: ignore[type-arg]
    free_text = filters.TEXT & ~filters.COMMAND & ~any_menu_button()
    application.add_handler(ConversationHandler(
        entry_points=[CommandHandler("ekspor", start),
                      CallbackQueryHandler(period_tapped, pattern=pattern(PERIOD)),
                      CallbackQueryHandler(place_tapped, pattern=pattern(PLACE)),
                      CallbackQueryHandler(contacts_tapped, pattern=pattern(CONTACTS)),
                      CallbackQueryHandler(type_tapped, pattern=pattern(TYPE))],
        states={TYPING: [MessageHandler(free_text, range_typed),
                         MessageHandler(~filters.COMMAND & ~any_menu_button(),
                                        type_please)]},
        fallbacks=[CommandHandler("batal", cancelled)],
        name="exports", persistent=True, allow_reentry=True,
        conversation_timeout=TYPING_TIMEOUT,
    ))
