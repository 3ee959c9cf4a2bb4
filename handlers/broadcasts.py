"""Broadcasts: facilitators reach chosen members; a delivery job drains the outbox.

The composer (`/siaran`) is in broadcasts_compose, what happens after sending (history,
cancel, correction, withdrawal, report) in broadcasts_history, and the engine in
bot/jobs/broadcasts.py.
"""

from __future__ import annotations

from telegram.ext import Application, ContextTypes

import bot.services.broadcasts_privacy  # noqa: F401 - registers the broadcast tables' personal data
from bot.i18n import N_
from bot.jobs import broadcasts_app as delivery
from handlers import broadcasts_compose, broadcasts_history
from handlers.commands import Command

COMMANDS = [
    Command("siaran", N_("Send a broadcast to members"), staff_only=True),
    Command("siaran_riwayat", N_("Recent broadcasts and their counts"), staff_only=True),
]
JOB = "broadcasts.engine"


def register(application: Application) -> None:  # type: ignore[type-arg]
    broadcasts_compose.register(application)
    broadcasts_history.register(application)


async def start_jobs(application: Application) -> None:  # type: ignore[type-arg]
    """One delivery engine per process; scheduled and unfinished broadcasts are in the tables,
    so starting it is all a restart needs."""
    assert application.job_queue is not None
    if application.job_queue.get_jobs_by_name(JOB):
        return
    delivery.engine_for(application)
    application.job_queue.run_once(_run, when=0, name=JOB)


async def _run(context: ContextTypes.DEFAULT_TYPE) -> None:
    application = context.application
    await delivery.engine_for(application).run(should_stop=lambda: not application.running)
