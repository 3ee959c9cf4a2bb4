"""The weekly tip: queue this week's sends, then deliver them at a polite pace.

A tick runs every minute. From the configured moment (default Monday 07.00 WIB) until
`CATCH_UP` later, it queues the week's tips (idempotent: one row per member and week), and
every tick delivers what is still queued, so a restart mid-way carries on where it stopped.
Sending keeps to `[broadcast] messages_per_second` overall and one message a second per chat,
on the schedule it shares with broadcasts and reminders (bot/jobs/bulk.py), and waits out
`[broadcast] quiet_hours` like any announcement.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes

from bot.jobs.broadcasts_pacer import Pacer
from bot.jobs.bulk import bulk_pacer
from bot.runtime import Runtime
from bot.services import tips_weekly
from bot.services.broadcasts_quiet import quiet_until
from handlers import tips_render

log = logging.getLogger("berdaya.jobs.tips")

NAME = "tips-weekly"
TICK_SECONDS = 60
CATCH_UP = timedelta(hours=12)
"""After a restart, the week's tips still go out if we are at most this late; later than that
they would arrive at an odd hour, so that week is skipped."""
ATTEMPTS = 3
BATCH = 100

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
_locks: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()
_queued: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    queued: int = 0
    sent: int = 0
    failed: int = 0


async def weekly_tick(application: AnyApplication, pacer: Pacer | None = None) -> WeeklyReport:
    """One run: queue the week's tips when due, then deliver every queued one."""
    runtime: Runtime = application.bot_data
    settings = runtime.settings.tips
    if not settings.weekly_enabled:
        return WeeklyReport()
    lock = _locks.setdefault(application, asyncio.Lock())
    async with lock:
        now = runtime.now()
        start = tips_weekly.period_start(now, runtime.tz, settings.weekday, settings.weekly_time)
        period = tips_weekly.period_key(start, runtime.tz)
        queued = 0
        if now - start <= CATCH_UP and _queued.get(application) != period:
            expired = await tips_weekly.expire_older(runtime.sessionmaker, period)
            queued = await tips_weekly.queue_week(runtime.sessionmaker, start, runtime.tz)
            _queued[application] = period
            log.info("weekly tip %s: %d queued, %d left over from earlier weeks dropped",
                     period, queued, expired)
        broadcast = runtime.settings.broadcast
        if quiet_until(now, broadcast.quiet_windows, runtime.tz) is not None:
            return WeeklyReport(queued)  # delivered by the first tick after the quiet hours
        pacer = pacer or bulk_pacer(application)
        sent, failed = await _deliver(application, period, pacer)
    if sent or failed:
        log.info("weekly tip %s: %d sent, %d failed", period, sent, failed)
    return WeeklyReport(queued, sent, failed)


async def _deliver(application: AnyApplication, period: str, pacer: Pacer) -> tuple[int, int]:
    runtime: Runtime = application.bot_data
    sent = failed = 0
    while batch := await tips_weekly.outgoing(runtime.sessionmaker, period, BATCH):
        for item in batch:
            error = await _send(application, item, pacer) if item.member_active else (
                "member no longer active")
            await tips_weekly.finish(runtime.sessionmaker, item.send_id, runtime.now(), error)
            sent, failed = (sent, failed + 1) if error else (sent + 1, failed)
    return sent, failed


async def _send(application: AnyApplication, item: tips_weekly.Outgoing,
                pacer: Pacer) -> str | None:
    """Delivers one weekly tip; the reason when it could not be delivered."""
    runtime: Runtime = application.bot_data
    bot = application.bot
    tr = runtime.translator(item.language)
    markup = tips_render.tip_keyboard(tr, item.tip, None, bot.username, weekly=True)

    for attempt in range(1, ATTEMPTS + 1):
        try:
            await tips_render.send_tip(bot, item.chat_id, tr, item.tip, markup,
                                       heading=tr._("💡 <b>Tip of the week</b>"),
                                       pause=lambda: pacer.wait(item.chat_id))
            return None
        except RetryAfter as exc:
            pacer.pause(_seconds(exc.retry_after))
        except Forbidden as exc:
            return f"blocked: {exc.message}"
        except BadRequest as exc:
            return f"refused: {exc.message}"
        except NetworkError as exc:
            if attempt == ATTEMPTS:
                return f"network: {exc.message}"
            await pacer.sleep(2.0 ** attempt)
    return "gave up after repeated rate limits"


def _seconds(value: object) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)  # type: ignore[arg-type]


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    await weekly_tick(context.application)


def schedule(application: AnyApplication) -> None:
    if application.job_queue is None:
        log.warning("no job queue: the weekly tip is off")
        return
    for job in application.job_queue.get_jobs_by_name(NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(tick, interval=TICK_SECONDS, first=TICK_SECONDS,
                                        name=NAME)
