"""Price jobs: alerts when a price crosses a member's threshold, and the 06.00 digest.

One tick a minute does both. Alerts are checked only for commodities whose `data_version`
moved since the last tick (every price write bumps it), and after a restart for all of them;
the digest goes out on the first tick from 06.00 WIB. Both services mark what they hand back,
so running a tick twice never sends anything twice. Tests call `check_alerts` and
`send_digests` directly after moving the clock.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from sqlalchemy import select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.runtime import Runtime
from bot.services.prices import load_catalogue
from bot.services.prices_alerts import due_alerts, due_digests
from handlers.callbacks import pack
from handlers.prices_views import SHOW, alert_text, digest_text
from models.price import Commodity

log = logging.getLogger("berdaya.jobs.prices")

TICK_SECONDS = 60
NAME = "prices"
_seen: weakref.WeakKeyDictionary[Any, dict[int, int]] = weakref.WeakKeyDictionary()
"""Per application: each commodity's data_version at the last alert check."""


async def check_alerts(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Sends the alerts whose commodity has new prices; returns how many were sent."""
    runtime: Runtime = application.bot_data
    sessionmaker = runtime.sessionmaker
    async with sessionmaker() as session:
        versions = dict((await session.execute(
            select(Commodity.id, Commodity.data_version))).all())
    seen = _seen.get(application)
    changed = None if seen is None else {c for c, v in versions.items() if seen.get(c) != v}
    _seen[application] = versions
    if changed == set():
        return 0
    now = runtime.now()
    catalogue = await load_catalogue(sessionmaker)
    sent = 0
    for notice in await due_alerts(sessionmaker, catalogue, now.astimezone(runtime.tz).date(),
                                   now, changed):
        commodity = catalogue.commodity(notice.alert.commodity_id)
        if commodity is None:
            continue
        tr = runtime.translator(notice.recipient.language)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            tr._("💰 See the prices"), callback_data=pack(SHOW, commodity.id))]])
        sent += await _send(application, notice.recipient.chat_id,
                            alert_text(tr, commodity, notice.alert, notice.current), markup)
    return sent


async def send_digests(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    runtime: Runtime = application.bot_data
    local_now = runtime.now().astimezone(runtime.tz)
    catalogue = await load_catalogue(runtime.sessionmaker)
    sent = 0
    for digest in await due_digests(runtime.sessionmaker, catalogue, local_now):
        tr = runtime.translator(digest.recipient.language)
        sent += await _send(application, digest.recipient.chat_id,
                            digest_text(tr, digest.views, local_now.date()), None)
    return sent


async def _send(application: Application[Any, Any, Any, Any, Any, Any], chat_id: int,
                text: str, markup: InlineKeyboardMarkup | None) -> int:
    try:
        await application.bot.send_message(chat_id, text, reply_markup=markup)
    except Forbidden:
        log.info("chat %s blocked the bot; price message not delivered", chat_id)
        return 0
    except TelegramError as exc:
        log.warning("price message to chat %s failed: %r", chat_id, exc)
        return 0
    return 1


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    await check_alerts(context.application)
    await send_digests(context.application)


def schedule(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    if application.job_queue is None:
        log.warning("no job queue: price alerts and digests are off")
        return
    for job in application.job_queue.get_jobs_by_name(NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(tick, interval=TICK_SECONDS, first=1, name=NAME)
