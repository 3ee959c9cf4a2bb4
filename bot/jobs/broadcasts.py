"""The broadcast delivery engine: drains the outbox at Telegram's pace and never loses a row.

One engine runs per bot process. Each round it starts due broadcasts, writes the next batch of
delivery rows, claims a batch of due rows (corrections first) and hands them to the pacer, which
releases one send per slot (`messages_per_second`, shared among live sender processes; one
message per second per chat). Results are written back in small batches, at least every 0.2 s.

Faults: 429 pauses all sending for `retry_after` and puts the message back; network errors and
5xx are retried with backoff and fail on the third attempt; 403 skips the member and marks them
blocked; any other 400 ("chat not found"…) fails with Telegram's reason.

It sends through a Bot of its own (aiohttp, no AIORateLimiter): it paces itself, a second
limiter would only delay it, and replies to members chatting with the bot must not wait behind
a broadcast in the same limiter queue or connection pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from telegram import Bot

from bot.config import BroadcastSettings
from bot.db import SessionMaker
from bot.i18n import Translator
from bot.jobs import broadcasts_attempt as attempt
from bot.jobs.broadcasts_pacer import Pacer, Sleep, Slots
from bot.services import broadcasts_outbox as outbox
from bot.services import broadcasts_status as status
from bot.services.broadcasts_outbox import Content, Job, Outcome, Verdict
from bot.services.broadcasts_quiet import quiet_until
from bot.services.broadcasts_workers import WorkerLease
from models import Status

if TYPE_CHECKING:
    from bot.jobs.broadcasts_progress import SenderNotices

log = logging.getLogger("berdaya.broadcasts")

PROGRESS_EVERY = timedelta(seconds=5)
HOUSEKEEPING_SECONDS = 10.0
PERIODIC_SECONDS = 1.0
IDLE_SECONDS = 2.0
FLUSH_SECONDS = 0.2
FLUSH_ROWS = 50


class Stopping(Exception):
    """The engine is stopping: a wait ends early and the job waiting goes back."""


class DeliveryEngine:
    def __init__(
        self,
        sessionmaker: SessionMaker,
        bot: Bot,
        *,
        settings: BroadcastSettings,
        tz: tzinfo,
        clock: Callable[[], datetime],
        translator: Callable[[str], Translator],
        notices: SenderNotices | None = None,
        rate: float | None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep | None = None,
        owns_bot: bool = False,
        slots: Slots | None = None,
    ) -> None:
        """`rate` None sends as fast as the connections allow; `sleep` replaces real waiting
        (tests); `clock` is the wall clock the tables and quiet hours use; `slots` is the send
        schedule shared with the process's other bulk senders."""
        self.sessionmaker = sessionmaker
        self.bot = bot
        self.windows = settings.quiet_windows
        self.tz = tz
        self.clock = clock
        self.translator = translator
        self.notices = notices
        self.rate = rate
        self.monotonic = monotonic
        self.pacer = Pacer(rate, slots=slots, monotonic=monotonic, sleep=sleep or self._nap)
        self.batch = 500 if rate is None else max(10, min(500, int(rate * 2)))
        self.concurrency = 32 if rate is None else max(8, min(64, math.ceil(rate)))
        self.owns_bot = owns_bot
        self.lease: WorkerLease | None = None
        self.stats: Counter[str] = Counter()
        self.attempts = attempt.Attempts(bot, translator, self.pacer, self.stats)
        if notices is not None:
            notices.chat_turn = self._chat_turn
        self._buffer: deque[Job] = deque()
        self._deferred: list[tuple[float, int, Job]] = []
        self._contents: dict[int, Content] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._outcomes: list[Outcome] = []
        self._recording: asyncio.Task[bool] | None = None
        self._refilling: asyncio.Task[bool] | None = None
        self._writing = asyncio.Lock()
        """Claims and results take turns: on SQLite two writers would wait on each other's
        file lock with the busy handler's sleeps instead."""
        self._slots = asyncio.Semaphore(self.concurrency)
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._exhausted = False
        self._refill_after = 0.0
        self._flushed_at = 0.0
        self._periodic_at = -math.inf
        self._housekeeping_at = -math.inf

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        if self.lease is not None:
            return
        if self.owns_bot:
            await self.bot.initialize()
        self.lease = await WorkerLease.acquire(self.sessionmaker, self.clock())
        await self._housekeeping(startup=True)

    async def run(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """Works until `stop()` or `should_stop()`; then finishes in-flight sends and leaves."""
        watcher = asyncio.create_task(self._watch(should_stop))
        try:
            while not self._stop.is_set():
                try:
                    await self.start()  # again after a failure: the database may be back
                    progressed = await self._cycle(draining=False)
                except Exception:
                    log.exception("broadcast round failed; trying again shortly")
                    progressed = False
                if not progressed:
                    await self._idle()
        finally:
            watcher.cancel()
            await self.close()

    async def drain(self) -> None:
        """Works until nothing is due at the clock's now (tests, one-shot tools)."""
        await self.start()
        while True:
            if await self._cycle(draining=True):
                continue
            if self._tasks or self._buffer or self._deferred or self._refilling:
                continue
            await self._flush(force=True, wait=True)
            if not await self._periodic(force=True):
                return

    def wake(self) -> None:
        """Something new was stored (a broadcast, a correction): look at the tables now."""
        self._exhausted = False
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    async def close(self) -> None:
        """In-flight sends land and are recorded; claimed but unsent rows go back as queued."""
        if self._refilling is not None:
            await asyncio.gather(self._refilling, return_exceptions=True)
            self._refilling = None
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self._flush(force=True, wait=True)
        self._buffer.clear()
        self._deferred.clear()
        try:
            if self.lease is not None:
                await self.lease.release()
                self.lease = None
        finally:
            if self.owns_bot:
                await self.bot.shutdown()

    async def _watch(self, should_stop: Callable[[], bool]) -> None:
        """PTB gives a job no signal that the application stops (post_stop runs only after
        every job ended), so the engine looks at `Application.running` four times a second."""
        while not should_stop():  # noqa: ASYNC110
            await asyncio.sleep(0.25)
        self.stop()

    async def _nap(self, seconds: float) -> None:
        """Real waiting, cut short by `stop()` (a 429 may ask for minutes)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)
        if self._stop.is_set():
            raise Stopping

    async def _idle(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), IDLE_SECONDS)

    # ------------------------------------------------------------------ one round

    async def _cycle(self, *, draining: bool) -> bool:
        progressed = False
        if self.monotonic() - self._housekeeping_at >= HOUSEKEEPING_SECONDS:
            await self._housekeeping()
        low = len(self._buffer) + len(self._deferred) < self.batch // 2
        if low and self._refilling is None and self._may_refill(draining):
            self._refilling = asyncio.create_task(self._refill())
        if self._refilling is not None and (self._refilling.done() or not self._buffer):
            refill, self._refilling = self._refilling, None
            progressed = await refill
        job = self._next_job()
        if job is not None:
            await self._dispatch(job)
            progressed = True
        elif self._deferred:
            with contextlib.suppress(Stopping):
                await self.pacer.sleep(max(0.0, self._deferred[0][0] - self.monotonic()))
            progressed = True
        elif self._tasks:
            await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
            progressed = True
        await self._flush(force=not self._buffer)
        if not draining:
            await self._periodic()
        return progressed

    def _may_refill(self, draining: bool) -> bool:
        """After a refill found nothing, look again only once idle (drain) or after a pause."""
        if not self._exhausted:
            return True
        if draining:
            return not (self._buffer or self._deferred or self._tasks)
        return self.monotonic() >= self._refill_after

    async def _housekeeping(self, startup: bool = False) -> None:
        """Takes back dead senders' rows and shares the rate among the live ones."""
        assert self.lease is not None
        self._housekeeping_at = self.monotonic()
        alive = await self.lease.reclaim(self.clock(), startup=startup)
        self.pacer.set_rate(self.rate / alive if self.rate else None)

    async def _refill(self) -> bool:
        async with self._writing:
            return await self._claim()

    async def _claim(self) -> bool:
        assert self.lease is not None
        now = self.clock()
        started = await outbox.promote_due(self.sessionmaker, now)
        prepared = await outbox.prepare_batch(self.sessionmaker, now)
        room = self.batch - len(self._buffer)
        jobs = await outbox.claim_fixes(self.sessionmaker, self.lease.id, now, room)
        if self._quiet(now) is None and room > len(jobs):
            jobs += await outbox.claim_sends(self.sessionmaker, self.lease.id, now,
                                             room - len(jobs))
        if jobs:
            waiting = [*jobs, *self._buffer, *(entry[2] for entry in self._deferred)]
            wanted = {j.broadcast_id for j in waiting}
            self._contents = await outbox.contents(self.sessionmaker, wanted)
            self._buffer.extend(jobs)
        did = bool(started or prepared or jobs)
        self._exhausted = not did
        if not did:
            self._refill_after = self.monotonic() + IDLE_SECONDS
        return did

    def _quiet(self, now: datetime) -> datetime | None:
        return quiet_until(now, self.windows, self.tz)

    def _next_job(self) -> Job | None:
        """The next job whose chat may get a message now; others wait aside, in order."""
        now = self.monotonic()
        if self._deferred and self._deferred[0][0] <= now:
            return heapq.heappop(self._deferred)[2]
        while self._buffer:
            job = self._buffer.popleft()
            wait = self.pacer.chat_wait(job.chat_id) if job.chat_id is not None else 0.0
            if wait <= 0:
                return job
            heapq.heappush(self._deferred, (now + wait, job.delivery_id, job))
        return None

    async def _dispatch(self, job: Job) -> None:
        content = self._contents.get(job.broadcast_id)
        if content is None:
            self._outcomes.append(Outcome(job, Verdict.RELEASED))
            return
        if not job.fix:
            if content.cancelled:
                self._outcomes.append(Outcome(job, Verdict.CANCELLED, error="cancelled"))
                return
            if job.member_status != Status.ACTIVE or job.chat_id is None:
                reason = f"member {job.member_status}" if job.chat_id else "member has no chat"
                self._outcomes.append(Outcome(job, Verdict.SKIPPED, error=reason))
                return
            if self._quiet(self.clock()) is not None:
                self._release_sends(job)
                return
        try:
            await self.pacer.turn()
        except Stopping:
            self._buffer.appendleft(job)
            return
        await self._slots.acquire()
        if job.chat_id is not None:
            self.pacer.sent_to(job.chat_id)
        task = asyncio.create_task(self._deliver(job, content))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _chat_turn(self, chat_id: int) -> None:
        """For messages to a chat outside the broadcast's own slots (the sender's notices)."""
        try:
            await self.pacer.sleep(self.pacer.chat_wait(chat_id))
        except Stopping:  # the last summary still goes out, a moment later rather than refused
            await asyncio.sleep(self.pacer.chat_wait(chat_id))
        self.pacer.sent_to(chat_id)

    def _release_sends(self, job: Job) -> None:
        """Quiet hours began: every send waiting here goes back to the queue untouched."""
        waiting = [job, *self._buffer, *(entry[2] for entry in self._deferred)]
        self._buffer = deque(j for j in waiting if j.fix)
        self._deferred = []
        self._outcomes += [Outcome(j, Verdict.RELEASED) for j in waiting if not j.fix]

    # ------------------------------------------------------------------ one message

    async def _deliver(self, job: Job, content: Content) -> None:
        try:
            outcome = await self.attempts.run(job, content)
        finally:
            self._slots.release()
        if outcome is None:
            self._buffer.appendleft(job)
            return
        self.stats[outcome.verdict] += 1
        self._outcomes.append(replace(outcome, at=self.clock()))

    # ------------------------------------------------------------------ bookkeeping

    async def _flush(self, force: bool = False, wait: bool = False) -> None:
        """Results go to the database in the background, one write at a time, so sending never
        stops for a write; `wait` (end of a drain, stopping) also waits until all have landed."""
        while True:
            if self._recording is not None and self._recording.done():
                self._recording = None
            due = force or len(self._outcomes) >= FLUSH_ROWS or \
                self.monotonic() - self._flushed_at >= FLUSH_SECONDS
            if self._recording is None and self._outcomes and due:
                outcomes, self._outcomes = self._outcomes, []
                self._flushed_at = self.monotonic()
                self._recording = asyncio.create_task(self._record(outcomes))
            if not wait or self._recording is None or not await self._recording:
                return

    async def _record(self, outcomes: list[Outcome]) -> bool:
        assert self.lease is not None
        try:
            async with self._writing:
                await outbox.record(self.sessionmaker, self.lease.id, outcomes, self.clock())
        except Exception:
            log.exception("could not record %d broadcast results; trying again", len(outcomes))
            self._outcomes[:0] = outcomes
            await asyncio.sleep(FLUSH_SECONDS)
            return False
        return True

    async def _periodic(self, force: bool = False) -> bool:
        """Finished broadcasts and corrections get their summary; running ones their progress.

        Returns whether anything finished (a drain goes round once more then).
        """
        if not force and self.monotonic() - self._periodic_at < PERIODIC_SECONDS:
            return False
        self._periodic_at = self.monotonic()
        now = self.clock()
        if self.notices is not None:  # first, so even a broadcast done at once shows progress
            for broadcast_id in await status.active(self.sessionmaker):
                if await status.take_progress_turn(self.sessionmaker, broadcast_id, now,
                                                   PROGRESS_EVERY):
                    await self._tell(broadcast_id, "progress", now)
        finished = await status.finish(self.sessionmaker, now)
        fixed = await status.finish_fixes(self.sessionmaker)
        if self.notices is None:
            return bool(finished or fixed)
        for broadcast_id in finished:
            await self._tell(broadcast_id, "finished", now)
        for broadcast_id in fixed:
            await self._tell(broadcast_id, "fixed", now)
        return bool(finished or fixed)

    async def _tell(self, broadcast_id: int, what: str, now: datetime) -> None:
        assert self.notices is not None
        report = await status.report(self.sessionmaker, broadcast_id)
        if report is None:
            return
        if what == "finished":
            await self.notices.finished(report)
        elif what == "fixed":
            await self.notices.fixed(report)
        else:
            quiet = self._quiet(now)
            pending = report.summary.counts.pending
            seconds = pending / (self.rate or 1000.0) + self.pacer.paused_for()
            if quiet is not None:
                seconds += (quiet - now).total_seconds()
            await self.notices.progress(report, seconds_left=seconds, quiet_until=quiet)
