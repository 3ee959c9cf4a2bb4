"""One Telegram call for one claimed row, and what Telegram's answer means for that row.

429 pauses every send (the row goes back to the front); 403 skips and blocks the member;
another 400 settles the row with Telegram's reason; anything else (network, 5xx) is retried
with backoff and fails on the third attempt. For corrections, "not modified" and, when
withdrawing, "not found" mean the copy already is as it should be.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.i18n import Translator
from bot.jobs import broadcasts_render as render
from bot.jobs.broadcasts_pacer import Pacer
from bot.services.broadcasts_outbox import MAX_ATTEMPTS, Content, Job, Outcome, Verdict

log = logging.getLogger("berdaya.broadcasts")
REASON = 200


class Attempts:
    def __init__(self, bot: Bot, translator: Callable[[str], Translator], pacer: Pacer,
                 stats: Counter[str]) -> None:
        self.bot = bot
        self.translator = translator
        self.pacer = pacer
        self.stats = stats

    async def run(self, job: Job, content: Content) -> Outcome | None:
        """The row's outcome, or None when Telegram asked to slow down (send it again)."""
        try:
            return await (self._fix(job, content) if job.fix else self._send(job, content))
        except RetryAfter as exc:
            self._flooded(exc)
            return None
        except Exception as exc:
            if not isinstance(exc, TelegramError):
                log.exception("broadcast delivery %s: unexpected error", job.delivery_id)
            return transient(job, exc, content)

    async def _send(self, job: Job, content: Content) -> Outcome:
        assert job.chat_id is not None
        try:
            message_id = await render.send(self.bot, job.chat_id, content,
                                           self.translator(job.language))
        except Forbidden as exc:
            return Outcome(job, Verdict.SKIPPED, error=exc.message[:REASON], block_member=True)
        except BadRequest as exc:
            return Outcome(job, Verdict.FAILED, error=exc.message[:REASON])
        return Outcome(job, Verdict.SENT, revision=content.revision, message_id=message_id)

    async def _fix(self, job: Job, content: Content) -> Outcome:
        if job.chat_id is None or job.message_id is None:
            return Outcome(job, Verdict.FIX_FAILED, revision=content.revision,
                           error="member has no chat")
        try:
            if content.withdrawn:
                await self.bot.delete_message(job.chat_id, job.message_id)
            else:
                await render.edit(self.bot, job.chat_id, job.message_id, content,
                                  self.translator(job.language))
        except BadRequest as exc:
            settled = "not modified" in exc.message or (
                content.withdrawn and "not found" in exc.message)
            if not settled:
                return Outcome(job, Verdict.FIX_FAILED, revision=content.revision,
                               error=exc.message[:REASON])
        except Forbidden as exc:
            return Outcome(job, Verdict.FIX_FAILED, revision=content.revision,
                           error=exc.message[:REASON], block_member=True)
        return Outcome(job, Verdict.FIXED, revision=content.revision)

    def _flooded(self, exc: RetryAfter) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            value = exc.retry_after
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        self.stats["flood_waits"] += 1
        log.warning("Telegram asked to slow down: all broadcast sending pauses %.0f s", seconds)
        self.pacer.pause(seconds)


def transient(job: Job, exc: Exception, content: Content) -> Outcome:
    """Network trouble or a 5xx: try again later, and give up on the third failure."""
    error = (exc.message if isinstance(exc, TelegramError) else repr(exc))[:REASON]
    final = job.attempts + 1 >= MAX_ATTEMPTS
    if job.fix:
        return Outcome(job, Verdict.FIX_FAILED if final else Verdict.FIX_RETRY,
                       revision=content.revision, error=error)
    return Outcome(job, Verdict.FAILED if final else Verdict.RETRY, error=error)
