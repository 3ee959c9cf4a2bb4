"""Form steps answered by typing or one tap: title, category, description, venue, seats, target
groups, organizer and accessibility. Each typed answer is checked by the same rules the service
applies when publishing, so a mistake is caught at its own step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BerdayaContext
from bot.i18n import LANGUAGES, N_
from bot.i18n.catalog import translations
from bot.services.groups import group_name, list_groups
from bot.services.trainings_rules import (
    Problem,
    check_accessibility,
    check_capacity,
    check_description,
    check_organizer,
    check_title,
    check_venue,
)
from handlers.callbacks import unpack
from handlers.menu import any_menu_button
from handlers.trainings_form_core import (
    ACCESSIBILITY,
    CAPACITY,
    CATEGORY,
    DESCRIPTION,
    GROUPS,
    ORGANIZER,
    ORGANIZER_KIND,
    TITLE,
    VENUE,
    Form,
    ask,
    asks,
    data,
    data_pattern,
    get_form,
    problem,
    proceed,
    send,
    settle_tap,
    with_form,
)
from handlers.trainings_render import CATEGORY_NAMES, ORGANIZER_KINDS, grid, keyboard

TYPED = filters.TEXT & ~filters.COMMAND & ~any_menu_button()
NOT_TYPED = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:orang|kursi|peserta|people|seats)?\s*$",
                    re.IGNORECASE)
CAPACITY_CHOICES = (10, 15, 20, 25, 30, 50)
EMOJI = re.compile(r"^[^\w]+", re.UNICODE)

Step = Callable[[Update, BerdayaContext], Coroutine[Any, Any, str]]

UNKNOWN_CATEGORY = N_("I do not know that category. Please tap one of the buttons.")
UNKNOWN_KIND = N_("Please tap Local government, NGO or Private partner.")


def skip_button(context: BerdayaContext, step: str) -> list[tuple[str, str]]:
    return [(context.tr._("Skip"), data("s", step))]


def skip_handler(step: str, callback: Step) -> CallbackQueryHandler:  # type: ignore[type-arg]
    """A Skip button only counts in its own step, never a stale one from another question."""
    return CallbackQueryHandler(callback, pattern=lambda d: d == data("s", step))


async def stay(update: Update, step: str) -> str:
    """A tampered or outdated button: its spinner stops and the same question stays open."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    return step


def _fold(text: str) -> str:
    return EMOJI.sub("", text).strip().casefold()


def match_choice(text: str, choices: dict[str, str]) -> str | None:
    """A typed code or label (in either language) of a button choice."""
    wanted = _fold(text)
    for code, label in choices.items():
        names = {code.casefold()} | {_fold(translations(lang).gettext(label))
                                      for lang in LANGUAGES}
        if wanted in names:
            return code
    return None


def text_step(step: str, check: Callable[[str], Problem | None]) -> Step:
    """Store a typed answer once it passes its check; otherwise say why and wait."""

    @with_form
    async def typed(update: Update, context: BerdayaContext) -> str:
        form = get_form(context)
        assert form is not None and update.effective_message is not None
        text = (update.effective_message.text or "").strip()
        if (found := check(text)) is not None:
            await problem(update, context, found)
            return step
        form[step] = text
        return await proceed(update, context, form, step)

    return typed


def choice_step(step: str, choices: dict[str, str], unknown: str) -> tuple[Step, Step]:
    """A step answered by one of ``choices`` (code to label), tapped or typed by code or label;
    ``unknown`` is said when the typed text is none of them."""

    async def choose(update: Update, context: BerdayaContext, code: str) -> str:
        form = get_form(context)
        assert form is not None
        await settle_tap(update, context.tr._(choices[code]))
        form[step] = code
        return await proceed(update, context, form, step)

    @with_form
    async def tapped(update: Update, context: BerdayaContext) -> str:
        fields = unpack(update, str)
        if fields is None or fields[0] not in choices:
            return await stay(update, step)
        return await choose(update, context, fields[0])

    @with_form
    async def typed(update: Update, context: BerdayaContext) -> str:
        assert update.effective_message is not None
        code = match_choice(update.effective_message.text or "", choices)
        if code is None:
            await send(update, context, context.tr._(unknown))
            return step
        return await choose(update, context, code)

    return tapped, typed


def skipping(step: str, cleared: Any = "") -> Step:
    @with_form
    async def skip(update: Update, context: BerdayaContext) -> str:
        form = get_form(context)
        assert form is not None
        await settle_tap(update, context.tr._("Skip"))
        form[step] = cleared
        return await proceed(update, context, form, step)

    return skip


async def reprompt(update: Update, context: BerdayaContext) -> str:
    """A sticker, photo or voice note where a typed answer or a tap is expected."""
    form = get_form(context)
    if form is None or "step" not in form:
        return TITLE
    await send(update, context, context.tr._("Please answer with text or the buttons."))
    return await ask(form["step"], update, context, form)


@asks(TITLE)
async def ask_title(update: Update, context: BerdayaContext, form: Form) -> str:
    await send(update, context, context.tr._(
        "📝 What is the training called? For example: <i>Menjahit Pakaian Dasar</i>"))
    return TITLE


@asks(CATEGORY)
async def ask_category(update: Update, context: BerdayaContext, form: Form) -> str:
    tr = context.tr
    choices = [(tr._(label), data("c", code)) for code, label in CATEGORY_NAMES.items()]
    await send(update, context, tr._("🏷 What kind of training is it?"),
               keyboard(grid(choices, 2)))
    return CATEGORY


category_tapped, category_typed = choice_step(
    CATEGORY, CATEGORY_NAMES, UNKNOWN_CATEGORY)  # type: ignore[arg-type]


@asks(DESCRIPTION)
async def ask_description(update: Update, context: BerdayaContext, form: Form) -> str:
    await send(update, context, context.tr._(
        "📄 Describe it in a few sentences: what will people learn, what should they bring?"),
        keyboard([skip_button(context, DESCRIPTION)]))
    return DESCRIPTION


@asks(VENUE)
async def ask_venue(update: Update, context: BerdayaContext, form: Form) -> str:
    await send(update, context, context.tr._(
        "🏠 Where exactly? The venue's name, for example: <i>Balai Desa Kungkai</i>"))
    return VENUE


@asks(CAPACITY)
async def ask_capacity(update: Update, context: BerdayaContext, form: Form) -> str:
    choices = [(str(n), data("n", n)) for n in CAPACITY_CHOICES]
    await send(update, context, context.tr._(
        "🪑 How many people can take part? Tap a number or type it."), keyboard([choices]))
    return CAPACITY


async def _set_capacity(update: Update, context: BerdayaContext, capacity: int) -> str:
    form = get_form(context)
    assert form is not None
    if (found := check_capacity(capacity, int(form.get("taken", 0)))) is not None:
        await problem(update, context, found)
        return CAPACITY
    await settle_tap(update, str(capacity))
    form[CAPACITY] = capacity
    return await proceed(update, context, form, CAPACITY)


@with_form
async def capacity_typed(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    match = NUMBER.match(update.effective_message.text or "")
    if match is None:
        await send(update, context, context.tr._("Please send a number, for example 25."))
        return CAPACITY
    return await _set_capacity(update, context, int(match[1].replace(".", "")))


@with_form
async def capacity_tapped(update: Update, context: BerdayaContext) -> str:
    fields = unpack(update, int)
    if fields is None:
        return await stay(update, CAPACITY)
    return await _set_capacity(update, context, fields[0])


async def _groups_markup(context: BerdayaContext, form: Form) -> Any:
    tr = context.tr
    chosen = set(form.get(GROUPS, []))
    rows = [[(("✓ " if g.code in chosen else "") + group_name(tr, g.code, g.name),
              data("g", g.code))] for g in await list_groups(context.runtime.sessionmaker)]
    rows.append([(tr._("Done"), data("gd"))])
    return keyboard(rows)


@asks(GROUPS)
async def ask_groups(update: Update, context: BerdayaContext, form: Form) -> str:
    await send(update, context, context.tr._(
        "👥 Who is it for? Tap every group that fits, then Done. Choose none if it is open to "
        "everyone."), await _groups_markup(context, form))
    return GROUPS


@with_form
async def group_toggled(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    query = update.callback_query
    assert form is not None and query is not None
    fields = unpack(update, str)
    known = {g.code for g in await list_groups(context.runtime.sessionmaker)}
    await query.answer()
    if fields is None or fields[0] not in known:
        return GROUPS
    chosen = list(form.get(GROUPS, []))
    if fields[0] in chosen:
        chosen.remove(fields[0])
    else:
        chosen.append(fields[0])
    form[GROUPS] = chosen
    await query.edit_message_reply_markup(await _groups_markup(context, form))
    return GROUPS


@with_form
async def groups_done(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None
    tr = context.tr
    names = ", ".join(group_name(tr, code) for code in form.get(GROUPS, []))
    await settle_tap(update, names or tr._("Open to everyone"))
    return await proceed(update, context, form, GROUPS)


async def groups_typed(update: Update, context: BerdayaContext) -> str:
    await send(update, context, context.tr._("Please tap the groups above, then Done."))
    return GROUPS


@asks(ORGANIZER_KIND)
async def ask_organizer_kind(update: Update, context: BerdayaContext, form: Form) -> str:
    tr = context.tr
    await send(update, context, tr._("🏛 Who organizes it?"), keyboard([[
        (tr._(label), data("o", code)) for code, label in ORGANIZER_KINDS.items()]]))
    return ORGANIZER_KIND


kind_tapped, kind_typed = choice_step(
    ORGANIZER_KIND, ORGANIZER_KINDS, UNKNOWN_KIND)  # type: ignore[arg-type]


@asks(ORGANIZER)
async def ask_organizer(update: Update, context: BerdayaContext, form: Form) -> str:
    await send(update, context, context.tr._(
        "Which office, organisation or company? For example: <i>Dinas Pertanian Kabupaten "
        "Merangin</i>"))
    return ORGANIZER


@asks(ACCESSIBILITY)
async def ask_accessibility(update: Update, context: BerdayaContext, form: Form) -> str:
    await send(update, context, context.tr._(
        "♿ Is the venue easy to reach for people with a disability? For example: <i>ground "
        "floor, no stairs, toilet nearby</i>. Type a short note, or tap Skip."),
        keyboard([skip_button(context, ACCESSIBILITY)]))
    return ACCESSIBILITY


def state_handlers() -> dict[str, list[BaseHandler[Any, Any, Any]]]:
    other = MessageHandler(NOT_TYPED, reprompt)
    return {
        TITLE: [MessageHandler(TYPED, text_step(TITLE, check_title)), other],
        CATEGORY: [CallbackQueryHandler(category_tapped, pattern=data_pattern("c")),
                   MessageHandler(TYPED, category_typed), other],
        DESCRIPTION: [MessageHandler(TYPED, text_step(DESCRIPTION, check_description)),
                      skip_handler(DESCRIPTION, skipping(DESCRIPTION)), other],
        VENUE: [MessageHandler(TYPED, text_step(VENUE, check_venue)), other],
        CAPACITY: [CallbackQueryHandler(capacity_tapped, pattern=data_pattern("n")),
                   MessageHandler(TYPED, capacity_typed), other],
        GROUPS: [CallbackQueryHandler(group_toggled, pattern=data_pattern("g")),
                 CallbackQueryHandler(groups_done, pattern=data_pattern("gd")),
                 MessageHandler(TYPED, groups_typed), other],
        ORGANIZER_KIND: [CallbackQueryHandler(kind_tapped, pattern=data_pattern("o")),
                         MessageHandler(TYPED, kind_typed), other],
        ORGANIZER: [MessageHandler(TYPED, text_step(ORGANIZER, check_organizer)), other],
        ACCESSIBILITY: [MessageHandler(TYPED, text_step(ACCESSIBILITY, check_accessibility)),
                        skip_handler(ACCESSIBILITY, skipping(ACCESSIBILITY)), other],
    }
