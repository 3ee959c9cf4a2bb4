"""Registration's first steps: the language (when the phone is not Indonesian) and consent.

Nothing is stored before the summary is confirmed; "No" here leaves no trace at all.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BerdayaContext
from bot.i18n import LANGUAGES
from bot.services import registration
from handlers.callbacks import pack, pattern, unpack
from handlers.profile import language_command, language_keyboard
from handlers.registration_form import (
    CONSENT,
    END,
    LANGUAGE,
    NO_LABEL,
    Draft,
    ask,
    asks,
    drop_draft,
    get_draft,
    proceed,
)
from handlers.registration_messages import answer, edit, send

CHOOSE_LANGUAGE, AGREE = "r.l", "r.c"


@asks(LANGUAGE)
async def ask_language(update: Update, context: BerdayaContext, draft: Draft) -> str:
    await send(update, context, "Pilih bahasa Anda · Choose your language",
               language_keyboard(draft.get("language"), CHOOSE_LANGUAGE))
    return LANGUAGE


async def language_chosen(update: Update, context: BerdayaContext) -> Any:
    draft, query = get_draft(context), update.callback_query
    assert draft is not None and query is not None
    fields = unpack(update, str)
    await answer(update)
    if fields is None or fields[0] not in LANGUAGES:
        return LANGUAGE
    draft["language"] = fields[0]
    context.use_language(fields[0], None)
    await edit(update)
    resume = draft.pop("resume", None)
    if resume:
        return await ask(resume, update, context, draft)
    return await proceed(update, context, draft, LANGUAGE)


async def language_midway(update: Update, context: BerdayaContext) -> Any:
    """/bahasa in the middle of the form: choose, then back to the same question."""
    member = context.member
    if member is not None and member.is_registered:
        await language_command(update, context)
        return None
    draft = get_draft(context)
    if draft is None:
        return END
    draft["resume"] = draft.get("step")
    return await ask(LANGUAGE, update, context, draft)


@asks(CONSENT)
async def ask_consent(update: Update, context: BerdayaContext, draft: Draft) -> str:
    tr = context.tr
    text = tr._(
        "<b>Your data, your choice</b>\n"
        "To register, Berdaya stores your name, your desa, the groups you choose and, if you "
        "wish, your phone number.\n"
        "We use them only to tell you about trainings, prices and news for your area, and to "
        "count how many people the programme reaches. We never sell them.\n"
        "You can see, download or delete your data at any time with /data_saya and "
        "/hapus_data.\n\n"
        "Do you agree? (consent text version {version})"
    ).format(version=registration.CONSENT_VERSION)
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(tr._("✅ I agree"), callback_data=pack(AGREE, "yes")),
        InlineKeyboardButton(tr._(NO_LABEL), callback_data=pack(AGREE, "no")),
    ]])
    await send(update, context, text, markup)
    return CONSENT


async def consent_chosen(update: Update, context: BerdayaContext) -> Any:
    draft, query = get_draft(context), update.callback_query
    assert draft is not None and query is not None
    fields = unpack(update, str)
    await answer(update)
    if fields is None or fields[0] not in ("yes", "no"):
        return CONSENT
    await edit(update)
    if fields[0] == "no":
        drop_draft(context)
        await send(update, context, context.tr._(
            "All right. Nothing about you has been stored. If you change your mind, send "
            "/daftar."))
        return END
    draft["consent_at"] = context.runtime.now().isoformat()
    draft["consent_version"] = registration.CONSENT_VERSION
    return await proceed(update, context, draft, CONSENT)


def state_handlers() -> dict[str, list[BaseHandler]]:  # type: ignore[type-arg]
    return {
        LANGUAGE: [CallbackQueryHandler(language_chosen, pattern=pattern(CHOOSE_LANGUAGE))],
        CONSENT: [CallbackQueryHandler(consent_chosen, pattern=pattern(AGREE))],
    }
