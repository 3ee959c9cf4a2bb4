"""Typed prices in the chat, and what the price conversations share (cancel, free-text filter).

Every way a typed price can be wrong gets its own plain answer, so the member knows what to fix.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import BerdayaContext
from bot.i18n import N_, Translator
from bot.services.prices_parse import PriceParseError, PriceProblem, parse_price
from handlers.menu import any_menu_button, main_menu
from models.price import Commodity

FREE_TEXT = filters.TEXT & ~filters.COMMAND & ~any_menu_button()
"""A typed answer: never a command, never a main-menu tap."""

PROBLEMS = {
    PriceProblem.EMPTY: N_("Please type the price as a number, for example 14.500 or 14,5 rb."),
    PriceProblem.NOT_A_NUMBER: N_("I could not read a price in “{text}”. Please type only the "
                                  "amount, for example 14.500 or 14,5 rb."),
    PriceProblem.ZERO: N_("The price cannot be zero. Please type the amount in rupiah, for "
                          "example 14.500."),
    PriceProblem.NEGATIVE: N_("A price cannot be below zero. Please type the amount, for "
                              "example 14.500."),
    PriceProblem.TOO_LARGE: N_("That amount is far too large. Please check it and type it "
                               "again."),
    PriceProblem.UNKNOWN_UNIT: N_("I do not know the unit “{text}”. {commodity} is priced per "
                                  "{unit}: please type the price per {unit}, for example "
                                  "14.500."),
}


def read_price(tr: Translator, text: str, commodity: Commodity) -> tuple[Decimal | None, str]:
    """The price per the commodity's unit, or None and what to tell the member."""
    try:
        parsed = parse_price(text)
    except PriceParseError as exc:
        return None, tr._(PROBLEMS[exc.problem]).format(
            text=html.escape((exc.detail or text)[:40]),
            commodity=html.escape(commodity.name(tr.language)), unit=commodity.unit)
    if parsed.unit is not None and parsed.unit != commodity.unit:
        return None, tr._("{commodity} is priced per {unit}, not per {other}. Please type the "
                          "price per {unit}.").format(
            commodity=html.escape(commodity.name(tr.language)), unit=commodity.unit,
            other=parsed.unit)
    return parsed.value, ""


def cancel_for(key: str) -> Callable[[Update, BerdayaContext], Coroutine[Any, Any, int]]:
    """/batal inside a price conversation: forget the draft `key`, give the menu back."""

    async def cancel(update: Update, context: BerdayaContext) -> int:
        if context.user_data is not None:
            context.user_data.pop(key, None)
        if update.callback_query is not None:
            await update.callback_query.answer()
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, context.tr._("Cancelled."),
                                           reply_markup=main_menu(context.tr))
        return ConversationHandler.END

    return cancel


async def settle(update: Update, note: str | None = None) -> None:
    """Takes the buttons off the tapped message (they have been answered), keeping its text and
    adding `note` ("✅ Saved") so the chat shows what was decided."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message) or message.text is None:
        return
    text = message.text_html + (f"\n\n{note}" if note else "")
    await query.edit_message_text(text, reply_markup=None)


async def use_the_buttons(update: Update, context: BerdayaContext) -> None:
    """Typing where a button is expected: say so, and stay on the step."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.tr._(
            "Please tap one of the buttons above, or send /batal to stop."))


def conversation(
    name: str, key: str, entry_points: list[BaseHandler[Any, Any, Any]],
    states: dict[object, list[BaseHandler[Any, Any, Any]]],
) -> ConversationHandler[Any]:
    """A persistent price conversation: /batal forgets the draft `key`; a button step answers
    typing with a hint instead of letting the text fall through to other journeys."""
    for handlers in states.values():
        if not any(isinstance(h, MessageHandler) for h in handlers):
            handlers.append(MessageHandler(FREE_TEXT, use_the_buttons))
    with warnings.catch_warnings():
        # Buttons are tracked per chat on purpose: one form per member, whichever message.
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points, states=states,
            fallbacks=[CommandHandler("batal", cancel_for(key))],
            name=name, persistent=True, allow_reentry=True,
        )
