"""Taking a seat (with a confirmation), the waitlist, seat offers, and /pelatihan_saya.

Buttons that act carry the training's version: after the facilitator changed the training, an
old button says so and shows the new details instead of acting on what the member last saw.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BerdayaContext
from bot.i18n import Translator
from bot.jobs import trainings as job
from bot.services import trainings, trainings_enroll
from bot.services.trainings_enroll import Outcome, Result
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import registered_only
from handlers.trainings_browse import ignore, send_detail
from handlers.trainings_render import (
    CONFIRM,
    ENROLL,
    MARKS,
    NOT_NOW,
    OFFER_DECLINE,
    OFFER_TAKE,
    WAITLIST,
    WITHDRAW,
    WITHDRAW_YES,
    card,
    keyboard,
    summary,
)
from models.training import ACTIVE, EnrollmentStatus, Training

SHOWN = 12
"""Trainings listed by /pelatihan_saya: enough for anyone, and short of Telegram's 4096."""


def _refusal(tr: Translator, outcome: Outcome) -> str:
    return {
        Outcome.GONE: tr._("This training no longer exists."),
        Outcome.CANCELLED: tr._("Sorry, this training has been cancelled."),
        Outcome.CLOSED: tr._("This training has already started or is over, so enrolling is "
                             "closed."),
    }[outcome]


async def _reply(update: Update, context: BerdayaContext, text: str,
                 markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the tapped message, so a finished question cannot be answered twice."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(text, reply_markup=markup)


async def _stale(update: Update, context: BerdayaContext, training_id: int) -> None:
    query = update.callback_query
    assert query is not None
    tr = context.tr
    await query.answer(tr._("This training has changed since this button was made. "
                            "Nothing was done; please look at the new details."), show_alert=True)
    view = await trainings.get_training(context.runtime.sessionmaker, training_id)
    if view is not None:
        await send_detail(update, context, view,
                          tr._("⚠️ This training has changed. Here are the new details:"))


def _full_question(tr: Translator, training: Training, about: str,
                   waiting: int) -> tuple[str, InlineKeyboardMarkup]:
    lines = [tr._("😔 This training is full."), "", about, ""]
    if waiting:
        lines.append(tr.ngettext("{n} person is already waiting.",
                                 "{n} people are already waiting.", waiting).format(n=waiting))
    lines.append(tr._("Join the waitlist? If a seat frees up, we will message you at once."))
    return "\n".join(lines), keyboard([
        [(tr._("⏳ Join the waitlist"), pack(WAITLIST, training.id, training.version))],
        [(tr._("No, thank you"), pack(NOT_NOW))]])


@registered_only
async def enroll_tapped(update: Update, context: BerdayaContext) -> None:
    """[Enroll]: show what the member signs up for and ask them to confirm."""
    fields = unpack(update, int, int)
    if fields is None:
        await ignore(update)
        return
    training_id, version = fields
    tr = context.tr
    view = await trainings.get_training(context.runtime.sessionmaker, training_id)
    query = update.callback_query
    assert query is not None
    if view is None or not view.training.is_published:
        await query.answer(_refusal(tr, Outcome.GONE if view is None else Outcome.CANCELLED),
                           show_alert=True)
        return
    training = view.training
    if training.starts_at <= context.runtime.now():
        await query.answer(_refusal(tr, Outcome.CLOSED), show_alert=True)
        return
    if training.version != version:
        await _stale(update, context, training_id)
        return
    await query.answer()
    assert update.effective_chat is not None
    if training.seats_left <= 0:
        text, markup = _full_question(tr, training, summary(view, tr), 0)
    else:
        text = tr._("Do you want to enroll in this training?") + "\n\n" + card(tr, view)
        markup = keyboard([[(tr._("✅ Yes, enroll me"),
                             pack(CONFIRM, training.id, training.version)),
                            (tr._("No"), pack(NOT_NOW))]])
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _act(update: Update, context: BerdayaContext, waitlist: bool) -> None:
    fields = unpack(update, int, int)
    if fields is None:
        await ignore(update)
        return
    training_id, version = fields
    tr = context.tr
    member = context.member
    assert member is not None
    runtime = context.runtime
    result = await trainings_enroll.enroll(runtime.sessionmaker, training_id, member.id,
                                           runtime.now(), tz=runtime.tz, version=version,
                                           waitlist=waitlist)
    if result.outcome == Outcome.STALE:
        await _stale(update, context, training_id)
        return
    if result.outcome in (Outcome.GONE, Outcome.CANCELLED, Outcome.CLOSED):
        await _reply(update, context, _refusal(tr, result.outcome))
        return
    view = await trainings.get_training(runtime.sessionmaker, training_id)
    assert view is not None
    about = summary(view, tr)
    if result.outcome == Outcome.FULL:
        assert result.training is not None
        await _reply(update, context, *_full_question(tr, result.training, about,
                                                      result.position or 0))
    elif result.outcome == Outcome.ENROLLED:
        await _reply(update, context, tr._("✅ You are enrolled!") + "\n\n" + about + "\n\n"
                     + tr._("We will remind you the evening before and 2 hours before it "
                            "starts. Your trainings: /pelatihan_saya"))
    elif result.outcome == Outcome.WAITLISTED:
        await _reply(update, context, tr._("⏳ You are number {n} on the waitlist.").format(
            n=result.position) + "\n\n" + about + "\n\n" + tr._(
            "If a seat frees up, we will message you and hold it for you for 24 hours."))
    elif result.outcome == Outcome.ALREADY_ENROLLED:
        await _reply(update, context, tr._("You are already enrolled in this training.")
                     + "\n\n" + about)
    else:
        await _reply(update, context, tr._(
            "You are already on the waitlist, as number {n}.").format(n=result.position)
            + "\n\n" + about)


@registered_only
async def confirm_tapped(update: Update, context: BerdayaContext) -> None:
    await _act(update, context, waitlist=False)


@registered_only
async def waitlist_tapped(update: Update, context: BerdayaContext) -> None:
    await _act(update, context, waitlist=True)


async def not_now_tapped(update: Update, context: BerdayaContext) -> None:
    await _reply(update, context, context.tr._("All right, nothing was changed. "
                                               "See all trainings: /jadwal"))


@registered_only
async def withdraw_tapped(update: Update, context: BerdayaContext) -> None:
    """[Cancel my seat]: ask first; a mistaken tap must not give a seat away."""
    fields = unpack(update, int)
    if fields is None:
        await ignore(update)
        return
    tr = context.tr
    member = context.member
    assert member is not None
    runtime = context.runtime
    held = await trainings_enroll.holding(runtime.sessionmaker, fields[0], member.id)
    view = await trainings.get_training(runtime.sessionmaker, fields[0])
    query = update.callback_query
    assert query is not None
    if view is None or held is None or held.status not in ACTIVE:
        await query.answer(tr._("You are not enrolled in this training."), show_alert=True)
        return
    await query.answer()
    question = (tr._("Leave the waitlist for this training?")
                if held.status == EnrollmentStatus.WAITLISTED
                else tr._("Give up your seat in this training? Someone on the waitlist "
                          "will get it."))
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id, question + "\n\n" + summary(view, tr),
        reply_markup=keyboard([[(tr._("Yes, cancel"), pack(WITHDRAW_YES, fields[0])),
                                (tr._("No, keep it"), pack(NOT_NOW))]]))


async def _withdraw(update: Update, context: BerdayaContext, training_id: int) -> Result:
    member = context.member
    assert member is not None
    runtime = context.runtime
    result = await trainings_enroll.withdraw(runtime.sessionmaker, training_id, member.id,
                                             runtime.now())
    if result.passed_to:
        job.kick(context.application)
    return result


@registered_only
async def withdraw_confirmed(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    if fields is None:
        await ignore(update)
        return
    tr = context.tr
    result = await _withdraw(update, context, fields[0])
    if result.outcome == Outcome.WITHDRAWN:
        text = tr._("Done: you are no longer on the list. Thank you for letting us know!")
    elif result.outcome == Outcome.NOT_ENROLLED:
        text = tr._("You are not enrolled in this training.")
    else:
        text = _refusal(tr, result.outcome)
    await _reply(update, context, text + "\n" + tr._("Your trainings: /pelatihan_saya"))


@registered_only
async def offer_taken(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    if fields is None:
        await ignore(update)
        return
    tr = context.tr
    member = context.member
    assert member is not None
    runtime = context.runtime
    result = await trainings_enroll.accept_offer(runtime.sessionmaker, fields[0], member.id,
                                                 runtime.now(), tz=runtime.tz)
    if result.outcome in (Outcome.ENROLLED, Outcome.ALREADY_ENROLLED):
        text = tr._("✅ The seat is yours! We will remind you before the training starts.")
    elif result.outcome == Outcome.OFFER_EXPIRED:
        text = tr._("Sorry, this offer has ended and the seat went to the next person waiting.")
    else:
        text = _refusal(tr, result.outcome)
    await _reply(update, context, text + "\n" + tr._("Your trainings: /pelatihan_saya"))


@registered_only
async def offer_declined(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    if fields is None:
        await ignore(update)
        return
    result = await _withdraw(update, context, fields[0])
    tr = context.tr
    text = (tr._("All right. The seat goes to the next person waiting. Thank you!")
            if result.outcome == Outcome.WITHDRAWN
            else tr._("This offer has already ended."))
    await _reply(update, context, text)


@registered_only
async def my_trainings(update: Update, context: BerdayaContext) -> None:
    """/pelatihan_saya: what I hold or wait for, each with its cancel button."""
    message = update.effective_message
    member = context.member
    assert member is not None
    if message is None:
        return
    tr = context.tr
    runtime = context.runtime
    held = await trainings_enroll.holdings(runtime.sessionmaker, member.id, runtime.now())
    if not held:
        await message.reply_text(tr._("You are not enrolled in any upcoming training yet. "
                                      "See what is planned: /jadwal"))
        return
    parts = ["<b>" + tr._("📋 My trainings") + "</b>"]
    rows = []
    for number, holding in enumerate(held[:SHOWN], start=1):
        status = holding.enrollment.status
        lines = [f"{number}. " + summary(holding.view, tr), tr._(MARKS[status])]
        if status == EnrollmentStatus.WAITLISTED:
            lines.append(tr._("Your place on the waitlist: {n}").format(n=holding.position))
        elif status == EnrollmentStatus.OFFERED and holding.enrollment.offered_until:
            until = holding.enrollment.offered_until
            lines.append(tr._("Take it before {deadline}.").format(
                deadline=f"{tr.date(until)}, {tr.time(until)}"))
        parts.append("\n".join(lines))
        training_id = holding.view.training.id
        row = [(tr._("🙅 Cancel {n}").format(n=number), pack(WITHDRAW, training_id))]
        if status == EnrollmentStatus.OFFERED:
            row.insert(0, (tr._("✅ Take seat {n}").format(n=number),
                           pack(OFFER_TAKE, training_id)))
        rows.append(row)
    if len(held) > SHOWN:
        parts.append(tr._("…and {n} more.").format(n=len(held) - SHOWN))
    await message.reply_text("\n\n".join(parts), reply_markup=keyboard(rows))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("pelatihan_saya", my_trainings))
    for prefix, callback in ((ENROLL, enroll_tapped), (CONFIRM, confirm_tapped),
                             (WAITLIST, waitlist_tapped), (NOT_NOW, not_now_tapped),
                             (WITHDRAW, withdraw_tapped), (WITHDRAW_YES, withdraw_confirmed),
                             (OFFER_TAKE, offer_taken), (OFFER_DECLINE, offer_declined)):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern(prefix)))
