"""/pelatihan_kelola: a facilitator's trainings with their numbers, people, edits and cancelling.

Editing opens the same form as /pelatihan_baru (see `trainings_form`); cancelling asks first and
then tells every member holding or awaiting a seat, through the notice job.
"""

from __future__ import annotations

import html
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BerdayaContext
from bot.i18n import Translator
from bot.jobs import trainings as job
from bot.services import trainings
from bot.services import trainings_attendance as attendance
from bot.services.trainings import Stats, TrainingGone, TrainingStale, TrainingView
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import staff_only
from handlers.trainings_browse import ignore
from handlers.trainings_render import (
    MANAGE,
    MANAGE_CANCEL,
    MANAGE_CANCEL_YES,
    MANAGE_EDIT,
    MANAGE_PEOPLE,
    NOT_NOW,
    SHEET,
    card,
    summary,
)
from models.training import EnrollmentStatus

SHOWN_SINCE = timedelta(days=30)
ROSTER_CHARS = 3500
"""Room left in one message (4096 characters) after the heading and the closing line."""


def _stats(tr: Translator, view: TrainingView, stats: Stats) -> str:
    training = view.training
    lines = [
        tr._("👥 Enrolled: {enrolled} of {capacity}").format(enrolled=stats.enrolled,
                                                            capacity=training.capacity),
        tr._("⏳ Waitlist: {waiting} · 🎟 Offered: {offered}").format(
            waiting=stats.waitlisted, offered=stats.offered),
        tr._("✅ Came: {attended}").format(attended=stats.attended),
    ]
    if stats.average_rating is not None:
        lines.append(tr.ngettext("⭐ {average} from {n} rating", "⭐ {average} from {n} ratings",
                                 stats.ratings).format(
            average=tr.number(round(stats.average_rating, 1)), n=stats.ratings))
    return "\n".join(lines)


@staff_only
async def manage_command(update: Update, context: BerdayaContext) -> None:
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    tr = context.tr
    views = await trainings.managed_trainings(context.runtime.sessionmaker, member,
                                              context.runtime.now(), since=SHOWN_SINCE)
    if not views:
        await message.reply_text(tr._("You have no trainings yet. Publish one with "
                                      "/pelatihan_baru"))
        return
    rows = [[InlineKeyboardButton(
        ("❌ " if not v.training.is_published else "")
        + f"{tr.short_date(v.training.starts_at)} · {v.training.title[:40]}",
        callback_data=pack(MANAGE, v.training.id))] for v in views]
    await message.reply_text(tr._("Your trainings (from the past 30 days on). Which one?"),
                             reply_markup=InlineKeyboardMarkup(rows))


async def _view_or_deny(update: Update, context: BerdayaContext,
                        training_id: int) -> TrainingView | None:
    view = await trainings.get_training(context.runtime.sessionmaker, training_id)
    member = context.member
    if view is None or member is None or not trainings.may_manage(member, view.training):
        if update.callback_query is not None:
            await update.callback_query.answer(context.tr._("You cannot manage this training."),
                                               show_alert=True)
        return None
    return view


@staff_only
async def training_tapped(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    if fields is None:
        await ignore(update)
        return
    view = await _view_or_deny(update, context, fields[0])
    if view is None:
        return
    tr = context.tr
    training = view.training
    stats = await trainings.training_stats(context.runtime.sessionmaker, training.id)
    rows = []
    if training.is_published and training.ends_at > context.runtime.now():
        rows.append([
            InlineKeyboardButton(tr._("✏️ Edit"),
                                 callback_data=pack(MANAGE_EDIT, training.id, training.version)),
            InlineKeyboardButton(tr._("❌ Cancel training"), callback_data=pack(
                MANAGE_CANCEL, training.id, training.version)),
        ])
    rows.append([
        InlineKeyboardButton(tr._("👥 People"), callback_data=pack(MANAGE_PEOPLE, training.id)),
        InlineKeyboardButton(tr._("✅ Attendance"), callback_data=pack(SHEET, training.id, 0)),
    ])
    assert update.callback_query is not None and update.effective_chat is not None
    await update.callback_query.answer()
    await context.bot.send_message(
        update.effective_chat.id, card(tr, view) + "\n\n" + _stats(tr, view, stats),
        reply_markup=InlineKeyboardMarkup(rows))


@staff_only
async def cancel_tapped(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int, int)
    if fields is None:
        await ignore(update)
        return
    view = await _view_or_deny(update, context, fields[0])
    if view is None:
        return
    tr = context.tr
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    if view.training.version != fields[1]:
        await query.answer(tr._("This training has changed since. Open it again from "
                                "/pelatihan_kelola."), show_alert=True)
        return
    await query.answer()
    stats = await trainings.training_stats(context.runtime.sessionmaker, view.training.id)
    told = stats.enrolled + stats.waitlisted + stats.offered
    await context.bot.send_message(
        update.effective_chat.id,
        tr._("Cancel this training?") + "\n\n" + summary(view, tr) + "\n\n"
        + tr.ngettext("{n} member will be told.", "{n} members will be told.", told)
        .format(n=told),
        reply_markup=InlineKeyboardMarkup([[
            InlineKeyboardButton(tr._("Yes, cancel it"), callback_data=pack(
                MANAGE_CANCEL_YES, view.training.id, view.training.version)),
            InlineKeyboardButton(tr._("No"), callback_data=pack(NOT_NOW)),
        ]]))


@staff_only
async def cancel_confirmed(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int, int)
    if fields is None:
        await ignore(update)
        return
    tr = context.tr
    member = context.member
    assert member is not None
    query = update.callback_query
    assert query is not None
    try:
        change = await trainings.cancel_training(
            context.runtime.sessionmaker, fields[0], context.runtime.now(), actor=member,
            expected_version=fields[1])
    except TrainingStale:
        await query.answer(tr._("This training has changed since. Nothing was done; open it "
                                "again from /pelatihan_kelola."), show_alert=True)
        return
    except TrainingGone:
        await query.answer(tr._("This training cannot be cancelled any more."), show_alert=True)
        return
    job.kick(context.application)
    await query.answer()
    await query.edit_message_text(
        tr._("❌ <b>{title}</b> is cancelled.").format(title=html.escape(change.training.title))
        + "\n" + tr.ngettext("{n} member is being told.", "{n} members are being told.",
                             change.told).format(n=change.told))


@staff_only
async def people_tapped(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    if fields is None:
        await ignore(update)
        return
    member = context.member
    assert member is not None
    tr = context.tr
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    try:
        rows = await attendance.roster(context.runtime.sessionmaker, fields[0], member)
    except TrainingGone:
        await query.answer(tr._("You cannot manage this training."), show_alert=True)
        return
    await query.answer()
    marks = {EnrollmentStatus.ENROLLED: "👤", EnrollmentStatus.OFFERED: "🎟",
             EnrollmentStatus.WAITLISTED: "⏳"}
    lines = [tr._("<b>People</b> (👤 enrolled, 🎟 seat offered, ⏳ waiting, ✅ came)")]
    waiting = shown = 0
    budget = ROSTER_CHARS
    for row in rows:
        if row.status == EnrollmentStatus.WAITLISTED:
            waiting += 1
            mark = f"⏳{waiting}"
        else:
            mark = marks.get(row.status, "·")  # type: ignore[call-overload]
        line = f"{mark} {html.escape(row.name)}"
        if row.attended:
            line += " ✅"
        if row.rating:
            line += f" {row.rating}⭐"
        if row.comment:
            line += f" — <i>{html.escape(row.comment[:200])}</i>"
        budget -= len(line) + 1
        if budget < 0:
            break
        lines.append(line)
        shown += 1
    if not rows:
        lines.append(tr._("Nobody yet."))
    if shown < len(rows):
        lines.append(tr._("…and {n} more. The full list: berdaya trainings export").format(
            n=len(rows) - shown))
    await context.bot.send_message(update.effective_chat.id, "\n".join(lines))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("pelatihan_kelola", manage_command))
    for prefix, callback in ((MANAGE, training_tapped), (MANAGE_CANCEL, cancel_tapped),
                             (MANAGE_CANCEL_YES, cancel_confirmed),
                             (MANAGE_PEOPLE, people_tapped)):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern(prefix)))
