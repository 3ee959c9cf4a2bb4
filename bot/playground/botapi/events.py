"""What ``FakeBotApi`` lets its drivers observe: recorded calls, chat-change events, waits.

Kept apart from the server state so the observation contract (:meth:`Observation.wait_for`,
:meth:`Observation.subscribe`) reads in one place.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from .state import Call, UpdateQueue

T = TypeVar("T")
Event = dict[str, Any]
Subscriber = Callable[[Event], None]

_log = logging.getLogger(__name__)


class Observation:
    """Recorded calls, subscribers and change-driven waits; mixed into ``FakeBotApi``."""

    updates: UpdateQueue

    def __init__(self, max_calls: int) -> None:
        self.calls: deque[Call] = deque(maxlen=max_calls)
        self._subscribers: list[Subscriber] = []
        self._changed = asyncio.Event()

    def notify(self) -> None:
        """Wake every :meth:`wait_for` (the event is swapped so later waits wait afresh)."""
        self._changed.set()
        self._changed = asyncio.Event()

    def emit(self, build: Callable[[], Event]) -> None:
        """Tell subscribers about a chat change (the event is only built if someone listens)."""
        if self._subscribers:
            event = build()
            for callback in list(self._subscribers):
                try:
                    callback(event)
                except Exception:
                    _log.exception("fake Bot API subscriber failed on %s", event.get("type"))
        self.notify()

    def subscribe(self, callback: Subscriber) -> None:
        """Call ``callback(event)`` on every chat change (message, edit, delete, …)."""
        self._subscribers.append(callback)

    def unsubscribe(self, callback: Subscriber) -> None:
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def record(self, call: Call) -> None:
        self.calls.append(call)
        self.notify()

    def find_calls(self, method: str, ok: bool | None = None) -> list[Call]:
        """Recorded calls of one method (any letter case), optionally only (un)successful."""
        wanted = method.lower()
        return [c for c in self.calls if c.method.lower() == wanted and (ok is None or c.ok == ok)]

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the published contract
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value.

        Re-evaluated on every recorded call and state change, never by sleeping.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(self._timeout_message(predicate, timeout))
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue

    def _timeout_message(self, predicate: Callable[[], Any], timeout: float) -> str:
        name = getattr(predicate, "__qualname__", repr(predicate))
        recent = [
            f"{c.method}({'ok' if c.ok else f'{c.error_code} {c.description}'})"
            for c in list(self.calls)[-8:]
        ]
        updates = self.updates
        return (
            f"wait_for({name}) still false after {timeout}s; pending updates: "
            f"{updates.pending_count}, delivered up to {updates.delivered_id}, "
            f"confirmed up to {updates.confirmed_id}; last calls: {', '.join(recent) or 'none'}"
        )
