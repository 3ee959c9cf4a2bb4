"""Registration steps that need typing or a special keyboard: name, groups, disability, phone."""

from __future__ import annotations

import html
import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BerdayaContext
from bot.i18n import LANGUAGES, N_
from bot.i18n.catalog import translations
from bot.services.groups import DISABILITY, group_name, list_groups
from bot.services.registration import NAME_MAX, NameProblem, check_name, normalize_phone
from handlers.callbacks import pack, pattern, unpack
from handlers.menu import any_menu_button
from handlers.profile import DISABILITY_ANSWERS
from handlers.registration_form import (
    DISABILITY_STEP,
    GROUPS,
    NAME,
    PHONE,
    PROFILE,
    Draft,
    asks,
    get_draft,
    proceed,
)
from handlers.registration_messages import answer, edit, send

log = logging.getLogger("berdaya.registration")

TOGGLE, GROUPS_DONE, DISABLED = "r.g", "r.gd", "r.x"
SHARE = N_("📱 Send my number")
SKIP = N_("Skip")
REMOVE = N_("🚫 Remove my number")
NAME_PROBLEMS = {
    NameProblem.TOO_SHORT: N_("That name is too short. Please type your full name, at least "
                              "2 letters."),
    NameProblem.TOO_LONG: N_("That is longer than {max} characters. Please type your name as "
                             "people know it, in at most {max} letters."),
    NameProblem.DIGITS: N_("A name has no numbers. Please type your name with letters only, "
                           "for example: Siti Aminah."),
    NameProblem.LINK: N_("Please type only your name, without links or @usernames."),
    NameProblem.SYMBOLS: N_("Please type your name with letters. Besides letters, only spaces, "
                            "apostrophes ('), dots and hyphens are allowed."),
}


def _any_language(label: str) -> filters.BaseFilter:
    return filters.Text([translations(language).gettext(label) for language in LANGUAGES])


def _name_input() -> filters.BaseFilter:
    return ~filters.COMMAND & ~any_menu_button()


# ----------------------------------------------------------------------------- name

@asks(NAME)
async def ask_name(update: Update, context: BerdayaContext, draft: Draft) -> str:
    tr = context.tr
    if draft.get("mode") == PROFILE:
        await send(update, context, tr._("Please type your new name."))
    else:
        await send(update, context, tr._("What is your full name? Please type it below, for "
                                         "example: Siti Aminah."), ReplyKeyboardRemove())
    return NAME


async def name_typed(update: Update, context: BerdayaContext) -> str:
    draft, message = get_draft(context), update.effective_message
    assert draft is not None and message is not None and message.text is not None
    name, problem = check_name(message.text)
    if name is None:
        assert problem is not None
        await message.reply_text(context.tr._(NAME_PROBLEMS[problem]).format(max=NAME_MAX))
        return NAME
    draft["name"] = name
    return await proceed(update, context, draft, NAME)


async def name_not_text(update: Update, context: BerdayaContext) -> str:
    """Stickers, photos and voice notes: we cannot read a name from them."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.tr._(
        "I can only read a typed name. Please type your name with the keyboard, for example: "
        "Siti Aminah."))
    return NAME


# ----------------------------------------------------------------------------- groups

async def _groups_markup(context: BerdayaContext, draft: Draft) -> InlineKeyboardMarkup:
    tr = context.tr
    chosen = set(draft.get("groups", []))
    rows = [
        [InlineKeyboardButton(("✓ " if g.code in chosen else "") + group_name(tr, g.code, g.name),
                              callback_data=pack(TOGGLE, g.code))]
        for g in await list_groups(context.runtime.sessionmaker) if g.code != DISABILITY
    ]
    rows.append([InlineKeyboardButton(tr._("✅ Done"), callback_data=pack(GROUPS_DONE))])
    return InlineKeyboardMarkup(rows)


@asks(GROUPS)
async def ask_groups(update: Update, context: BerdayaContext, draft: Draft) -> str:
    await send(update, context, context.tr._(
        "Which groups do you belong to? Tap every one that fits you (a ✓ appears), then tap "
        "✅ Done. You may choose several, or none."), await _groups_markup(context, draft))
    return GROUPS


async def group_toggled(update: Update, context: BerdayaContext) -> str:
    draft, query = get_draft(context), update.callback_query
    assert draft is not None and query is not None
    fields = unpack(update, str)
    codes = {g.code for g in await list_groups(context.runtime.sessionmaker)} - {DISABILITY}
    if fields is None or fields[0] not in codes:
        log.warning("ignored group button %r", query.data)
        await answer(update)
        return GROUPS
    chosen = list(draft.get("groups", []))
    draft["groups"] = [c for c in chosen if c != fields[0]] if fields[0] in chosen else [
        *chosen, fields[0]]
    await answer(update)
    await edit(update, None, await _groups_markup(context, draft))
    return GROUPS


async def groups_done(update: Update, context: BerdayaContext) -> str:
    draft, query = get_draft(context), update.callback_query
    assert draft is not None and query is not None
    await answer(update)
    await edit(update)
    return await proceed(update, context, draft, GROUPS)


# ----------------------------------------------------------------------------- disability

@asks(DISABILITY_STEP)
async def ask_disability(update: Update, context: BerdayaContext, draft: Draft) -> str:
    tr = context.tr
    buttons = [InlineKeyboardButton(tr._(label), callback_data=pack(DISABLED, key))
               for key, label in DISABILITY_ANSWERS.items()]
    markup = InlineKeyboardMarkup([buttons[:2], buttons[2:]])
    await send(update, context, tr._(
        "Do you live with a disability?\nWe ask so that trainings can be held where you can get "
        "in and take part, for example without stairs or with a helper. You do not have to "
        "answer."), markup)
    return DISABILITY_STEP


async def disability_chosen(update: Update, context: BerdayaContext) -> str:
    draft, query = get_draft(context), update.callback_query
    assert draft is not None and query is not None
    fields = unpack(update, str)
    await answer(update)
    if fields is None or fields[0] not in DISABILITY_ANSWERS:
        return DISABILITY_STEP
    draft["disability"] = fields[0]
    await edit(update)
    return await proceed(update, context, draft, DISABILITY_STEP)


# ----------------------------------------------------------------------------- phone

def _phone_keyboard(context: BerdayaContext, draft: Draft) -> ReplyKeyboardMarkup:
    tr = context.tr
    other = REMOVE if draft.get("mode") == PROFILE else SKIP
    return ReplyKeyboardMarkup(
        [[KeyboardButton(tr._(SHARE), request_contact=True)], [KeyboardButton(tr._(other))]],
        resize_keyboard=True, one_time_keyboard=True,
    )


@asks(PHONE)
async def ask_phone(update: Update, context: BerdayaContext, draft: Draft) -> str:
    tr = context.tr
    if draft.get("mode") == PROFILE:
        text = tr._("Tap “📱 Send my number” to share your phone number, or remove the one "
                    "we have. /batal keeps it as it is.")
    else:
        text = tr._("Last step, and it is optional: may a facilitator phone you about a "
                    "training? Tap “📱 Send my number”, or tap “Skip”.")
    await send(update, context, text, _phone_keyboard(context, draft))
    return PHONE


async def contact_shared(update: Update, context: BerdayaContext) -> str:
    draft, message = get_draft(context), update.effective_message
    assert draft is not None and message is not None and message.contact is not None
    tr = context.tr
    user = update.effective_user
    if user is None or message.contact.user_id != user.id:
        await message.reply_text(tr._(
            "That is someone else's contact. To protect their privacy we only take your own "
            "number: tap “📱 Send my number”."), reply_markup=_phone_keyboard(context, draft))
        return PHONE
    phone = normalize_phone(message.contact.phone_number)
    if phone is None:
        await message.reply_text(tr._("Sorry, Telegram sent a phone number that does not look "
                                      "right: {phone}").format(phone=html.escape(
                                          message.contact.phone_number)),
                                 reply_markup=_phone_keyboard(context, draft))
        return PHONE
    draft["phone"] = phone
    if draft.get("mode") != PROFILE:
        await message.reply_text(tr._("Thank you. Your number: {phone}").format(phone=phone),
                                 reply_markup=ReplyKeyboardRemove())
    return await proceed(update, context, draft, PHONE)


async def phone_skipped(update: Update, context: BerdayaContext) -> str:
    draft, message = get_draft(context), update.effective_message
    assert draft is not None and message is not None
    draft["phone"] = None
    if draft.get("mode") != PROFILE:
        await message.reply_text(context.tr._("Fine, no phone number."),
                                 reply_markup=ReplyKeyboardRemove())
    return await proceed(update, context, draft, PHONE)


async def phone_other(update: Update, context: BerdayaContext) -> str:
    """A typed number cannot be checked as the member's own; the button can."""
    draft, message = get_draft(context), update.effective_message
    assert draft is not None and message is not None
    tr = context.tr
    text = tr._("Please use the button “📱 Send my number”: then Telegram sends your own number, "
                "without typing mistakes.")
    other = (tr._("Or send /batal to keep your number as it is.") if draft.get("mode") == PROFILE
             else tr._("Or tap “Skip” if you prefer not to share it."))
    await message.reply_text(f"{text}\n{other}", reply_markup=_phone_keyboard(context, draft))
    return PHONE


def state_handlers() -> dict[str, list[BaseHandler]]:  # type: ignore[type-arg]
    return {
        NAME: [
            MessageHandler(filters.TEXT & _name_input(), name_typed),
            MessageHandler(_name_input(), name_not_text),
        ],
        GROUPS: [
            CallbackQueryHandler(group_toggled, pattern=pattern(TOGGLE)),
            CallbackQueryHandler(groups_done, pattern=pattern(GROUPS_DONE)),
        ],
        DISABILITY_STEP: [CallbackQueryHandler(disability_chosen, pattern=pattern(DISABLED))],
        PHONE: [
            MessageHandler(filters.CONTACT, contact_shared),
            MessageHandler(_any_language(SKIP) | _any_language(REMOVE), phone_skipped),
            MessageHandler(~filters.COMMAND & ~any_menu_button(), phone_other),
        ],
    }
