"""/cek_harga: is the trader's offer fair? And "laporan warga": recording that offer.

Commodity → its grade when it matters (KKK for rubber, palm age for TBS…) → the offer →
compared with the farm-gate median and the set price, in plain words.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
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
from bot.services import prices
from bot.services.prices_parse import MAX_PRICE
from bot.services.prices_query import STALE_DAYS, Reference, overview, reference, usual_price
from bot.services.prices_report import report_offer
from bot.services.prices_stats import is_absurd, percent_difference
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only
from handlers.prices_context import catalogue, chat_id, kecamatan, today
from handlers.prices_input import FREE_TEXT, conversation, read_price, settle
from handlers.prices_views import (
    CHECK,
    SHOW,
    commodity_buttons,
    commodity_label,
    quality_buttons,
    quality_field,
    quality_from_field,
    reference_lines,
)
from models.price import Commodity, Level

KEY = "price_check"
COMMODITY, QUALITY, OFFER, ABSURD = "commodity", "quality", "offer", "absurd"
PICK, GRADE, SURE, RECORD = "ckc", "ckq", "cka", "ckr"
AROUND_PERCENT = Decimal(3)
END = ConversationHandler.END
QUALITY_QUESTIONS = {
    "karet": N_("What is the dry rubber content (KKK) of your rubber? If you do not know, tap "
                "“I don't know”."),
    "tbs": N_("How old are the palms the fruit comes from?"),
}


def _draft(context: BerdayaContext) -> dict[str, object]:
    assert context.user_data is not None
    return context.user_data.setdefault(KEY, {})


@registered_only
async def start(update: Update, context: BerdayaContext) -> str:
    """/cek_harga [commodity]."""
    assert context.user_data is not None
    context.user_data[KEY] = {}
    found = await catalogue(context)
    if context.args:
        match = found.match_commodity(" ".join(context.args))
        if match.key is not None:
            return await _commodity_known(update, context, int(match.key))
    return await _ask_commodity(update, context)


@registered_only
async def start_for(update: Update, context: BerdayaContext) -> str:
    """⚖️ under a commodity's prices."""
    assert context.user_data is not None and update.callback_query is not None
    await update.callback_query.answer()
    context.user_data[KEY] = {}
    fields = unpack(update, int)
    if fields is None or (await catalogue(context)).commodity(fields[0]) is None:
        return await _ask_commodity(update, context)
    return await _commodity_known(update, context, fields[0])


async def _ask_commodity(update: Update, context: BerdayaContext) -> str:
    member = context.member
    assert member is not None
    found = await catalogue(context)
    menu = await prices.commodity_menu(context.runtime.sessionmaker, found, member.id,
                                       await kecamatan(context), today(context))
    await context.bot.send_message(
        chat_id(update), context.tr._("⚖️ Which commodity did the trader make an offer for?"),
        reply_markup=InlineKeyboardMarkup(
            commodity_buttons(context.tr, found, menu.commodity_ids, menu.followed, PICK)))
    return COMMODITY


async def commodity_tapped(update: Update, context: BerdayaContext) -> str:
    assert update.callback_query is not None
    await update.callback_query.answer()
    fields = unpack(update, int)
    if fields is None or (await catalogue(context)).commodity(fields[0]) is None:
        return COMMODITY
    return await _commodity_known(update, context, fields[0])


async def commodity_typed(update: Update, context: BerdayaContext) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    match = (await catalogue(context)).match_commodity(message.text)
    if match.key is None:
        await message.reply_text(context.tr._(
            "I do not know “{word}”. Please tap one of the buttons above.").format(
            word=html.escape(message.text[:40])))
        return COMMODITY
    return await _commodity_known(update, context, int(match.key))


async def _commodity_known(update: Update, context: BerdayaContext, commodity_id: int) -> str:
    tr = context.tr
    commodity = (await catalogue(context)).commodity(commodity_id)
    assert commodity is not None
    draft = _draft(context)
    draft["cid"] = commodity_id
    if not commodity.qualities:
        draft["quality"] = ""
        return await _ask_offer(update, context, commodity)
    question = QUALITY_QUESTIONS.get(commodity.code, N_("Which kind is it?"))
    await context.bot.send_message(chat_id(update), tr._(question), reply_markup=(
        InlineKeyboardMarkup(quality_buttons(tr, commodity, GRADE, unknown=tr._("I don't know")))))
    return QUALITY


async def quality_tapped(update: Update, context: BerdayaContext) -> str:
    assert update.callback_query is not None
    await update.callback_query.answer()
    fields = unpack(update, str)
    draft = _draft(context)
    commodity = (await catalogue(context)).commodity(int(str(draft.get("cid", 0))))
    quality = quality_from_field(fields[0]) if fields else None
    if commodity is None or quality is None or (quality and commodity.quality(quality) is None):
        return QUALITY
    draft["quality"] = quality
    return await _ask_offer(update, context, commodity)


async def _ask_offer(update: Update, context: BerdayaContext, commodity: Commodity) -> str:
    tr = context.tr
    await context.bot.send_message(chat_id(update), tr._(
        "How much did the trader offer per {unit} for {commodity}? Type the amount, for "
        "example 14.500.").format(unit=commodity.unit, commodity=html.escape(
            commodity_label(tr, commodity, str(_draft(context).get("quality", ""))))))
    return OFFER


async def offer_typed(update: Update, context: BerdayaContext) -> str | int:
    message = update.effective_message
    assert message is not None and message.text is not None
    draft = _draft(context)
    found = await catalogue(context)
    commodity = found.commodity(int(str(draft.get("cid", 0))))
    if commodity is None:
        return await _ask_commodity(update, context)
    value, problem = read_price(context.tr, message.text, commodity)
    if value is None:
        await message.reply_text(problem)
        return OFFER
    quality = str(draft.get("quality", ""))
    usual = await usual_price(context.runtime.sessionmaker, commodity.id, quality,
                              Level.PRODUSEN, today(context))
    if is_absurd(value, usual):
        assert usual is not None
        draft["offer"] = str(value)
        tr = context.tr
        await message.reply_text(
            tr._("{price} is far from the usual price of about {usual}. Is that right?").format(
                price=tr.rupiah(value), usual=tr.rupiah(usual)),
            reply_markup=InlineKeyboardMarkup([[
                InlineKeyboardButton(tr._("Yes, that is right"), callback_data=pack(SURE, 1)),
                InlineKeyboardButton(tr._("No, type again"), callback_data=pack(SURE, 0)),
            ]]))
        return ABSURD
    return await _verdict(update, context, commodity, quality, value)


async def offer_not_text(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.tr._(
        "Please type the amount with the keyboard, for example 14.500."))
    return OFFER


async def absurd_answered(update: Update, context: BerdayaContext) -> str | int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    fields = unpack(update, int)
    draft = _draft(context)
    commodity = (await catalogue(context)).commodity(int(str(draft.get("cid", 0))))
    if fields is None or commodity is None or "offer" not in draft:
        return ABSURD
    await settle(update)
    if not fields[0]:
        return await _ask_offer(update, context, commodity)
    return await _verdict(update, context, commodity, str(draft.get("quality", "")),
                          Decimal(str(draft["offer"])))


async def _verdict(update: Update, context: BerdayaContext, commodity: Commodity,
                   quality: str, offer: Decimal) -> int:
    tr, day = context.tr, today(context)
    assert context.user_data is not None
    context.user_data.pop(KEY, None)
    view = await overview(context.runtime.sessionmaker, await catalogue(context), commodity.id,
                          day, await kecamatan(context))
    current = reference(view, quality)
    text = verdict_text(tr, commodity, quality, offer, current, day)
    rows = [
        [InlineKeyboardButton(tr._("📝 Report this offer"), callback_data=pack(
            RECORD, commodity.id, quality_field(quality), int(offer)))],
        [InlineKeyboardButton(tr._("⚖️ Check again"), callback_data=pack(CHECK, commodity.id)),
         InlineKeyboardButton(tr._("◀ Prices"), callback_data=pack(SHOW, commodity.id))],
    ]
    await context.bot.send_message(chat_id(update), text,
                                   reply_markup=InlineKeyboardMarkup(rows))
    return END


def verdict_text(tr: Translator, commodity: Commodity, quality: str, offer: Decimal,
                 current: Reference, day: date) -> str:
    lines = [tr._("⚖️ <b>Trader's offer: {price}</b> per {unit}, {commodity}").format(
        price=tr.rupiah(offer), unit=commodity.unit,
        commodity=html.escape(commodity_label(tr, commodity, quality)))]
    usual = current.value
    if usual is None:
        lines += ["", tr._("There is no recent reference price for this yet, so I cannot "
                           "compare. Reporting the offer helps other farmers.")]
        return "\n".join(lines)
    lines += ["", tr._("Reference prices:"), *reference_lines(tr, current), ""]
    difference, percent = offer - usual, abs(percent_difference(offer, usual))
    amount = tr.rupiah(abs(difference))
    basis = (tr._("the farm-gate price") if current.farm_gate is not None
             else tr._("the official set price"))
    if percent <= AROUND_PERCENT:
        lines.append(tr._("👍 The offer is <b>about the same</b> as {basis} ({amount}, "
                          "{percent}% difference). A fair offer.").format(
            basis=basis, amount=amount, percent=tr.number(percent)))
    elif difference < 0:
        lines.append(tr._("👉 The offer is <b>below</b> {basis}: {amount} less ({percent}%). "
                          "You could ask for more, or ask another trader.").format(
            basis=basis, amount=amount, percent=tr.number(percent)))
    else:
        lines.append(tr._("✅ The offer is <b>above</b> {basis}: {amount} more ({percent}%). "
                          "A good offer.").format(
            basis=basis, amount=amount, percent=tr.number(percent)))
    newest = max(d for d in (current.farm_gate_on, current.set_price and (
        current.set_price.valid_until or current.set_price.observed_on)) if d)
    if (day - newest) > timedelta(days=STALE_DAYS):
        lines.append(tr._("⚠️ The reference is from {date}; prices may have changed since.")
                     .format(date=tr.short_date(newest)))
    return "\n".join(lines)


@registered_only
async def record_tapped(update: Update, context: BerdayaContext) -> None:
    """📝 under a verdict: the offer joins the members' reports of the kecamatan."""
    query, member, tr = update.callback_query, context.member, context.tr
    assert query is not None and member is not None
    fields = unpack(update, int, str, int)
    found = await catalogue(context)
    commodity = found.commodity(fields[0]) if fields else None
    quality = quality_from_field(fields[1]) if fields else ""
    if (fields is None or commodity is None or not 0 < fields[2] <= MAX_PRICE
            or (quality and commodity.quality(quality) is None)):
        await query.answer()
        return
    place = found.farm_gate(await kecamatan(context))
    if place is None:
        await query.answer(tr._("I do not know your kecamatan, so I cannot file the report. "
                                "Set your desa in /profil."), show_alert=True)
        return
    report = await report_offer(
        context.runtime.sessionmaker, commodity_id=commodity.id, quality=quality,
        value=Decimal(fields[2]), place=place, member_id=member.id, today=today(context),
        now=context.runtime.now())
    await query.answer()
    await settle(update)
    if report.pending:
        text = tr._("Thank you! Your report is far from the others, so a facilitator will "
                    "check it before it is shown.")
    else:
        text = tr._("Thank you! Your report is now among the members' reports for {place}. "
                    "It helps other farmers.").format(place=html.escape(place.name))
    await context.bot.send_message(chat_id(update), text)



def register(application: Application) -> None:  # type: ignore[type-arg]
    not_text = ~filters.TEXT & ~filters.StatusUpdate.ALL
    application.add_handler(conversation(
        "price_check", KEY,
        entry_points=[CommandHandler("cek_harga", start),
                      CallbackQueryHandler(start_for, pattern=pattern(CHECK))],
        states={
            COMMODITY: [CallbackQueryHandler(commodity_tapped, pattern=pattern(PICK)),
                        MessageHandler(FREE_TEXT, commodity_typed)],
            QUALITY: [CallbackQueryHandler(quality_tapped, pattern=pattern(GRADE))],
            OFFER: [MessageHandler(FREE_TEXT, offer_typed),
                    MessageHandler(not_text, offer_not_text)],
            ABSURD: [CallbackQueryHandler(absurd_answered, pattern=pattern(SURE))],
        },
    ))
    application.add_handler(CallbackQueryHandler(record_tapped, pattern=pattern(RECORD)))
