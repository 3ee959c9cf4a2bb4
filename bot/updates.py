"""Update processing: a chat's updates in order, chats in parallel, one log line per update.

PTB's ConversationHandler keeps per-user state, so two updates of one chat must not interleave;
updates of different chats may, which keeps a slow database write for one villager from holding
up everybody else.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    BaseUpdateProcessor,
    ConversationHandler,
    TypeHandler,
)

log = logging.getLogger("berdaya.updates")


@dataclass
class UpdateRecord:
    """Filled in while an update is processed; read when its log line is written."""

    update_id: int | None
    member_id: int | None = None
    handler: str | None = None
    outcome: str = "ok"


current_update: ContextVar[UpdateRecord | None] = ContextVar("current_update", default=None)


class BerdayaApplication(Application):  # type: ignore[type-arg]
    """Times every update and tells waiters (the test harness, benchmarks) when it is done."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._done: deque[int] = deque(maxlen=4096)
        self._processed = asyncio.Condition()

    async def process_update(self, update: object) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        record = UpdateRecord(update_id)
        token = current_update.set(record)
        started = time.perf_counter()
        try:
            await super().process_update(update)
        finally:
            current_update.reset(token)
            if update_id is not None:
                log.info(
                    "update id=%s member=%s handler=%s outcome=%s ms=%.1f",
                    update_id, record.member_id, record.handler or "-",
                    record.outcome if record.handler else "unhandled",
                    (time.perf_counter() - started) * 1000,
                )
                async with self._processed:
                    self._done.append(update_id)
                    self._processed.notify_all()

    async def wait_processed(self, update_id: int) -> None:
        """Returns once the update with this id has been handled (callers bound the wait)."""
        async with self._processed:
            await self._processed.wait_for(lambda: update_id in self._done)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialises updates per chat (or user) while letting different chats run concurrently."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            await coroutine
            return
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to allocate: locks are made on demand."""

    async def shutdown(self) -> None:
        self._locks.clear()


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user else None


Callback = Callable[..., Coroutine[Any, Any, Any]]


def _named(callback: Callback, name: str) -> Callback:
    @functools.wraps(callback)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        record = current_update.get()
        if record is not None and record.handler is None:
            record.handler = name
        try:
            return await callback(*args, **kwargs)
        except Exception:
            if record is not None:
                record.outcome = "error"
            raise

    wrapper.berdaya_named = True  # type: ignore[attr-defined]
    return wrapper


def name_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Records which journey answered an update; conversation steps are named `journey.step`."""
    for handlers in application.handlers.values():
        for handler in handlers:
            _name(handler, None)


def _name(handler: BaseHandler[Any, Any, Any], journey: str | None) -> None:
    """TypeHandlers see every update (identity, language): they never name the journey."""
    if isinstance(handler, TypeHandler):
        return
    if isinstance(handler, ConversationHandler):
        inner = handler.name or "conversation"
        for child in (*handler.entry_points, *handler.fallbacks,
                      *(h for hs in handler.states.values() for h in hs)):
            _name(child, inner)
        return
    callback = handler.callback
    if getattr(callback, "berdaya_named", False):
        return
    base = getattr(callback, "__name__", type(handler).__name__)
    handler.callback = _named(callback, f"{journey}.{base}" if journey else base)


def note_member(member_id: int | None) -> None:
    record = current_update.get()
    if record is not None:
        record.member_id = member_id
