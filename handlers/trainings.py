"""Trainings journey: members find and join trainings, facilitators run them.

The screens live in `trainings_*` modules registered here in order; this module also owns the
start-up job and `offer_training`, which registration calls after a deep link.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

import bot.services.trainings_privacy  # noqa: F401 - registers the trainings' personal data
from bot.context import BerdayaContext
from bot.i18n import N_
from bot.jobs import trainings as job
from bot.services import trainings
from handlers import (
    trainings_announce,
    trainings_attendance,
    trainings_browse,
    trainings_enroll,
    trainings_feedback,
    trainings_form,
    trainings_manage,
)
from handlers.commands import Command
from handlers.trainings_render import JOURNEY

log = logging.getLogger("berdaya.trainings")

COMMANDS = [
    Command("jadwal", N_("Upcoming trainings near you")),
    Command("pelatihan_saya", N_("My trainings: seats and waitlist")),
    Command("hadir", N_("Check in at a training with its code, e.g. /hadir 4821")),
    Command("pelatihan_baru", N_("Publish a new training"), staff_only=True),
    Command("pelatihan_kelola", N_("Manage my trainings"), staff_only=True),
]

MODULES = (trainings_form, trainings_feedback, trainings_browse, trainings_enroll,
           trainings_manage, trainings_attendance, trainings_announce)
"""Conversations first: while a form waits for text, that text is the form's."""


async def offer_training(update: Update, context: BerdayaContext, training_id: int) -> None:
    """After a deep-link registration: the training from the poster, with its enroll button."""
    chat = update.effective_chat
    if chat is None:
        return
    tr = context.tr
    view = await trainings.get_training(context.runtime.sessionmaker, training_id)
    if view is None:
        text = tr._("The training from your link could not be found. See what is planned: "
                    "/jadwal")
    elif not view.training.is_published:
        text = tr._("Sorry, the training from your link has been cancelled. See other "
                    "trainings: /jadwal")
    elif view.training.starts_at <= context.runtime.now():
        text = tr._("The training from your link has already started or is over. See what is "
                    "coming: /jadwal")
    else:
        await trainings_browse.send_detail(update, context, view,
                                           tr._("Here is the training from your link:"))
        return
    await context.bot.send_message(chat.id, text)


async def expired_button(update: Update, context: BerdayaContext) -> None:
    """A button of this journey that nothing above took: an old form step, most likely."""
    query = update.callback_query
    if query is not None:
        log.info("expired trainings button %r", query.data)
        await query.answer(context.tr._("This button is no longer active."), show_alert=True)


async def start_jobs(application: Application) -> None:  # type: ignore[type-arg]
    job.schedule(application)


def register(application: Application) -> None:  # type: ignore[type-arg]
    for module in MODULES:
        module.register(application)
    application.add_handler(CallbackQueryHandler(
        expired_button, pattern=lambda data: isinstance(data, str) and data.startswith(JOURNEY)))
