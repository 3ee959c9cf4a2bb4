"""The summary with [Benar] / [Ubah], and the finish: one service call stores the member."""

from __future__ import annotations

import html
import logging
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BerdayaContext
from bot.services import places, registration
from handlers.callbacks import pack, pattern, unpack
from handlers.menu import send_menu
from handlers.profile import FIELD_LABELS, card
from handlers.registration_form import (
    BACK_LABEL,
    END,
    FIELDS,
    PLACE,
    SUMMARY,
    Draft,
    ask,
    asks,
    chosen_groups,
    drop_draft,
    get_draft,
)
from handlers.registration_messages import answer, edit, send

log = logging.getLogger("berdaya.registration")

CHECKED, CHANGE = "r.s", "r.e"


@asks(SUMMARY)
async def ask_summary(update: Update, context: BerdayaContext, draft: Draft) -> str:
    draft["review"] = True
    await send(update, context, _summary_text(context, draft, await _place(context, draft)),
               _summary_markup(context))
    return SUMMARY


async def _place(context: BerdayaContext, draft: Draft) -> places.Place | None:
    code = draft.get("desa")
    return await places.get_place(context.runtime.sessionmaker, code) if code else None


def _summary_text(context: BerdayaContext, draft: Draft, place: places.Place | None) -> str:
    tr = context.tr
    details = card(tr, name=draft.get("name", ""), place=place, groups=chosen_groups(draft),
                   phone=draft.get("phone"), language=draft.get("language", tr.language),
                   disability=draft.get("disability"))
    return "\n".join([tr._("Please check your details:"), "", details, "",
                      tr._("Is everything correct?")])


def _summary_markup(context: BerdayaContext) -> InlineKeyboardMarkup:
    tr = context.tr
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(tr._("✅ Correct"), callback_data=pack(CHECKED, "ok")),
        InlineKeyboardButton(tr._("✏️ Change"), callback_data=pack(CHECKED, "change")),
    ]])


async def summary_chosen(update: Update, context: BerdayaContext) -> Any:
    query = update.callback_query
    assert query is not None
    fields = unpack(update, str)
    await answer(update)
    if fields is None:
        return SUMMARY
    if fields[0] == "ok":
        await edit(update)
        return await finish(update, context)
    tr = context.tr
    buttons = [InlineKeyboardButton(tr._(label), callback_data=pack(CHANGE, key))
               for key, label in FIELD_LABELS.items()]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(tr._(BACK_LABEL), callback_data=pack(CHANGE, "back"))])
    await edit(update, None, InlineKeyboardMarkup(rows))
    return SUMMARY


async def change_chosen(update: Update, context: BerdayaContext) -> Any:
    draft, query = get_draft(context), update.callback_query
    assert draft is not None and query is not None
    fields = unpack(update, str)
    await answer(update)
    if fields is None or (fields[0] not in FIELDS and fields[0] != "back"):
        return SUMMARY
    if fields[0] == "back":
        await edit(update, None, _summary_markup(context))
        return SUMMARY
    await edit(update)
    return await ask(FIELDS[fields[0]], update, context, draft)


async def finish(update: Update, context: BerdayaContext) -> Any:
    """Benar: the member is stored in one service call and the menu appears."""
    draft, user, chat = get_draft(context), update.effective_user, update.effective_chat
    assert draft is not None and user is not None and chat is not None
    link = draft.get("link") or {}
    form = registration.RegistrationForm(
        external_id=str(user.id), chat_id=chat.id, full_name=draft["name"],
        desa_code=draft["desa"], language=draft["language"],
        consent_at=datetime.fromisoformat(draft["consent_at"]),
        consent_version=draft["consent_version"], groups=tuple(chosen_groups(draft)),
        phone=draft.get("phone"), referred_by=str(link["by"]) if link.get("by") else None,
        link_desa=link.get("desa"), training_id=link.get("training"),
    )
    try:
        member = await registration.register_member(context.runtime.sessionmaker, form)
    except registration.RegistrationError as exc:
        log.warning("registration refused: %s", exc)
        await send(update, context, context.tr._(
            "Sorry, one of your details is no longer valid. Please check them again."))
        return await ask(PLACE, update, context, draft)
    drop_draft(context)
    context.member = member
    tr = context.use_language(member.language, None)
    await send_menu(update, context, tr._(
        "Thank you, {name}! You are now registered. Choose from the menu below, any time."
    ).format(name=html.escape(member.full_name or "")))
    if link.get("training"):
        await offer_training(update, context, int(link["training"]))
    return END


async def offer_training(update: Update, context: BerdayaContext, training_id: int) -> None:
    """The poster's training, offered by the trainings journey when it is installed."""
    from handlers import trainings

    offer = getattr(trainings, "offer_training", None)
    if offer is not None:
        await offer(update, context, training_id)


def state_handlers() -> dict[str, list[BaseHandler]]:  # type: ignore[type-arg]
    return {SUMMARY: [CallbackQueryHandler(summary_chosen, pattern=pattern(CHECKED)),
                      CallbackQueryHandler(change_chosen, pattern=pattern(CHANGE))]}
