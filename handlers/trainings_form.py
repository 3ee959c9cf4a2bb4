"""/pelatihan_baru and editing from /pelatihan_kelola: one persistent form, a preview, publish.

The preview is the same card members will see. Publishing and saving go through the service,
which checks everything again (a start time may have passed while the preview waited).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.context import BerdayaContext
from bot.jobs import trainings as job
from bot.services import trainings
from bot.services.trainings import TrainingGone, TrainingStale
from bot.services.trainings_rules import TrainingRejected
from handlers import (
    trainings_announce,
    trainings_form_steps,
    trainings_form_when,
    trainings_form_where,
)
from handlers.callbacks import pattern, unpack
from handlers.guards import staff_only
from handlers.trainings_browse import ignore
from handlers.trainings_form_core import (
    ACCESSIBILITY,
    CAPACITY,
    CATEGORY,
    DESCRIPTION,
    EDIT,
    END,
    GROUPS,
    KECAMATAN,
    KEY,
    LOCATION,
    NEW,
    ORGANIZER_KIND,
    PREVIEW,
    START_DAY,
    TITLE,
    VENUE,
    Form,
    ask,
    asks,
    data,
    data_pattern,
    drop_form,
    get_form,
    preview_view,
    send,
    settle_tap,
    to_draft,
    with_form,
)
from handlers.trainings_render import MANAGE_EDIT, card, grid, keyboard

FIELDS = {
    TITLE: "📝", CATEGORY: "🏷", DESCRIPTION: "📄", KECAMATAN: "🗺", VENUE: "🏠", LOCATION: "📍",
    START_DAY: "📅", CAPACITY: "🪑", GROUPS: "👥", ORGANIZER_KIND: "🏛", ACCESSIBILITY: "♿",
}
"""What a facilitator may change from the preview, each opening its first step."""


def _field_names(context: BerdayaContext) -> dict[str, str]:
    tr = context.tr
    return {TITLE: tr._("Title"), CATEGORY: tr._("Category"), DESCRIPTION: tr._("Description"),
            KECAMATAN: tr._("Desa"), VENUE: tr._("Venue"), LOCATION: tr._("Map pin"),
            START_DAY: tr._("Date and time"), CAPACITY: tr._("Seats"),
            GROUPS: tr._("Who it is for"), ORGANIZER_KIND: tr._("Organizer"),
            ACCESSIBILITY: tr._("Accessibility")}


@staff_only
async def start_new(update: Update, context: BerdayaContext) -> str:
    context.user_data[KEY] = {"mode": NEW, "groups": []}
    await send(update, context, context.tr._(
        "Let's publish a new training. Answer a few questions; you will see a preview before "
        "anything is published. Send /batal to stop at any time."))
    return await ask(TITLE, update, context, context.user_data[KEY])


@staff_only
async def start_edit(update: Update, context: BerdayaContext) -> Any:
    fields = unpack(update, int, int)
    query = update.callback_query
    assert query is not None
    if fields is None:
        await ignore(update)
        return END
    tr = context.tr
    member = context.member
    assert member is not None
    view = await trainings.get_training(context.runtime.sessionmaker, fields[0])
    if view is None or not trainings.may_manage(member, view.training):
        await query.answer(tr._("You cannot manage this training."), show_alert=True)
        return END
    training = view.training
    if training.version != fields[1]:
        await query.answer(tr._("This training has changed since. Open it again from "
                                "/pelatihan_kelola."), show_alert=True)
        return END
    if not training.is_published or training.ends_at <= context.runtime.now():
        await query.answer(tr._("This training cannot be changed any more."), show_alert=True)
        return END
    await query.answer()
    context.user_data[KEY] = {
        "mode": EDIT, "id": training.id, "version": training.version, "editing": True,
        "taken": training.seats_taken, "title": training.title, "category": training.category,
        "description": training.description, "kecamatan": training.kecamatan_code,
        "kecamatan_name": view.kecamatan_name, "desa": training.desa_code,
        "desa_name": view.desa_name, "venue": training.venue, "lat": training.latitude,
        "lon": training.longitude, "starts": training.starts_at.isoformat(),
        "ends": training.ends_at.isoformat(), "capacity": training.capacity,
        "groups": list(training.target_groups), "organizer_kind": training.organizer_kind,
        "organizer": training.organizer, "accessibility": training.accessibility,
    }
    return await ask(PREVIEW, update, context, context.user_data[KEY])


@asks(PREVIEW)
async def ask_preview(update: Update, context: BerdayaContext, form: Form) -> str:
    tr = context.tr
    form["editing"] = True
    heading = (tr._("<b>Preview</b>: this is how members will see it.") if form["mode"] == NEW
               else tr._("<b>Your changes</b>: this is how members will see it."))
    action = (tr._("✅ Publish") if form["mode"] == NEW else tr._("💾 Save changes"))
    await send(update, context, heading + "\n\n" + card(tr, preview_view(form), full=True),
               keyboard([[(action, data("v", "ok"))],
                        [(tr._("✏️ Change something"), data("v", "change"))],
                        [(tr._("🗑 Discard"), data("v", "drop"))]]))
    return PREVIEW


@staff_only
@with_form
async def preview_tapped(update: Update, context: BerdayaContext) -> Any:
    form = get_form(context)
    fields = unpack(update, str)
    assert form is not None
    tr = context.tr
    if fields is None or fields[0] not in ("ok", "change", "drop"):
        await ignore(update)
        return PREVIEW
    if fields[0] == "drop":
        await settle_tap(update, tr._("Discarded"))
        drop_form(context)
        await send(update, context, tr._("Nothing was saved."))
        return END
    if fields[0] == "change":
        await settle_tap(update)
        names = _field_names(context)
        choices = [(f"{icon} {names[field]}", data("x", field)) for field, icon in FIELDS.items()]
        await send(update, context, tr._("What do you want to change?"),
                   keyboard([*grid(choices, 2), [(tr._("↩ Back to the preview"), data("x", "-"))]]))
        return PREVIEW
    return await (_publish(update, context, form) if form["mode"] == NEW
                  else _save(update, context, form))


@with_form
async def field_chosen(update: Update, context: BerdayaContext) -> Any:
    form = get_form(context)
    fields = unpack(update, str)
    assert form is not None
    await settle_tap(update)
    if fields is None or fields[0] not in FIELDS:
        return await ask(PREVIEW, update, context, form)
    return await ask(fields[0], update, context, form)


async def _rejected(update: Update, context: BerdayaContext, form: Form,
                    error: TrainingRejected) -> str:
    tr = context.tr
    lines = [tr._("⚠️ This cannot be saved yet:")]
    lines += [f"• {tr._(p.message).format(**p.params)}" for p in error.problems]
    await send(update, context, "\n".join(lines))
    return await ask(PREVIEW, update, context, form)


async def _publish(update: Update, context: BerdayaContext, form: Form) -> Any:
    tr = context.tr
    member = context.member
    assert member is not None
    try:
        training = await trainings.create_training(
            context.runtime.sessionmaker, to_draft(form), context.runtime.now(), member.id)
    except TrainingRejected as error:
        await settle_tap(update)
        return await _rejected(update, context, form, error)
    await settle_tap(update, tr._("Published"))
    drop_form(context)
    await trainings_announce.offer(update, context, training, tr._(
        "✅ Published! Members can find it now with /jadwal. You can change it, see who "
        "enrolled and take attendance with /pelatihan_kelola.") + "\n"
        + tr._("Training number: {id}").format(id=training.id))
    return END


async def _save(update: Update, context: BerdayaContext, form: Form) -> Any:
    tr = context.tr
    member = context.member
    assert member is not None
    runtime = context.runtime
    try:
        change = await trainings.update_training(
            runtime.sessionmaker, int(form["id"]), to_draft(form), runtime.now(), actor=member,
            expected_version=int(form["version"]), tz=runtime.tz)
    except TrainingRejected as error:
        await settle_tap(update)
        return await _rejected(update, context, form, error)
    except (TrainingStale, TrainingGone) as error:
        await settle_tap(update)
        drop_form(context)
        await send(update, context, tr._(
            "Nothing was saved: this training was changed or cancelled meanwhile. Open it "
            "again from /pelatihan_kelola.") if isinstance(error, TrainingStale) else tr._(
            "Nothing was saved: this training cannot be changed any more."))
        return END
    await settle_tap(update, tr._("Saved"))
    drop_form(context)
    job.kick(context.application)
    text = tr._("💾 Saved.")
    if change.told:
        text += " " + tr.ngettext("{n} member is being told about the new time or place.",
                                  "{n} members are being told about the new time or place.",
                                  change.told).format(n=change.told)
    await send(update, context, text)
    return END


async def cancelled(update: Update, context: BerdayaContext) -> int:
    drop_form(context)
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.tr._(
            "Stopped. Nothing was saved."))
    return END


def register(application: Application) -> None:  # type: ignore[type-arg]
    states: dict[object, list[Any]] = {
        PREVIEW: [CallbackQueryHandler(preview_tapped, pattern=data_pattern("v")),
                  CallbackQueryHandler(field_chosen, pattern=data_pattern("x"))],
    }
    for module in (trainings_form_steps, trainings_form_when, trainings_form_where):
        states.update(module.state_handlers())
    application.add_handler(ConversationHandler(
        entry_points=[CommandHandler("pelatihan_baru", start_new),
                      CallbackQueryHandler(start_edit, pattern=pattern(MANAGE_EDIT))],
        states=states,
        fallbacks=[CommandHandler("batal", cancelled)],
        name=KEY, persistent=True, allow_reentry=True,
    ))
