"""`/profil` and `/bahasa`: what is stored about me, and the buttons to change it.

The change buttons start the registration conversation's steps in profile mode
(`handlers.registration_flow`), so each screen exists once.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import BerdayaContext
from bot.i18n import LANGUAGES, N_, Translator
from bot.services import profile
from bot.services.groups import GROUP_NAMES, group_name
from bot.services.places import Place
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only
from handlers.menu import PROFILE, main_menu, menu_button
from handlers.registration_messages import edit

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
"""Each language in its own words: someone who cannot read the other still finds theirs."""

DISABILITY_ANSWERS = {
    "yes": N_("Yes"),
    "no": N_("No"),
    "skip": N_("I prefer not to answer"),
}

EDIT = "pf.e"
"""Callback prefix of the change buttons; `handlers.registration_flow` owns their handler."""
LANGUAGE = "pf.l"
FIELD_LABELS = {
    "name": N_("✏️ Name"), "place": N_("🏠 Desa"), "groups": N_("👥 Groups"),
    "phone": N_("📱 Phone"), "language": N_("🌐 Language"),
}


def place_label(tr: Translator, place: Place, markup: bool = True) -> str:
    """"Desa, Kecamatan X": the kecamatan tells apart desa that share a name. `markup=False`
    for button labels, which Telegram does not parse."""
    escape = html.escape if markup else str
    if not place.parent_name:
        return escape(place.name)
    return tr._("{desa}, Kecamatan {kecamatan}").format(
        desa=escape(place.name), kecamatan=escape(place.parent_name))


def _position(code: str) -> int:
    """The programme's own order of its groups, whatever order they were ticked in."""
    order = list(GROUP_NAMES)
    return order.index(code) if code in order else len(order)


def card(
    tr: Translator, *, name: str, place: Place | None, groups: Sequence[str],
    phone: str | None, language: str, disability: str | None = None,
) -> str:
    """The member's details as they read them in the summary, the profile and the export."""
    where = place_label(tr, place) if place is not None else "—"
    lines = [
        tr._("👤 Name: {name}").format(name=html.escape(name)),
        tr._("🏠 Desa: {place}").format(place=where),
        tr._("👥 Groups: {groups}").format(
            groups=", ".join(group_name(tr, code) for code in sorted(groups, key=_position))
            or "—"),
    ]
    if disability == "skip":
        not_said = DISABILITY_ANSWERS["skip"]
        lines.append(tr._("♿ Disability: {answer}").format(answer=tr._(not_said)))
    lines += [
        tr._("📱 Phone: {phone}").format(phone=html.escape(phone) if phone else tr._("not given")),
        tr._("🌐 Language: {language}").format(language=LANGUAGE_NAMES.get(language, language)),
    ]
    return "\n".join(lines)


def language_keyboard(current: str | None, prefix: str = LANGUAGE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(("✓ " if code == current else "") + LANGUAGE_NAMES[code],
                             callback_data=pack(prefix, code))
        for code in LANGUAGES
    ]])


async def show_profile(update: Update, context: BerdayaContext) -> None:
    tr = context.tr
    member = context.member
    assert member is not None and update.effective_chat is not None
    stored = await profile.load_profile(context.runtime.sessionmaker, member.id)
    if stored is None:
        await context.bot.send_message(update.effective_chat.id,
                                       tr._("Please register first: send /daftar. "
                                            "It takes about a minute."))
        return
    buttons = [InlineKeyboardButton(tr._(label), callback_data=pack(EDIT, field))
               for field, label in FIELD_LABELS.items() if field != "language"]
    language = FIELD_LABELS["language"]
    rows = [buttons[:2], buttons[2:], [
        InlineKeyboardButton(tr._(language), callback_data=pack(LANGUAGE)),
    ], [
        InlineKeyboardButton(tr._("📄 My data"), callback_data=pack("pv.export")),
        InlineKeyboardButton(tr._("🗑 Delete my data"), callback_data=pack("pv.erase")),
    ]]
    text = "\n".join([
        tr._("<b>Your profile</b>"),
        card(tr, name=stored.full_name, place=stored.desa, groups=stored.groups,
             phone=stored.phone, language=stored.language),
        "",
        tr._("Tap a button to change something."),
    ])
    await context.bot.send_message(update.effective_chat.id, text,
                                   reply_markup=InlineKeyboardMarkup(rows))


@registered_only
async def profile_command(update: Update, context: BerdayaContext) -> None:
    await show_profile(update, context)


@registered_only
async def language_command(update: Update, context: BerdayaContext) -> None:
    """`/bahasa` shows the choice; `/bahasa en` switches straight away."""
    assert context.member is not None and update.effective_message is not None
    wanted = (context.args or [""])[0].lower()
    if wanted in LANGUAGES:
        await _switch(update, context, wanted)
        return
    await update.effective_message.reply_text(
        context.tr._("Choose your language:"),
        reply_markup=language_keyboard(context.member.language),
    )


@registered_only
async def language_button(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None and context.member is not None
    if query.data == LANGUAGE:
        await query.answer()
        await edit(update, None, language_keyboard(context.member.language))
        return
    fields = unpack(update, str)
    if fields is None or fields[0] not in LANGUAGES:
        await query.answer()
        return
    await query.answer()
    await _switch(update, context, fields[0])


async def _switch(update: Update, context: BerdayaContext, language: str) -> None:
    """Everything after this, the menu keyboard included, is in the new language."""
    member = context.member
    assert member is not None and update.effective_chat is not None
    await profile.change_language(context.runtime.sessionmaker, member.id, language)
    member.language = language
    tr = context.use_language(language, None)
    await context.bot.send_message(
        update.effective_chat.id,
        tr._("Done: I will speak {language} from now on.").format(
            language=LANGUAGE_NAMES[language]),
        reply_markup=main_menu(tr),
    )


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("profil", profile_command))
    application.add_handler(MessageHandler(menu_button(PROFILE), profile_command))
    application.add_handler(CommandHandler("bahasa", language_command))
    application.add_handler(CallbackQueryHandler(language_button, pattern=pattern(LANGUAGE)))
