"""`/fasilitator`: an admin finds a registered member by name or id and, after confirming,
makes them a facilitator; their "/" menu gains the staff commands at once."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BerdayaContext
from bot.services import staff
from bot.services.staff import MemberMatch
from handlers.callbacks import pack, pattern, unpack
from handlers.commands import publish_staff_commands
from handlers.guards import admin_only
from handlers.registration_form import NO_LABEL
from handlers.registration_messages import edit
from models import Role

PICK, YES, NO = "st.p", "st.y", "st.n"

log = logging.getLogger("berdaya.staff")


def _describe(match: MemberMatch, markup: bool = True) -> str:
    escape = html.escape if markup else str
    where = ", ".join(p for p in (match.desa_name, match.kecamatan_name) if p)
    text = escape(match.full_name)
    if markup:
        text = f"<b>{text}</b>"
    return f"{text} ({escape(where)}, #{match.id})" if where else f"{text} (#{match.id})"


@admin_only
async def promote_command(update: Update, context: BerdayaContext) -> None:
    """`/fasilitator NAME-OR-ID`. Without a text we explain, rather than wait for one: a
    waiting step would swallow whatever the admin types next for another journey."""
    message = update.effective_message
    assert message is not None
    if not context.args:
        await message.reply_text(context.tr._(
            "Send /fasilitator followed by part of the member's name, or their member or "
            "Telegram id. For example: /fasilitator Siti"))
        return
    await _search(update, context, " ".join(context.args))


async def _search(update: Update, context: BerdayaContext, text: str) -> None:
    tr = context.tr
    message = update.effective_message
    assert message is not None
    found = await staff.find_members(context.runtime.sessionmaker, text)
    if not found:
        await message.reply_text(tr._(
            "No registered member matches “{text}”. Try another part of the name, or the id."
        ).format(text=html.escape(text[:100])))
        return
    rows = [[InlineKeyboardButton(_describe(m, markup=False), callback_data=pack(PICK, m.id))]
            for m in found]
    await message.reply_text(tr._("Which member do you mean?"),
                             reply_markup=InlineKeyboardMarkup(rows))


@admin_only
async def picked(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None
    fields = unpack(update, int)
    match = await staff.get_match(context.runtime.sessionmaker, fields[0]) if fields else None
    await query.answer()
    tr = context.tr
    if match is None:
        await edit(update, tr._("That member is no longer registered."))
        return
    if match.role != "member":
        await edit(update, tr._("{member} is already programme staff.").format(
            member=_describe(match)))
        return
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(tr._("✅ Yes, make facilitator"), callback_data=pack(YES, match.id)),
        InlineKeyboardButton(tr._(NO_LABEL), callback_data=pack(NO)),
    ]])
    await edit(update, tr._(
        "Make {member} a facilitator? They will be able to create trainings, record prices "
        "and send announcements.").format(member=_describe(match)), markup)


@admin_only
async def confirmed(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None
    fields = unpack(update, int)
    await query.answer()
    if fields is None:
        return
    tr = context.tr
    sessionmaker = context.runtime.sessionmaker
    assert context.member is not None
    match = await staff.get_match(sessionmaker, fields[0])
    if match is None or not await staff.make_facilitator(sessionmaker, match.id, context.member):
        await edit(update, tr._("Nothing changed: that member is gone or already "
                                           "staff."))
        return
    await edit(update, tr._("Done: {member} is now a facilitator.").format(
        member=_describe(match)))
    if match.chat_id is not None:
        await _welcome(context, match)


async def _welcome(context: BerdayaContext, match: MemberMatch) -> None:
    """Their "/" menu gains the staff commands; a message tells them in their own language."""
    import handlers

    assert match.chat_id is not None
    tr = context.runtime.translator(match.language)
    try:
        await publish_staff_commands(context.application, handlers.COMMANDS, match.chat_id,
                                     match.language, Role.FACILITATOR)
        await context.bot.send_message(match.chat_id, tr._(
            "You are now a Berdaya facilitator. Send /bantuan to see your new commands."))
    except TelegramError as exc:
        log.warning("could not tell member %s about their new role: %r", match.id, exc)


@admin_only
async def declined(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await edit(update, context.tr._("All right, nothing changed."))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("fasilitator", promote_command))
    application.add_handler(CallbackQueryHandler(picked, pattern=pattern(PICK)))
    application.add_handler(CallbackQueryHandler(confirmed, pattern=pattern(YES)))
    application.add_handler(CallbackQueryHandler(declined, pattern=pattern(NO)))
