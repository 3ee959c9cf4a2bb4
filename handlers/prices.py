"""Market prices: what a harvest is worth today, where, and whether a trader's offer is fair.

The journey is split by who does what: browsing (/harga, 💰, charts), checking an offer and
reporting it (/cek_harga), alerts, and for facilitators recording and reviewing prices.
"""

from __future__ import annotations

from telegram.ext import Application

import bot.services.prices_privacy  # noqa: F401 - registers the price tables' personal data
from bot.i18n import N_
from bot.jobs import prices as price_jobs
from handlers import prices_alerts, prices_browse, prices_check, prices_report, prices_review
from handlers.commands import Command

COMMANDS = [
    Command("harga", N_("Market prices, e.g. /harga kopi")),
    Command("cek_harga", N_("Is a trader's offer fair?")),
    *prices_report.COMMANDS,
    *prices_review.COMMANDS,
]

PARTS = [prices_report, prices_check, prices_alerts, prices_review, prices_browse]
"""Conversations first: a step waiting for typed text must see it before the browse handlers."""


def register(application: Application) -> None:  # type: ignore[type-arg]
    for part in PARTS:
        part.register(application)


async def start_jobs(application: Application) -> None:  # type: ignore[type-arg]
    price_jobs.schedule(application)
