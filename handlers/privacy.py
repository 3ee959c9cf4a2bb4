"""Personal data in chat: /data_saya, /hapus_data, /berhenti, /langganan, and blocking.

UU PDP No. 27/2022 gives members the right to see, take away and erase their data; a member
who blocks the bot is marked blocked so broadcasts stop trying them.
"""

from __future__ import annotations

import logging

from telegram import (
    BotCommandScopeChat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ChatMemberHandler, CommandHandler

from bot.context import BerdayaContext
from bot.services import members, privacy, profile
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only
from handlers.menu import send_menu
from handlers.profile import card
from handlers.registration_messages import answer, edit
from models import Status

log = logging.getLogger("berdaya.privacy")

EXPORT, ERASE = "pv.export", "pv.erase"


@registered_only
async def export_data(update: Update, context: BerdayaContext) -> None:
    """A readable summary, then everything as a JSON file the member can keep or pass on."""
    member, chat = context.member, update.effective_chat
    assert member is not None and chat is not None
    await answer(update)
    runtime = context.runtime
    data = await privacy.export_member(runtime.sessionmaker, member.id, runtime.now())
    stored = await profile.load_profile(runtime.sessionmaker, member.id)
    if not data or stored is None:
        return
    tr = context.tr
    lines = [
        tr._("<b>Everything Berdaya stores about you</b>"),
        card(tr, name=stored.full_name, place=stored.desa, groups=stored.groups,
             phone=stored.phone, language=stored.language),
        tr._("Registered on {date}.").format(date=tr.date(stored.created_at)),
    ]
    if stored.consent_at is not None:
        lines.append(tr._("You agreed to the data terms (version {version}) on {date}.").format(
            version=stored.consent_version or "?", date=tr.date(stored.consent_at)))
    if stored.status == Status.STOPPED:
        lines.append(tr._("Announcements are paused for you."))
    for section in privacy.sections():
        records = data.get(section.name)
        if section.label is not None and records:
            count = len(records) if isinstance(records, list) else 1
            lines.append(f"{tr._(section.label)}: {tr.number(count)}")
    lines += ["", tr._("The attached file holds all of it. To delete it, send /hapus_data.")]
    await context.bot.send_message(chat.id, "\n".join(lines))
    await context.bot.send_document(
        chat.id, document=privacy.to_json(data), filename="berdaya-data-saya.json",
        caption=tr._("Your data in Berdaya (JSON)"),
    )


@registered_only
async def ask_erase(update: Update, context: BerdayaContext) -> None:
    await answer(update)
    tr = context.tr
    assert update.effective_chat is not None
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(tr._("🗑 Yes, delete my data"), callback_data=pack(ERASE, "yes"))],
        [InlineKeyboardButton(tr._("↩ No, keep it"), callback_data=pack(ERASE, "no"))],
    ])
    await context.bot.send_message(update.effective_chat.id, tr._(
        "<b>Delete your data?</b>\n"
        "This deletes your name, phone number, groups and desa from Berdaya, and you will no "
        "longer receive announcements. Your past training records stay, without your name, "
        "only for counting. This cannot be undone."), reply_markup=markup)


@registered_only
async def erase_chosen(update: Update, context: BerdayaContext) -> None:
    query, member, user = update.callback_query, context.member, update.effective_user
    assert query is not None and member is not None and user is not None
    fields = unpack(update, str)
    await query.answer()
    if fields is None or fields[0] not in ("yes", "no"):
        return
    tr = context.tr
    await edit(update)
    if fields[0] == "no":
        await send_menu(update, context, tr._("Good, your data stays as it is."))
        return
    runtime = context.runtime
    was_staff, chat_id = member.is_staff, member.chat_id
    await privacy.erase_member(runtime.sessionmaker, member.id, runtime.now())
    await forget_chat_state(context, user.id)
    context.member = None
    if was_staff and chat_id is not None:
        await _drop_staff_commands(context, chat_id)
    await context.bot.send_message(user.id, tr._(
        "Your data has been deleted. Thank you for taking part in Berdaya. You can register "
        "again any time with /daftar."), reply_markup=ReplyKeyboardRemove())


async def forget_chat_state(context: BerdayaContext, user_id: int) -> None:
    """Forms in memory and their persisted copies: the service erased the rows already, but
    PTB would write its in-memory copy back at the next flush."""
    context.application.drop_user_data(user_id)
    persistence = context.application.persistence
    drop_conversations = getattr(persistence, "drop_conversations_of", None)
    if persistence is not None:
        await persistence.drop_user_data(user_id)
    if drop_conversations is not None:
        await drop_conversations(user_id)


async def _drop_staff_commands(context: BerdayaContext, chat_id: int) -> None:
    try:
        await context.bot.delete_my_commands(BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        log.warning("could not reset the command list of chat %s: %r", chat_id, exc)


@registered_only
async def stop(update: Update, context: BerdayaContext) -> None:
    member = context.member
    assert member is not None
    tr = context.tr
    if await members.set_status(context.runtime.sessionmaker, member.id, Status.STOPPED):
        member.status = Status.STOPPED
        text = tr._("You will no longer receive announcements. Everything else still works. "
                    "Send /langganan to receive them again.")
    else:
        text = tr._("Announcements are already paused for you. Send /langganan to receive "
                    "them again.")
    await send_menu(update, context, text)


@registered_only
async def resume(update: Update, context: BerdayaContext) -> None:
    member = context.member
    assert member is not None
    tr = context.tr
    if await members.set_status(context.runtime.sessionmaker, member.id, Status.ACTIVE):
        member.status = Status.ACTIVE
        text = tr._("Welcome back: you will receive announcements again.")
    else:
        text = tr._("You already receive announcements.")
    await send_menu(update, context, text)


async def chat_member_changed(update: Update, context: BerdayaContext) -> None:
    """Blocking the bot arrives as `kicked`; unblocking as `member` again.

    Someone who had paused announcements stays paused through a block and an unblock.
    """
    change, member = update.my_chat_member, context.member
    if change is None or member is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    if status == ChatMember.BANNED and member.status == Status.ACTIVE:
        await members.set_status(context.runtime.sessionmaker, member.id, Status.BLOCKED)
    elif status == ChatMember.MEMBER and member.status == Status.BLOCKED:
        await members.set_status(context.runtime.sessionmaker, member.id, Status.ACTIVE)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("data_saya", export_data))
    application.add_handler(CallbackQueryHandler(export_data, pattern=lambda d: d == EXPORT))
    application.add_handler(CommandHandler("hapus_data", ask_erase))
    application.add_handler(CallbackQueryHandler(ask_erase, pattern=lambda d: d == ERASE))
    application.add_handler(CallbackQueryHandler(erase_chosen, pattern=pattern(ERASE)))
    application.add_handler(CommandHandler("berhenti", stop))
    application.add_handler(CommandHandler("langganan", resume))
    application.add_handler(ChatMemberHandler(chat_member_changed,
                                              ChatMemberHandler.MY_CHAT_MEMBER))
