"""The trainings job: expire lapsed seat offers, then send every due notice, gently.

It runs every minute and right after an action that owes someone a message (a freed seat, a
change). All it needs is in the tables, so a restart loses nothing: `schedule` simply starts it
again. Sending respects Telegram's limits: at most `broadcast.messages_per_second` overall, together
with the process's other bulk sends (bot/jobs/bulk.py), and one message a second to any chat.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot.i18n import Translator
from bot.jobs.broadcasts_pacer import Pacer
from bot.jobs.bulk import bulk_pacer
from bot.runtime import Runtime
from bot.services import trainings_enroll, trainings_notices
from bot.services.trainings import TrainingView
from bot.services.trainings_notices import Due
from handlers.callbacks import pack
from handlers.trainings_render import (
    OFFER_DECLINE,
    OFFER_TAKE,
    RATE,
    WITHDRAW,
    keyboard,
    summary,
)
from models.training import NoticeKind

log = logging.getLogger("berdaya.jobs.trainings")

NAME = "trainings.notices"
EVERY_SECONDS = 60.0
BATCH = 200

_locks: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()


@dataclass
class Report:
    offered: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


def spread(batch: list[Due]) -> list[Due]:
    """One notice per chat per round, so a member with two due notices holds nobody up."""
    rounds: dict[int, int] = {}
    keyed = []
    for position, due in enumerate(batch):
        keyed.append((rounds.get(due.chat_id, 0), position, due))
        rounds[due.chat_id] = rounds.get(due.chat_id, 0) + 1
    return [due for _, _, due in sorted(keyed, key=lambda item: item[:2])]


def render(due: Due, tr: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message for one notice, in the member's language."""
    view = TrainingView(due.training, due.desa_name, due.kecamatan_name)
    about = summary(view, tr)
    training_id = due.training.id
    cannot_come = keyboard([[(tr._("🙅 I can't come"), pack(WITHDRAW, training_id))]])
    if due.kind == NoticeKind.REMINDER_EVE:
        return (tr._("⏰ Reminder: your training is tomorrow.") + "\n\n" + about + "\n\n"
                + tr._("Can't come? Tap below, so someone on the waitlist can have your seat."),
                cannot_come)
    if due.kind == NoticeKind.REMINDER_SOON:
        return (tr._("⏰ Your training starts in about 2 hours, at {time}.").format(
            time=tr.time(due.training.starts_at)) + "\n\n" + about, cannot_come)
    if due.kind == NoticeKind.OFFER:
        until = due.enrollment.offered_until if due.enrollment else None
        deadline = f"{tr.date(until)}, {tr.time(until)}" if until else ""
        return (tr._("🎟 Good news: a seat is free for you!") + "\n\n" + about + "\n\n"
                + tr._("Take it before {deadline}. After that it goes to the next person "
                       "waiting.").format(deadline=deadline),
                keyboard([[(tr._("✅ Take the seat"), pack(OFFER_TAKE, training_id))],
                          [(tr._("No, thank you"), pack(OFFER_DECLINE, training_id))]]))
    if due.kind == NoticeKind.OFFER_EXPIRED:
        return (tr._("⌛ The time to take your seat has passed, so it went to the next person "
                     "waiting.") + "\n\n" + about + "\n\n"
                + tr._("Other trainings: /jadwal"), None)
    if due.kind == NoticeKind.CHANGED:
        moved, relocated = due.details.get("time"), due.details.get("place")
        if moved and relocated:
            head = tr._("⚠️ Your training has a new time and a new place:")
        elif moved:
            head = tr._("⚠️ Your training has a new time:")
        else:
            head = tr._("⚠️ Your training has a new place:")
        return head + "\n\n" + about, cannot_come
    if due.kind == NoticeKind.CANCELLED:
        return (tr._("❌ Sorry, this training has been cancelled by the organizer:") + "\n\n"
                + about + "\n\n" + tr._("Other trainings: /jadwal"), None)
    stars = [(f"{n} ⭐", pack(RATE, training_id, n)) for n in range(1, 6)]
    return (tr._("🙏 Thank you for coming to this training:") + "\n\n" + about + "\n\n"
            + tr._("How was it? Tap a score: 1 = poor, 5 = very good."), keyboard([stars]))


async def _send(bot: Bot, runtime: Runtime, pacer: Pacer, due: Due) -> str:
    """`sent`, `retry` or `failed`. A timeout counts as sent: Telegram usually delivered it."""
    text, markup = render(due, runtime.translator(due.language))
    await pacer.wait(due.chat_id)
    try:
        await bot.send_message(due.chat_id, text, reply_markup=markup)
    except (Forbidden, BadRequest) as exc:
        log.info("notice %s to member %s not deliverable: %s", due.notice_id, due.member_id, exc)
        return "failed"
    except TimedOut:
        log.warning("notice %s to member %s timed out; counted as sent", due.notice_id,
                    due.member_id)
    except (RetryAfter, NetworkError) as exc:
        log.warning("notice %s to member %s will be retried: %r", due.notice_id, due.member_id,
                    exc)
        return "retry"
    return "sent"


async def _settle(runtime: Runtime, now: datetime, report: Report, batch: list[Due],
                  sending: Awaitable[list[str]]) -> None:
    outcomes = await sending
    retry = [d.notice_id for d, o in zip(batch, outcomes, strict=True) if o == "retry"]
    failed = [d.notice_id for d, o in zip(batch, outcomes, strict=True) if o == "failed"]
    await trainings_notices.settle(runtime.sessionmaker, now, retry=retry, failed=failed)
    report.sent += len(batch) - len(retry) - len(failed)
    report.retried += len(retry)
    report.failed += len(failed)


async def run(application: Application) -> Report:  # type: ignore[type-arg]
    """One pass: what a test calls after moving the clock, and what the job runs every minute.

    The next batch is claimed while the current one is being sent, so the pacer never idles
    between batches.
    """
    runtime: Runtime = application.bot_data
    lock = _locks.setdefault(application, asyncio.Lock())
    report = Report()
    async with lock:
        now = runtime.now()
        report.offered = len(await trainings_enroll.expire_offers(runtime.sessionmaker, now))
        pacer = bulk_pacer(application)
        previous: tuple[list[Due], Awaitable[list[str]]] | None = None
        while True:
            batch = spread(await trainings_notices.claim_due(runtime.sessionmaker, now, BATCH))
            current = (batch, asyncio.gather(*(
                _send(application.bot, runtime, pacer, due) for due in batch))) if batch else None
            if previous is not None:
                await _settle(runtime, now, report, *previous)
            if current is None:
                break
            previous = current
    if report.sent or report.failed or report.offered:
        log.info("trainings job: %s", report)
    return report


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run(context.application)


def schedule(application: Application) -> None:  # type: ignore[type-arg]
    """Start the repeating job (idempotent: a restart replaces it)."""
    queue = application.job_queue
    if queue is None:
        log.warning("no job queue: training reminders will not be sent")
        return
    for job in queue.get_jobs_by_name(NAME):
        job.schedule_removal()
    queue.run_repeating(_tick, interval=EVERY_SECONDS, first=1.0, name=NAME,
                        job_kwargs={"misfire_grace_time": None, "coalesce": True})


def kick(application: Application) -> None:  # type: ignore[type-arg]
    """Send what is due now, without waiting for the next minute."""
    if application.job_queue is not None:
        application.job_queue.run_once(_tick, 0, name=f"{NAME}.now")
