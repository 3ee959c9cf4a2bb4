"""Send times for the broadcast engine: a steady global rate, one message a second per chat.

Slots are spaced exactly 1/rate apart, so any one-second window holds at most rate + 1 sends
(26 at the default 25, under Telegram's 30). A late wake-up keeps the schedule instead of
drifting; a long stall restarts it rather than bursting to catch up. Waiting goes through the
injected `sleep`, so tests run the pacing on a fake clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

PER_CHAT_SECONDS = 1.1
"""A little over a second: requests can reach Telegram a few milliseconds apart from when
they left, and the limit is counted where they arrive."""

Sleep = Callable[[float], Awaitable[None]]


class Pacer:
    def __init__(self, rate: float | None, *, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Sleep = asyncio.sleep, per_chat: float = PER_CHAT_SECONDS) -> None:
        self.monotonic = monotonic
        self.sleep = sleep
        self.per_chat = per_chat
        self.interval = 0.0
        self.set_rate(rate)
        self._next = 0.0
        self._paused_until = 0.0
        self._chats: dict[int, float] = {}
        self._order: deque[tuple[float, int]] = deque()

    def set_rate(self, rate: float | None) -> None:
        """None = as fast as the connections allow (benchmarks, Telegram's paid broadcasts)."""
        self.interval = 1.0 / rate if rate else 0.0

    @property
    def rate(self) -> float | None:
        return 1.0 / self.interval if self.interval else None

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out until `seconds` from now."""
        self._paused_until = max(self._paused_until, self.monotonic() + seconds)

    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self.monotonic())

    async def turn(self) -> None:
        """Returns at this caller's slot; callers take turns one at a time."""
        while True:
            now = self.monotonic()
            start = max(self._next, self._paused_until)
            if start <= now:
                base = self._next if now - self._next < self.interval else now
                self._next = max(base, self._paused_until) + self.interval
                return
            await self.sleep(start - now)

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until `chat_id` may get another message (0 = now)."""
        now = self.monotonic()
        while self._order and self._order[0][0] <= now:
            ready, old = self._order.popleft()
            if self._chats.get(old) == ready:
                del self._chats[old]
        return max(0.0, self._chats.get(chat_id, 0.0) - now)

    def sent_to(self, chat_id: int) -> None:
        ready = self.monotonic() + self.per_chat
        self._chats[chat_id] = ready
        self._order.append((ready, chat_id))
