"""/lapor_harga for facilitators: commodity → (grade) → place → level → price → confirm.

Buttons at every step (typing the commodity or place also works). A price far from the usual
one asks once more before it goes on; the summary says when it will replace a price already
recorded for that day.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.context import BerdayaContext
from bot.i18n import N_
from bot.jobs import prices as price_jobs
from bot.services.prices import LEVEL_NAMES, Catalogue
from bot.services.prices_query import usual_price
from bot.services.prices_report import pending_count, record_price, same_day_price
from bot.services.prices_stats import is_absurd
from handlers.callbacks import pack, pattern, unpack
from handlers.commands import Command
from handlers.guards import staff_only
from handlers.prices_context import catalogue, chat_id, kecamatan, today
from handlers.prices_input import FREE_TEXT, cancel_for, conversation, read_price, settle
from handlers.prices_views import (
    commodity_buttons,
    commodity_label,
    quality_buttons,
    quality_from_field,
)
from models.price import Commodity, Level, PlaceKind, PricePoint

KEY = "price_report"
COMMODITY, QUALITY, PLACE, LEVEL, PRICE, ABSURD, CONFIRM = (
    "commodity", "quality", "place", "level", "price", "absurd", "confirm")
PICK, GRADE, WHERE, FARMS, HOW, SURE, DAY, SAVE, RETYPE, QUIT, AGAIN = (
    "lrc", "lrq", "lrp", "lrk", "lrl", "lra", "lrd", "lrs", "lrv", "lrx", "lrn")
END = ConversationHandler.END
LEVELS_AT = {
    PlaceKind.SET_PRICE: [Level.PENETAPAN],
    PlaceKind.FARM_GATE: [Level.PRODUSEN],
    PlaceKind.MARKET: [Level.PRODUSEN, Level.GROSIR, Level.ECERAN],
    PlaceKind.REFERENCE: [Level.PRODUSEN, Level.GROSIR, Level.ECERAN, Level.PENETAPAN],
}
DAY_LABELS = [N_("Today"), N_("Yesterday"), N_("2 days ago")]

COMMANDS = [Command("lapor_harga", N_("Record a market price"), staff_only=True)]


def _draft(context: BerdayaContext) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data.setdefault(KEY, {})


async def _loaded(context: BerdayaContext) -> tuple[Catalogue, Commodity | None,
                                                    PricePoint | None]:
    found, draft = await catalogue(context), _draft(context)
    return found, found.commodity(draft.get("cid", 0)), found.place(draft.get("pid", 0))


async def _say(update: Update, context: BerdayaContext, text: str,
               rows: list[list[InlineKeyboardButton]] | None = None) -> None:
    await context.bot.send_message(chat_id(update), text,
                                   reply_markup=InlineKeyboardMarkup(rows) if rows else None)


async def _tapped(update: Update, *kinds: Any) -> list[Any] | None:
    assert update.callback_query is not None
    await update.callback_query.answer()
    return unpack(update, *kinds)


@staff_only
async def start(update: Update, context: BerdayaContext) -> str:
    assert context.user_data is not None
    context.user_data[KEY] = {}
    if update.callback_query is not None:
        await update.callback_query.answer()
    tr, found = context.tr, await catalogue(context)
    waiting = await pending_count(context.runtime.sessionmaker)
    text = tr._("📝 <b>Record a price.</b> Which commodity?")
    if waiting:
        text += "\n" + tr.ngettext(
            "({n} member's report waits for your review: /tinjau_harga)",
            "({n} members' reports wait for your review: /tinjau_harga)", waiting).format(
            n=waiting)
    ids = [c.id for c in found.commodities]
    await _say(update, context, text, commodity_buttons(tr, found, ids, frozenset(), PICK))
    return COMMODITY


async def commodity_tapped(update: Update, context: BerdayaContext) -> str:
    fields = await _tapped(update, int)
    found = await catalogue(context)
    commodity = found.commodity(fields[0]) if fields else None
    return await _commodity_chosen(update, context, commodity) if commodity else COMMODITY


async def commodity_typed(update: Update, context: BerdayaContext) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    found = await catalogue(context)
    match = found.match_commodity(message.text)
    commodity = found.commodity(int(match.key)) if match.key is not None else None
    if commodity is not None:
        return await _commodity_chosen(update, context, commodity)
    tr = context.tr
    rows = [[InlineKeyboardButton(c.name(tr.language), callback_data=pack(PICK, c.id))]
            for key in match.suggestions if (c := found.commodity(int(key)))]
    await _say(update, context, (tr._("I do not know “{word}”. Did you mean:") if rows else tr._(
        "I do not know “{word}”. Please tap one of the buttons above.")).format(
        word=html.escape(message.text[:40])), rows)
    return COMMODITY


async def _commodity_chosen(update: Update, context: BerdayaContext,
                            commodity: Commodity) -> str:
    draft = _draft(context)
    draft.update(cid=commodity.id, quality="")
    if not commodity.qualities:
        return await _ask_place(update, context)
    tr = context.tr
    name = commodity.quality_id if tr.language == "id" else commodity.quality_en
    await _say(update, context, tr._("{commodity}: which {grade}?").format(
        commodity=html.escape(commodity.name(tr.language)), grade=html.escape(name or "")),
        quality_buttons(tr, commodity, GRADE, unknown=tr._("Not graded")))
    return QUALITY


async def quality_tapped(update: Update, context: BerdayaContext) -> str:
    fields = await _tapped(update, str)
    _, commodity, _place = await _loaded(context)
    quality = quality_from_field(fields[0]) if fields else None
    if commodity is None or quality is None or (quality and commodity.quality(quality) is None):
        return QUALITY
    _draft(context)["quality"] = quality
    return await _ask_place(update, context)


async def _ask_place(update: Update, context: BerdayaContext, farms: bool = False) -> str:
    tr, found = context.tr, await catalogue(context)
    own = found.farm_gate(await kecamatan(context))
    if farms:
        places = [p for p in found.places if p.kind == PlaceKind.FARM_GATE]
    else:
        places = [p for p in found.places if p.kind != PlaceKind.FARM_GATE]
        places += [own] if own else []
    buttons = [InlineKeyboardButton(p.name, callback_data=pack(WHERE, p.id)) for p in places]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(tr._("◀ Markets") if farms else
                                      tr._("🌾 Farm gate in another kecamatan"),
                                      callback_data=pack(FARMS, 0 if farms else 1))])
    await _say(update, context, tr._("Where was the price taken? Tap a place or type its name."),
               rows)
    return PLACE


async def farms_tapped(update: Update, context: BerdayaContext) -> str:
    fields = await _tapped(update, int)
    return await _ask_place(update, context, farms=bool(fields and fields[0]))


async def place_tapped(update: Update, context: BerdayaContext) -> str:
    fields = await _tapped(update, int)
    place = (await catalogue(context)).place(fields[0]) if fields else None
    return await _place_chosen(update, context, place) if place else PLACE


async def place_typed(update: Update, context: BerdayaContext) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    found = await catalogue(context)
    match = found.match_place(message.text)
    place = found.place(int(match.key)) if match.key is not None else None
    if place is not None:
        return await _place_chosen(update, context, place)
    await message.reply_text(context.tr._("I do not know the place “{word}”. Please tap one of "
                                          "the buttons above.").format(
        word=html.escape(message.text[:40])))
    return PLACE


async def _place_chosen(update: Update, context: BerdayaContext, place: PricePoint) -> str:
    draft, tr = _draft(context), context.tr
    draft["pid"] = place.id
    levels = LEVELS_AT[PlaceKind(place.kind)]
    if len(levels) == 1:
        draft["level"] = levels[0]
        return await _ask_price(update, context)
    await _say(update, context, tr._("At {place}, which price is it?").format(
        place=html.escape(place.name)),
        [[InlineKeyboardButton(tr._(LEVEL_NAMES[level]), callback_data=pack(HOW, level))]
         for level in levels])
    return LEVEL


async def level_tapped(update: Update, context: BerdayaContext) -> str:
    fields = await _tapped(update, str)
    _, _commodity, place = await _loaded(context)
    if fields is None or place is None or fields[0] not in LEVELS_AT[PlaceKind(place.kind)]:
        return LEVEL
    _draft(context)["level"] = fields[0]
    return await _ask_price(update, context)


async def _ask_price(update: Update, context: BerdayaContext) -> str:
    tr = context.tr
    _, commodity, _place = await _loaded(context)
    assert commodity is not None
    await _say(update, context, tr._(
        "What is the price per {unit}? For example 14.500, Rp 14,5 rb or 1,2 jt.").format(
        unit=commodity.unit))
    return PRICE


async def price_typed(update: Update, context: BerdayaContext) -> str:
    message, tr, draft = update.effective_message, context.tr, _draft(context)
    assert message is not None and message.text is not None
    _, commodity, _place = await _loaded(context)
    if commodity is None:
        return await start(update, context)
    value, problem = read_price(tr, message.text, commodity)
    if value is None:
        await message.reply_text(problem)
        return PRICE
    draft.update(value=str(value), days_ago=0)
    usual = await usual_price(context.runtime.sessionmaker, commodity.id, draft["quality"],
                              draft["level"], today(context))
    if is_absurd(value, usual):
        assert usual is not None
        await _say(update, context, tr._(
            "⚠️ {price} is more than ten times away from the usual price of about {usual} "
            "(median of the last 90 days). Is it really right?").format(
            price=tr.rupiah(value), usual=tr.rupiah(usual)),
            [[InlineKeyboardButton(tr._("Yes, it is right"), callback_data=pack(SURE, 1)),
              InlineKeyboardButton(tr._("No, type again"), callback_data=pack(SURE, 0))]])
        return ABSURD
    return await _confirm(update, context)


async def absurd_answered(update: Update, context: BerdayaContext) -> str:
    fields = await _tapped(update, int)
    if fields is None or "value" not in _draft(context):
        return ABSURD
    await settle(update)
    return await _confirm(update, context) if fields[0] else await _ask_price(update, context)


def _day(context: BerdayaContext) -> date:
    return today(context) - timedelta(days=int(_draft(context).get("days_ago", 0)))


async def _confirm(update: Update, context: BerdayaContext, edit: bool = False) -> str:
    tr, draft = context.tr, _draft(context)
    _, commodity, place = await _loaded(context)
    assert commodity is not None and place is not None
    value, day, level = Decimal(draft["value"]), _day(context), draft["level"]
    earlier = await same_day_price(
        context.runtime.sessionmaker, commodity_id=commodity.id, place_id=place.id,
        level=level, quality=draft["quality"], observed_on=day)
    lines = [
        tr._("📝 <b>Please check the price</b>"),
        tr._("Commodity: {name}").format(
            name=html.escape(commodity_label(tr, commodity, draft["quality"]))),
        tr._("Place: {place}").format(place=html.escape(place.name)),
        tr._("Level: {level}").format(level=tr._(LEVEL_NAMES[level])),
        tr._("Price: <b>{price}</b> per {unit}").format(price=tr.rupiah(value),
                                                        unit=commodity.unit),
        tr._("Date: {date}").format(date=tr.date(day)),
    ]
    if earlier is not None:
        lines += ["", tr._("⚠️ {price} is already recorded for that day; this will replace "
                           "it (the change is kept in the audit log).").format(
            price=tr.rupiah(earlier))]
    ago = int(draft.get("days_ago", 0))
    rows = [
        [InlineKeyboardButton(tr._("✅ Save"), callback_data=pack(SAVE))],
        [InlineKeyboardButton(("✓ " if i == ago else "") + tr._(label),
                              callback_data=pack(DAY, i)) for i, label in enumerate(DAY_LABELS)],
        [InlineKeyboardButton(tr._("✏️ Change the price"), callback_data=pack(RETYPE)),
         InlineKeyboardButton(tr._("✖️ Cancel"), callback_data=pack(QUIT))],
    ]
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))
    else:
        await _say(update, context, "\n".join(lines), rows)
    return CONFIRM


async def day_tapped(update: Update, context: BerdayaContext) -> str:
    fields = await _tapped(update, int)
    if fields is None or not 0 <= fields[0] < len(DAY_LABELS):
        return CONFIRM
    _draft(context)["days_ago"] = fields[0]
    return await _confirm(update, context, edit=True)


async def retype_tapped(update: Update, context: BerdayaContext) -> str:
    await _tapped(update)
    return await _ask_price(update, context)


async def save_tapped(update: Update, context: BerdayaContext) -> int:
    await _tapped(update)
    tr, draft, member = context.tr, _draft(context), context.member
    _, commodity, place = await _loaded(context)
    if commodity is None or place is None or "value" not in draft or member is None:
        return END
    recorded = await record_price(
        context.runtime.sessionmaker, commodity_id=commodity.id, place_id=place.id,
        level=draft["level"], quality=draft["quality"], value=Decimal(draft["value"]),
        observed_on=_day(context), reported_by=member.id, now=context.runtime.now())
    assert context.user_data is not None
    context.user_data.pop(KEY, None)
    await settle(update)
    text = tr._("✅ Saved: {commodity} at {place}, {price} per {unit}, {date}.").format(
        commodity=html.escape(commodity_label(tr, commodity, recorded.price.quality)),
        place=html.escape(place.name), price=tr.rupiah(recorded.price.value),
        unit=commodity.unit, date=tr.short_date(recorded.price.observed_on))
    if recorded.replaced is not None:
        text += "\n" + tr._("It replaces {price}.").format(price=tr.rupiah(recorded.replaced))
    await _say(update, context, text,
               [[InlineKeyboardButton(tr._("➕ Record another price"), callback_data=pack(AGAIN))]])
    if context.application.job_queue is not None:
        context.application.job_queue.run_once(_alerts_now, 0)
    return END


async def _alerts_now(context: BerdayaContext) -> None:
    await price_jobs.check_alerts(context.application)



def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(conversation(
        "price_report", KEY,
        entry_points=[CommandHandler("lapor_harga", start),
                      CallbackQueryHandler(start, pattern=pattern(AGAIN))],
        states={
            COMMODITY: [CallbackQueryHandler(commodity_tapped, pattern=pattern(PICK)),
                        MessageHandler(FREE_TEXT, commodity_typed)],
            QUALITY: [CallbackQueryHandler(quality_tapped, pattern=pattern(GRADE))],
            PLACE: [CallbackQueryHandler(place_tapped, pattern=pattern(WHERE)),
                    CallbackQueryHandler(farms_tapped, pattern=pattern(FARMS)),
                    MessageHandler(FREE_TEXT, place_typed)],
            LEVEL: [CallbackQueryHandler(level_tapped, pattern=pattern(HOW))],
            PRICE: [MessageHandler(FREE_TEXT, price_typed)],
            ABSURD: [CallbackQueryHandler(absurd_answered, pattern=pattern(SURE))],
            CONFIRM: [CallbackQueryHandler(save_tapped, pattern=pattern(SAVE)),
                      CallbackQueryHandler(day_tapped, pattern=pattern(DAY)),
                      CallbackQueryHandler(retype_tapped, pattern=pattern(RETYPE)),
                      CallbackQueryHandler(cancel_for(KEY), pattern=pattern(QUIT))],
        },
    ))
