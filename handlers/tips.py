"""Technology tips: members browse, search, rate and subscribe; facilitators write and edit.

The journey is split by audience: `tips_browse` (members), `tips_write` (/tip_baru) and
`tips_manage` (/tip_ubah); `bot.jobs.tips` sends the weekly tip.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

import bot.services.tips_privacy  # noqa: F401 - registers the tip tables' personal data
from bot.context import BerdayaContext
from bot.i18n import N_
from bot.jobs import tips as job
from bot.runtime import Runtime
from bot.services import tips_library
from handlers import tips_browse, tips_manage, tips_write
from handlers.commands import Command
from handlers.tips_render import JOURNEY

log = logging.getLogger("berdaya.tips")

COMMANDS = [
    Command("tips", N_("Practical tips: browse, search, weekly tip")),
    Command("tip_baru", N_("Write a new tip"), staff_only=True),
    Command("tip_ubah", N_("Edit, publish or unpublish tips"), staff_only=True),
]


async def start_jobs(application: Application) -> None:  # type: ignore[type-arg]
    """A new installation gets the shipped library; then the weekly tip is scheduled."""
    runtime: Runtime = application.bot_data
    if runtime.settings.tips.seed_library:
        added = await tips_library.seed_shipped(runtime.sessionmaker, runtime.now())
        if added:
            log.info("loaded %d shipped tips into the empty library", added)
    job.schedule(application)


async def expired_button(update: Update, context: BerdayaContext) -> None:
    """A tips button nothing above took: a step of a form that has ended, most likely."""
    query = update.callback_query
    if query is not None:
        log.info("expired tips button %r", query.data)
        await query.answer(context.tr._("This button is no longer active."), show_alert=True)


def register(application: Application) -> None:  # type: ignore[type-arg]
    # Conversations first: their steps must see a typed answer before any catch-all does.
    tips_write.register(application)
    tips_manage.register(application)
    tips_browse.register(application)
    application.add_handler(CallbackQueryHandler(
        expired_button, pattern=lambda data: isinstance(data, str) and data.startswith(JOURNEY)))
