"""The registration conversation: its ways in (/start, /daftar, a 👤 Profile change button),
/batal, and the assembly of every step's handlers.

Steps live in `registration_consent`, `registration_steps`, `registration_places` and
`registration_summary`. Profile changes reuse the same screens, so they run in this
conversation too; `registration_form.proceed` decides what follows each step.
"""

from __future__ import annotations

import html
import logging
import warnings
from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import BerdayaContext
from bot.services import deeplinks
from bot.services import profile as profile_service
from bot.services.deeplinks import LinkPayload
from bot.services.groups import DISABILITY
from bot.services.members import set_status
from handlers import (
    registration_consent,
    registration_places,
    registration_steps,
    registration_summary,
)
from handlers.callbacks import pattern, unpack
from handlers.menu import any_menu_button, send_menu
from handlers.profile import EDIT
from handlers.registration_form import (
    CONSENT,
    END,
    FIELDS,
    LANGUAGE,
    NAME,
    PROFILE,
    REGISTER,
    HasDraft,
    ask,
    drop_draft,
    get_draft,
    new_draft,
    stale_button,
    with_draft,
)
from handlers.registration_messages import answer, send
from models import Status

log = logging.getLogger("berdaya.registration")

STALE_PREFIX = "r."


async def start(update: Update, context: BerdayaContext) -> Any:
    """Registered: the menu. Halfway: carry on. New: the wizard (a poster's link pre-fills)."""
    payload = deeplinks.decode(context.args[0]) if context.args else None
    if context.args and payload is None:
        log.warning("ignored a malformed /start payload")
    member = context.member
    if member is not None and member.is_registered:
        return await welcome_back(update, context, payload)
    draft = get_draft(context)
    if payload is None and draft and draft.get("mode") == REGISTER and draft.get("step"):
        await send(update, context, context.tr._("Welcome back! Let us continue where you "
                                                 "stopped."))
        return await ask(draft["step"], update, context, draft)
    return await begin(update, context, payload)


async def register_command(update: Update, context: BerdayaContext) -> Any:
    """/daftar always starts over (keeping a poster's link); registered members get the menu."""
    member = context.member
    if member is not None and member.is_registered:
        drop_draft(context)
        await send_menu(update, context, context.tr._(
            "You are already registered, {name}. To change your details, tap 👤 Profile."
        ).format(name=html.escape(member.full_name or "")))
        return END
    return await begin(update, context, None)


async def begin(update: Update, context: BerdayaContext, payload: LinkPayload | None) -> str:
    old_link = (get_draft(context) or {}).get("link")
    link = ({"desa": payload.desa_code, "training": payload.training_id, "by": payload.by}
            if payload is not None else old_link)
    draft = new_draft(context, link=link, suggested=(link or {}).get("desa"))
    tr = context.tr
    await send(update, context, tr._(
        "👋 Welcome to <b>Berdaya</b>!\nHere you find skills trainings, market prices and "
        "practical tips for Kabupaten Merangin, free of charge."), ReplyKeyboardRemove())
    user = update.effective_user
    if user is not None and (user.language_code or "").split("-")[0].lower() == "id":
        draft["language"] = "id"
        return await ask(CONSENT, update, context, draft)
    return await ask(LANGUAGE, update, context, draft)


async def welcome_back(update: Update, context: BerdayaContext, payload: LinkPayload | None) -> Any:
    member = context.member
    assert member is not None
    drop_draft(context)
    if member.status == Status.BLOCKED:
        await set_status(context.runtime.sessionmaker, member.id, Status.ACTIVE)
        member.status = Status.ACTIVE
    tr = context.tr
    text = tr._("Welcome back, {name}! What would you like to see?").format(
        name=html.escape(member.full_name or ""))
    if member.status == Status.STOPPED:
        text += "\n" + tr._("Announcements are paused for you. Send /langganan to receive them "
                            "again.")
    await send_menu(update, context, text)
    if payload is not None and payload.training_id is not None:
        await registration_summary.offer_training(update, context, payload.training_id)
    return END


async def start_edit(update: Update, context: BerdayaContext) -> Any:
    """A change button on 👤 Profile: the same step screens, saved as soon as they are done."""
    member = context.member
    fields = unpack(update, str)
    await answer(update)
    if member is None or not member.is_registered or fields is None or fields[0] not in FIELDS:
        return END
    stored = await profile_service.load_profile(context.runtime.sessionmaker, member.id)
    if stored is None or FIELDS[fields[0]] == LANGUAGE:
        return END
    draft = new_draft(context, mode=PROFILE, language=stored.language,
                      groups=[g for g in stored.groups if g != DISABILITY],
                      disability="yes" if DISABILITY in stored.groups else None)
    return await ask(FIELDS[fields[0]], update, context, draft)


async def cancel(update: Update, context: BerdayaContext) -> int:
    draft = get_draft(context) or {}
    drop_draft(context)
    tr = context.tr
    member = context.member
    if draft.get("mode") == PROFILE and member is not None and member.is_registered:
        await send_menu(update, context, tr._("All right, nothing was changed."))
    else:
        await send(update, context, tr._(
            "Registration cancelled; nothing was stored. Send /daftar whenever you want to "
            "start again."), ReplyKeyboardRemove())
    return END


async def use_the_buttons(update: Update, context: BerdayaContext) -> Any:
    draft = get_draft(context)
    assert draft is not None and update.effective_message is not None
    await update.effective_message.reply_text(context.tr._("Please tap one of the buttons."))
    return await ask(draft.get("step") or NAME, update, context, draft)


def conversation(application: Application) -> ConversationHandler:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    open_form = HasDraft(application)
    states: dict[object, list[BaseHandler[Any, Any, Any]]] = {
        **registration_consent.state_handlers(),
        **registration_summary.state_handlers(),
        **registration_steps.state_handlers(),
        **registration_places.state_handlers(),
    }
    for handlers in states.values():
        if not any(isinstance(h, MessageHandler) for h in handlers):
            handlers.append(MessageHandler(~filters.COMMAND & ~any_menu_button(),
                                           use_the_buttons))
        for handler in handlers:
            handler.callback = with_draft(handler.callback)
            if isinstance(handler, MessageHandler):
                handler.filters = handler.filters & open_form
    with warnings.catch_warnings():
        # Buttons are tracked per chat on purpose: one form per member, whichever message.
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler("start", start, filters=private),
                CommandHandler("daftar", register_command, filters=private),
                CallbackQueryHandler(start_edit, pattern=pattern(EDIT)),
            ],
            states=states,
            fallbacks=[
                CommandHandler("batal", cancel),
                CommandHandler("bahasa", registration_consent.language_midway),
                CallbackQueryHandler(stale_button, pattern=_stale),
            ],
            name="registration", persistent=True, allow_reentry=True,
        )


def _stale(data: object) -> bool:
    return isinstance(data, str) and data.startswith(STALE_PREFIX)


def stale_handler() -> CallbackQueryHandler:  # type: ignore[type-arg]
    return CallbackQueryHandler(stale_button, pattern=_stale)
