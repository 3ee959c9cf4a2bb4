"""/harga and 💰: commodity buttons (the member's own first), the latest prices, charts."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BerdayaContext
from bot.services import prices
from bot.services.price_charts import price_chart
from bot.services.prices_query import chart_qualities, overview
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only
from handlers.menu import PRICES, menu_button
from handlers.prices_context import catalogue, chat_id, kecamatan, today
from handlers.prices_views import (
    CHART,
    FOLLOW,
    LIST,
    SHOW,
    commodity_buttons,
    commodity_label,
    overview_markup,
    overview_text,
    quality_field,
    quality_from_field,
)

log = logging.getLogger("berdaya.prices")

DIGEST, MY_ALERTS = "pd", "pm"
CHART_DAYS = (30, 90)
TYPED = filters.Regex(r"(?i)^\s*(harga|price)\s+\S") & ~filters.COMMAND


async def list_markup(context: BerdayaContext) -> InlineKeyboardMarkup:
    tr, member = context.tr, context.member
    assert member is not None
    sessionmaker = context.runtime.sessionmaker
    found = await catalogue(context)
    menu = await prices.commodity_menu(sessionmaker, found, member.id, await kecamatan(context),
                                       today(context))
    digest = await prices.digest_enabled(sessionmaker, member.id)
    rows = commodity_buttons(tr, found, menu.commodity_ids, menu.followed, SHOW)
    rows.append([
        InlineKeyboardButton(tr._("🔔 My alerts"), callback_data=pack(MY_ALERTS)),
        InlineKeyboardButton(tr._("☀️ Morning summary: on") if digest
                             else tr._("☀️ Morning summary: off"),
                             callback_data=pack(DIGEST)),
    ])
    return InlineKeyboardMarkup(rows)


def list_text(context: BerdayaContext) -> str:
    return context.tr._("💰 <b>Market prices</b>\nWhich commodity? Your own (⭐) come first. "
                        "You can also type, for example: /harga kopi")


@registered_only
async def harga(update: Update, context: BerdayaContext) -> None:
    """/harga, 💰, "/harga kopi" and "harga karet": the list, or one commodity at once."""
    message = update.effective_message
    assert message is not None and message.text is not None
    wanted = ""
    if context.args is not None:
        wanted = " ".join(context.args)
    elif TYPED.check_update(update):
        wanted = message.text.split(maxsplit=1)[1]
    if not wanted:
        await message.reply_text(list_text(context), reply_markup=await list_markup(context))
        return
    found = await catalogue(context)
    match = found.match_commodity(wanted)
    if match.key is not None:
        await show(update, context, int(match.key))
        return
    tr = context.tr
    suggestions = [c for key in match.suggestions if (c := found.commodity(int(key)))]
    rows = [[InlineKeyboardButton(c.name(tr.language), callback_data=pack(SHOW, c.id))]
            for c in suggestions]
    rows.append([InlineKeyboardButton(tr._("📋 All commodities"), callback_data=pack(LIST))])
    text = (tr._("I do not know “{word}”. Did you mean one of these?") if suggestions
            else tr._("I do not know “{word}”. Please choose from the list."))
    await message.reply_text(text.format(word=html.escape(wanted[:40])),
                             reply_markup=InlineKeyboardMarkup(rows))


async def show(update: Update, context: BerdayaContext, commodity_id: int,
               edit: bool = False) -> None:
    member = context.member
    assert member is not None
    sessionmaker = context.runtime.sessionmaker
    found = await catalogue(context)
    view = await overview(sessionmaker, found, commodity_id, today(context),
                          await kecamatan(context))
    following = commodity_id in await prices.followed_commodities(sessionmaker, member.id)
    text, markup = overview_text(context.tr, view), overview_markup(context.tr, view, following)
    query = update.callback_query
    if edit and query is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            log.info("could not edit the price message (%s); sending a new one", exc)
    await context.bot.send_message(chat_id(update), text, reply_markup=markup)


@registered_only
async def commodity_tapped(update: Update, context: BerdayaContext) -> None:
    assert update.callback_query is not None
    fields = unpack(update, int)
    found = await catalogue(context)
    if fields is None or found.commodity(fields[0]) is None:
        await update.callback_query.answer()
        return
    await update.callback_query.answer()
    await show(update, context, fields[0], edit=True)


@registered_only
async def list_tapped(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(list_text(context), reply_markup=await list_markup(context))


@registered_only
async def follow_tapped(update: Update, context: BerdayaContext) -> None:
    query, member, tr = update.callback_query, context.member, context.tr
    assert query is not None and member is not None
    fields = unpack(update, int)
    found = await catalogue(context)
    commodity = found.commodity(fields[0]) if fields else None
    if commodity is None:
        await query.answer()
        return
    now_following = await prices.toggle_follow(context.runtime.sessionmaker, member.id,
                                               commodity.id)
    name = commodity.name(tr.language)
    text = (tr._("⭐ {name} is now one of your commodities: it comes first in the list.")
            if now_following else tr._("{name} is no longer one of your commodities."))
    await query.answer(text.format(name=name))
    await show(update, context, commodity.id, edit=True)


@registered_only
async def digest_tapped(update: Update, context: BerdayaContext) -> None:
    query, member, tr = update.callback_query, context.member, context.tr
    assert query is not None and member is not None
    sessionmaker = context.runtime.sessionmaker
    enabled = not await prices.digest_enabled(sessionmaker, member.id)
    await prices.set_digest(sessionmaker, member.id, enabled)
    if not enabled:
        await query.answer(tr._("The morning summary is off."))
    elif await prices.followed_commodities(sessionmaker, member.id):
        await query.answer(tr._("Every morning at 06.00 you will get the prices of your "
                                "commodities (⭐)."), show_alert=True)
    else:
        await query.answer(tr._("The morning summary is on. Now choose your commodities: open "
                                "one and tap ⭐ Follow."), show_alert=True)
    await query.edit_message_text(list_text(context), reply_markup=await list_markup(context))


@registered_only
async def chart_tapped(update: Update, context: BerdayaContext) -> None:
    query, tr = update.callback_query, context.tr
    assert query is not None
    fields = unpack(update, int, int, str)
    found = await catalogue(context)
    commodity = found.commodity(fields[0]) if fields else None
    if fields is None or commodity is None or fields[1] not in CHART_DAYS:
        await query.answer()
        return
    days, sessionmaker, day = fields[1], context.runtime.sessionmaker, today(context)
    await query.answer()
    await context.bot.send_chat_action(chat_id(update), ChatAction.UPLOAD_PHOTO)
    drawn = await chart_qualities(sessionmaker, commodity.id, days, day)
    quality = quality_from_field(fields[2]) if fields[2] else (drawn[0] if drawn else "")
    chart = await price_chart(sessionmaker, found, commodity.id, quality, days, day, tr)
    if chart is None:
        await context.bot.send_message(chat_id(update), tr._(
            "There are no prices to draw for the last {days} days.").format(days=days))
        return
    caption = "\n".join([
        tr._("📈 {commodity}, {start} – {end}").format(
            commodity=html.escape(commodity_label(tr, commodity, quality)),
            start=tr.short_date(chart.first), end=tr.short_date(chart.last)),
        tr._("Source: {sources}").format(sources=html.escape("; ".join(chart.sources))[:700]),
        *([tr._("🧪 Demo data for trying Berdaya out: not real prices.")] if chart.demo else []),
    ])
    rows = [[InlineKeyboardButton(
        ("✓ " if q == quality else "") + (commodity_label(tr, commodity, q) if q
                                          else commodity.name(tr.language)),
        callback_data=pack(CHART, commodity.id, days, quality_field(q)))]
        for q in drawn[:6] if len(drawn) > 1]
    other = 90 if days == 30 else 30
    rows.append([InlineKeyboardButton(tr._("📈 {days} days").format(days=other),
                                      callback_data=pack(CHART, commodity.id, other,
                                                         quality_field(quality))),
                 InlineKeyboardButton(tr._("◀ Prices"), callback_data=pack(SHOW, commodity.id))])
    await context.bot.send_photo(
        chat_id(update), InputFile(chart.png, filename=f"{commodity.code}-{days}.png"),
        caption=caption, reply_markup=InlineKeyboardMarkup(rows))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler(["harga", "price"], harga))
    application.add_handler(MessageHandler(menu_button(PRICES), harga))
    application.add_handler(MessageHandler(TYPED, harga))
    application.add_handler(CallbackQueryHandler(commodity_tapped, pattern=pattern(SHOW)))
    application.add_handler(CallbackQueryHandler(list_tapped, pattern=pattern(LIST)))
    application.add_handler(CallbackQueryHandler(follow_tapped, pattern=pattern(FOLLOW)))
    application.add_handler(CallbackQueryHandler(digest_tapped, pattern=pattern(DIGEST)))
    application.add_handler(CallbackQueryHandler(chart_tapped, pattern=pattern(CHART)))
