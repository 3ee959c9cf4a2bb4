"""/tinjau_harga for facilitators: members' reports far from the others wait here.

One report at a time with its context (the kecamatan's recent median), publish or reject;
each decision is kept in the price audit log.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BerdayaContext
from bot.i18n import N_
from bot.services.prices_report import pending_count, pending_reports, review
from handlers.callbacks import pack, pattern, unpack
from handlers.commands import Command
from handlers.guards import staff_only
from handlers.prices_context import chat_id
from handlers.prices_input import settle
from handlers.prices_views import commodity_label

DECIDE = "rv"

COMMANDS = [Command("tinjau_harga", N_("Review members' price reports"), staff_only=True)]


async def _show_next(update: Update, context: BerdayaContext) -> None:
    tr = context.tr
    waiting = await pending_reports(context.runtime.sessionmaker, limit=1)
    if not waiting:
        await context.bot.send_message(chat_id(update), tr._(
            "✅ No members' reports are waiting for review."))
        return
    report = waiting[0]
    price = report.price
    total = await pending_count(context.runtime.sessionmaker)
    text = "\n".join([
        tr.ngettext("🔎 {n} report waits for review.", "🔎 {n} reports wait for review.",
                    total).format(n=total),
        "",
        tr._("{commodity} at {place}: <b>{price}</b> per {unit}, reported {date}.").format(
            commodity=html.escape(commodity_label(tr, report.commodity, price.quality)),
            place=html.escape(report.place.name), price=tr.rupiah(price.value),
            unit=price.unit, date=tr.short_date(price.observed_on)),
        tr._("It is far from the other recent reports. Publish it among the members' "
             "reports?"),
    ])
    await context.bot.send_message(chat_id(update), text, reply_markup=InlineKeyboardMarkup([[
        InlineKeyboardButton(tr._("✅ Show it"), callback_data=pack(DECIDE, price.id, 1)),
        InlineKeyboardButton(tr._("🗑 Reject"), callback_data=pack(DECIDE, price.id, 0)),
    ]]))


@staff_only
async def tinjau(update: Update, context: BerdayaContext) -> None:
    await _show_next(update, context)


@staff_only
async def decided(update: Update, context: BerdayaContext) -> None:
    query, member, tr = update.callback_query, context.member, context.tr
    assert query is not None and member is not None
    fields = unpack(update, int, int)
    if fields is None or fields[1] not in (0, 1):
        await query.answer()
        return
    price = await review(context.runtime.sessionmaker, fields[0], approve=bool(fields[1]),
                         reviewer_id=member.id, now=context.runtime.now())
    await query.answer()
    if price is None:
        note = tr._("Someone has already decided on this report.")
    else:
        note = tr._("✅ Published.") if fields[1] else tr._("🗑 Rejected.")
    await settle(update, note)
    await _show_next(update, context)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("tinjau_harga", tinjau))
    application.add_handler(CallbackQueryHandler(decided, pattern=pattern(DECIDE)))
