"""🔔 Price alerts by buttons: commodity (from its prices) → grade → above/below → amount.

The amounts offered are a few steps around today's reference price; any other amount can be
typed. "My alerts" lists them with a delete button each.
"""

from __future__ import annotations

import html
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.context import BerdayaContext
from bot.services.prices_alerts import MAX_ALERTS, create_alert, delete_alert, member_alerts
from bot.services.prices_query import PROPORTIONAL_QUALITY, overview, reference
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only
from handlers.prices_browse import MY_ALERTS
from handlers.prices_context import catalogue, chat_id, today
from handlers.prices_input import FREE_TEXT, conversation, read_price
from handlers.prices_views import (
    ALERT,
    SHOW,
    commodity_label,
    quality_field,
    quality_from_field,
    reference_lines,
)
from models.price import Commodity, Direction

KEY = "price_alert"
QUALITY, DIRECTION, AMOUNT = "quality", "direction", "amount"
GRADE, WAY, LIMIT, REMOVE = "alq", "ald", "alt", "px"
STEPS = {Direction.ABOVE: ("1.05", "1.1", "1.2"), Direction.BELOW: ("0.95", "0.9", "0.8")}
END = ConversationHandler.END


def _draft(context: BerdayaContext) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data.setdefault(KEY, {})


def nice_amount(value: Decimal, direction: str) -> Decimal:
    """Rounded outward to three significant digits: 15.330 → 15.400 for "above"."""
    step = Decimal(10) ** max(len(str(int(value))) - 3, 0)
    rounding = ROUND_CEILING if direction == Direction.ABOVE else ROUND_FLOOR
    return (value / step).to_integral_value(rounding) * step


async def _watchable(context: BerdayaContext, commodity: Commodity) -> dict[str, Decimal]:
    """Grades with a reference price today, and that price."""
    view = await overview(context.runtime.sessionmaker, await catalogue(context), commodity.id,
                          today(context))
    grades = {s.quality for s in view.series}
    if commodity.code in PROPORTIONAL_QUALITY and grades:
        grades |= {q.code for q in commodity.qualities}
    order = {q.code: q.position for q in commodity.qualities}
    found = {}
    for grade in sorted(grades, key=lambda g: order.get(g, -1)):
        value = reference(view, grade).value
        if value is not None:
            found[grade] = value
    return found


@registered_only
async def start(update: Update, context: BerdayaContext) -> str | int:
    query, tr = update.callback_query, context.tr
    assert query is not None and context.user_data is not None
    await query.answer()
    fields = unpack(update, int)
    commodity = (await catalogue(context)).commodity(fields[0]) if fields else None
    if commodity is None:
        return END
    watchable = await _watchable(context, commodity)
    if not watchable:
        await context.bot.send_message(chat_id(update), tr._(
            "There is no price for {commodity} yet, so there is nothing to watch.").format(
            commodity=html.escape(commodity.name(tr.language))))
        return END
    context.user_data[KEY] = {"cid": commodity.id}
    if len(watchable) == 1:
        return await _ask_direction(update, context, commodity, next(iter(watchable)))
    buttons = [InlineKeyboardButton(commodity_label(tr, commodity, grade),
                                    callback_data=pack(GRADE, quality_field(grade)))
               for grade in watchable]
    await context.bot.send_message(
        chat_id(update), tr._("🔔 Which price should I watch?"),
        reply_markup=InlineKeyboardMarkup([buttons[i:i + 2] for i in range(0, len(buttons), 2)]))
    return QUALITY


async def _commodity(context: BerdayaContext) -> Commodity | None:
    return (await catalogue(context)).commodity(int(_draft(context).get("cid", 0)))


async def quality_tapped(update: Update, context: BerdayaContext) -> str:
    assert update.callback_query is not None
    await update.callback_query.answer()
    fields = unpack(update, str)
    commodity = await _commodity(context)
    if fields is None or commodity is None:
        return QUALITY
    grade = quality_from_field(fields[0])
    if grade not in await _watchable(context, commodity):
        return QUALITY
    return await _ask_direction(update, context, commodity, grade)


async def _ask_direction(update: Update, context: BerdayaContext, commodity: Commodity,
                         grade: str) -> str:
    tr = context.tr
    _draft(context)["quality"] = grade
    view = await overview(context.runtime.sessionmaker, await catalogue(context), commodity.id,
                          today(context))
    text = "\n".join([tr._("🔔 <b>{commodity}</b>: the price today").format(
        commodity=html.escape(commodity_label(tr, commodity, grade))),
        *reference_lines(tr, reference(view, grade)), "",
        tr._("Tell you when it goes…")])
    await context.bot.send_message(chat_id(update), text, reply_markup=InlineKeyboardMarkup([[
        InlineKeyboardButton(tr._("📈 above an amount"), callback_data=pack(WAY, Direction.ABOVE)),
        InlineKeyboardButton(tr._("📉 below an amount"), callback_data=pack(WAY, Direction.BELOW)),
    ]]))
    return DIRECTION


async def direction_tapped(update: Update, context: BerdayaContext) -> str:
    assert update.callback_query is not None
    await update.callback_query.answer()
    fields, tr, draft = unpack(update, str), context.tr, _draft(context)
    commodity = await _commodity(context)
    if fields is None or commodity is None or fields[0] not in STEPS:
        return DIRECTION
    draft["direction"] = fields[0]
    current = (await _watchable(context, commodity)).get(draft.get("quality", ""))
    amounts = [nice_amount(current * Decimal(f), fields[0]) for f in STEPS[fields[0]]] \
        if current is not None else []
    question = (tr._("Above which amount? Tap one or type another amount.")
                if fields[0] == Direction.ABOVE
                else tr._("Below which amount? Tap one or type another amount."))
    await context.bot.send_message(chat_id(update), question, reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton(tr.rupiah(a), callback_data=pack(LIMIT, int(a)))
          for a in dict.fromkeys(amounts)]]) if amounts else None)
    return AMOUNT


async def amount_tapped(update: Update, context: BerdayaContext) -> str | int:
    assert update.callback_query is not None
    await update.callback_query.answer()
    fields = unpack(update, int)
    if fields is None or fields[0] <= 0:
        return AMOUNT
    return await _create(update, context, Decimal(fields[0]))


async def amount_typed(update: Update, context: BerdayaContext) -> str | int:
    message = update.effective_message
    assert message is not None and message.text is not None
    commodity = await _commodity(context)
    if commodity is None:
        return END
    value, problem = read_price(context.tr, message.text, commodity)
    if value is None:
        await message.reply_text(problem)
        return AMOUNT
    return await _create(update, context, value)


async def _create(update: Update, context: BerdayaContext, threshold: Decimal) -> str | int:
    tr, draft, member = context.tr, _draft(context), context.member
    commodity = await _commodity(context)
    if commodity is None or member is None or "direction" not in draft:
        return END
    direction = Direction(draft["direction"])
    grade = str(draft.get("quality", ""))
    made = await create_alert(
        context.runtime.sessionmaker, await catalogue(context), member_id=member.id,
        commodity_id=commodity.id, quality=grade, direction=direction, threshold=threshold,
        today=today(context), now=context.runtime.now())
    assert context.user_data is not None
    context.user_data.pop(KEY, None)
    name = html.escape(commodity_label(tr, commodity, grade))
    amount = tr.rupiah(threshold)
    if made.too_many:
        text = tr._("You already have {n} alerts, the most allowed. Delete one under "
                    "“🔔 My alerts” first.").format(n=MAX_ALERTS)
    elif made.alert is None:
        text = tr._("You already have this alert.")
    else:
        text = (tr._("🔔 Done! I will tell you once when {commodity} goes above {amount}.")
                if direction == Direction.ABOVE else
                tr._("🔔 Done! I will tell you once when {commodity} goes below {amount}.")
                ).format(commodity=name, amount=amount)
        if made.alert.beyond:
            text += "\n" + tr._("It is already past that amount today, so I will tell you "
                                "after it crosses back and then again.")
    await context.bot.send_message(chat_id(update), text, reply_markup=InlineKeyboardMarkup([[
        InlineKeyboardButton(tr._("🔔 My alerts"), callback_data=pack(MY_ALERTS)),
        InlineKeyboardButton(tr._("◀ Prices"), callback_data=pack(SHOW, commodity.id))]]))
    return END


async def _alerts_view(context: BerdayaContext) -> tuple[str, InlineKeyboardMarkup | None]:
    tr, member = context.tr, context.member
    assert member is not None
    found = await catalogue(context)
    alerts = await member_alerts(context.runtime.sessionmaker, member.id)
    if not alerts:
        return tr._("You have no price alerts. Open a commodity in /harga and tap "
                    "🔔 Alert me."), None
    lines, rows = [tr._("🔔 <b>Your price alerts</b>")], []
    for alert in alerts:
        commodity = found.commodity(alert.commodity_id)
        if commodity is None:
            continue
        name = commodity_label(tr, commodity, alert.quality)
        line = (tr._("{commodity} above {amount}") if alert.direction == Direction.ABOVE
                else tr._("{commodity} below {amount}")).format(
            commodity=name, amount=tr.rupiah(alert.threshold))
        lines.append("• " + html.escape(line))
        rows.append([InlineKeyboardButton("🗑 " + line, callback_data=pack(REMOVE, alert.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


@registered_only
async def my_alerts(update: Update, context: BerdayaContext) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()
    text, markup = await _alerts_view(context)
    await context.bot.send_message(chat_id(update), text, reply_markup=markup)


@registered_only
async def remove_tapped(update: Update, context: BerdayaContext) -> None:
    query, member, tr = update.callback_query, context.member, context.tr
    assert query is not None and member is not None
    fields = unpack(update, int)
    removed = fields is not None and await delete_alert(context.runtime.sessionmaker,
                                                        member.id, fields[0])
    await query.answer(tr._("Alert deleted.") if removed else None)
    text, markup = await _alerts_view(context)
    await query.edit_message_text(text, reply_markup=markup)



def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(conversation(
        "price_alert", KEY,
        entry_points=[CallbackQueryHandler(start, pattern=pattern(ALERT))],
        states={
            QUALITY: [CallbackQueryHandler(quality_tapped, pattern=pattern(GRADE))],
            DIRECTION: [CallbackQueryHandler(direction_tapped, pattern=pattern(WAY))],
            AMOUNT: [CallbackQueryHandler(amount_tapped, pattern=pattern(LIMIT)),
                     MessageHandler(FREE_TEXT, amount_typed)],
        },
    ))
    application.add_handler(CallbackQueryHandler(my_alerts, pattern=pattern(MY_ALERTS)))
    application.add_handler(CallbackQueryHandler(remove_tapped, pattern=pattern(REMOVE)))
