"""The training form as it is being filled: its steps, the JSON draft, moving between steps.

One conversation ("training_form") serves /pelatihan_baru and editing from /pelatihan_kelola;
the steps are the same screens, only what follows a step differs (the next question, or back to
the preview when a single field is being changed). The draft lives in
`context.user_data["training_form"]` as JSON, so it survives a restart with its step.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ConversationHandler

from bot.context import BerdayaContext
from bot.services.trainings import TrainingView
from bot.services.trainings_rules import Problem, TrainingDraft
from handlers.callbacks import pack, pattern
from handlers.trainings_render import FORM
from models.training import Training, TrainingStatus

KEY = "training_form"
NEW, EDIT = "new", "edit"

TITLE, CATEGORY, DESCRIPTION = "title", "category", "description"
KECAMATAN, DESA, VENUE, LOCATION = "kecamatan", "desa", "venue", "location"
START_DAY, START_TIME, END_TIME = "start_day", "start_time", "end"
CAPACITY, GROUPS, ORGANIZER_KIND, ORGANIZER = "capacity", "groups", "organizer_kind", "organizer"
ACCESSIBILITY, PREVIEW = "accessibility", "preview"
FLOW = [TITLE, CATEGORY, DESCRIPTION, KECAMATAN, DESA, VENUE, LOCATION, START_DAY, START_TIME,
        END_TIME, CAPACITY, GROUPS, ORGANIZER_KIND, ORGANIZER, ACCESSIBILITY]
FIELD_ENDS = {TITLE, CATEGORY, DESCRIPTION, DESA, VENUE, LOCATION, END_TIME, CAPACITY, GROUPS,
              ORGANIZER, ACCESSIBILITY}
"""After one of these, a single-field change goes back to the preview."""
END = ConversationHandler.END

Form = dict[str, Any]
Asker = Callable[[Update, BerdayaContext, Form], Coroutine[Any, Any, str]]
ASKERS: dict[str, Asker] = {}


def data(action: str, *fields: object) -> str:
    """Callback data of a form button: `tr.f` + action, e.g. `tr.fc:menjahit`."""
    return pack(FORM + action, *fields)


def data_pattern(action: str) -> Callable[[object], bool]:
    return pattern(FORM + action)


def asks(step: str) -> Callable[[Asker], Asker]:
    """Registers the function that shows a step's question (each step module does this)."""

    def add(asker: Asker) -> Asker:
        ASKERS[step] = asker
        return asker

    return add


def get_form(context: BerdayaContext) -> Form | None:
    form = context.user_data.get(KEY) if context.user_data is not None else None
    return form if isinstance(form, dict) else None


def drop_form(context: BerdayaContext) -> None:
    context.user_data.pop(KEY, None)


async def send(update: Update, context: BerdayaContext, text: str,
               markup: InlineKeyboardMarkup | None = None) -> Message:
    assert update.effective_chat is not None
    return await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def settle_tap(update: Update, chosen: str | None = None) -> None:
    """A tapped question keeps its text plus `✓ choice`, and loses its buttons (no second tap)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    message = query.message
    if isinstance(message, Message) and message.text is not None:
        text = message.text_html + (f"\n\n✓ {html.escape(chosen)}" if chosen else "")
        await query.edit_message_text(text, reply_markup=None)


async def ask(step: str, update: Update, context: BerdayaContext, form: Form) -> str:
    form["step"] = step
    return await ASKERS[step](update, context, form)


async def proceed(update: Update, context: BerdayaContext, form: Form, done: str) -> str:
    """The next question, or the preview when the form is complete or one field was changed."""
    if done in FIELD_ENDS and (form.get("editing") or done == FLOW[-1]):
        return await ask(PREVIEW, update, context, form)
    return await ask(FLOW[FLOW.index(done) + 1], update, context, form)


async def problem(update: Update, context: BerdayaContext, found: Problem) -> None:
    """Say what is wrong with an answer; the step stays, so the member simply tries again."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await send(update, context, "⚠️ " + context.tr._(found.message).format(**found.params))


def with_form(callback: Callable[[Update, BerdayaContext], Coroutine[Any, Any, Any]]) -> Any:
    """A step whose draft is gone (erased meanwhile) ends politely instead of failing."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BerdayaContext) -> Any:
        if get_form(context) is None:
            if update.callback_query is not None:
                await update.callback_query.answer()
            await send(update, context, context.tr._(
                "Sorry, I lost track of that form. Please start again: /pelatihan_baru"))
            return END
        return await callback(update, context)

    return guarded


def moment(form: Form, key: str) -> datetime | None:
    value = form.get(key)
    return datetime.fromisoformat(value) if value else None


def to_draft(form: Form) -> TrainingDraft:
    starts, ends = moment(form, "starts"), moment(form, "ends")
    assert starts is not None and ends is not None
    return TrainingDraft(
        title=form["title"], category=form["category"], desa_code=form["desa"],
        venue=form["venue"], starts_at=starts, ends_at=ends, capacity=int(form["capacity"]),
        organizer=form["organizer"], organizer_kind=form["organizer_kind"],
        description=form.get("description", ""), latitude=form.get("lat"),
        longitude=form.get("lon"), target_groups=tuple(form.get("groups", [])),
        accessibility=form.get("accessibility", ""),
    )


def preview_view(form: Form) -> TrainingView:
    """An unsaved training to render with the same card members will see."""
    draft = to_draft(form)
    training = Training(
        title=draft.title, category=draft.category, description=draft.description,
        desa_code=draft.desa_code, venue=draft.venue, latitude=draft.latitude,
        longitude=draft.longitude, starts_at=draft.starts_at, ends_at=draft.ends_at,
        capacity=draft.capacity, seats_taken=int(form.get("taken", 0)),
        target_groups=list(draft.target_groups), organizer=draft.organizer,
        organizer_kind=draft.organizer_kind, accessibility=draft.accessibility,
        status=TrainingStatus.PUBLISHED,
    )
    return TrainingView(training, form["desa_name"], form["kecamatan_name"])
