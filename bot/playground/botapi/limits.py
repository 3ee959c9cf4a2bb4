"""Flood control: Telegram's send limits as sliding windows, off unless configured."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .errors import too_many_requests


@dataclass(frozen=True)
class RateLimits:
    """Messages allowed per window; ``None`` switches a limit off (the default for all)."""

    per_second: int | None = None
    per_chat_per_second: int | None = None
    per_group_per_minute: int | None = None

    @classmethod
    def telegram(cls) -> RateLimits:
        """The limits Telegram documents for bots: 30/s overall, 1/s per chat, 20/min per group."""
        return cls(per_second=30, per_chat_per_second=1, per_group_per_minute=20)


class _Window:
    """Timestamps of recent sends; pruning from the left keeps each check amortised O(1)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.times: deque[float] = deque()

    def wait_needed(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return self.times[0] + self.seconds - now


class RateLimiter:
    """Answers 429 with ``retry_after`` when a send would exceed a configured window."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._global = _Window(limits.per_second, 1.0) if limits.per_second else None
        self._chats: dict[int, _Window] = {}

    def _chat_window(self, chat_id: int, is_group: bool) -> _Window | None:
        limit = self.limits.per_group_per_minute if is_group else self.limits.per_chat_per_second
        if not limit:
            return None
        window = self._chats.get(chat_id)
        if window is None:
            window = self._chats[chat_id] = _Window(limit, 60.0 if is_group else 1.0)
        return window

    def acquire(self, chat_id: int, is_group: bool) -> None:
        """Count one send to ``chat_id`` or refuse it, counting nothing, with a 429."""
        now = self._clock()
        windows = [w for w in (self._global, self._chat_window(chat_id, is_group)) if w]
        wait = max((w.wait_needed(now) for w in windows), default=0.0)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        for window in windows:
            window.times.append(now)
