"""Send times for bulk sends: a steady global rate, one message a second per chat.

Slots are spaced exactly 1/rate apart, so any one-second window holds at most rate + 1 sends
(26 at the default 25, under Telegram's 30). A late wake-up keeps the schedule instead of
drifting; a long stall restarts it rather than bursting to catch up. Waiting goes through the
injected `sleep`, so tests run the pacing on a fake clock.

The schedule lives in `Slots`, which several pacers can share: a bot process gives its broadcast
engine, training reminders and weekly tips one `Slots` (bot/jobs/bulk.py), so together they keep
to `messages_per_second` and a 429 pauses all of them.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

PER_CHAT_SECONDS = 1.1
"""A little over a second: requests can reach Telegram a few milliseconds apart from when
they left, and the limit is counted where they arrive."""

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Slots:
    """The shared schedule: the next free slot, a 429 pause, and when each chat is free again."""

    interval: float = 0.0
    next: float = 0.0
    paused_until: float = 0.0
    chats: dict[int, float] = field(default_factory=dict)
    order: deque[tuple[float, int]] = field(default_factory=deque)

    @classmethod
    def at_rate(cls, rate: float | None) -> Slots:
        return cls(interval=1.0 / rate if rate else 0.0)


class Pacer:
    def __init__(self, rate: float | None = None, *, slots: Slots | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Sleep = asyncio.sleep, per_chat: float = PER_CHAT_SECONDS) -> None:
        """Shares `slots` when given (their rate stands); else keeps its own at `rate`."""
        self.monotonic = monotonic
        self.sleep = sleep
        self.per_chat = per_chat
        self.slots = slots if slots is not None else Slots.at_rate(rate)

    def set_rate(self, rate: float | None) -> None:
        """None = as fast as the connections allow (benchmarks, Telegram's paid broadcasts)."""
        self.slots.interval = 1.0 / rate if rate else 0.0

    @property
    def rate(self) -> float | None:
        return 1.0 / self.slots.interval if self.slots.interval else None

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out until `seconds` from now."""
        self.slots.paused_until = max(self.slots.paused_until, self.monotonic() + seconds)

    def paused_for(self) -> float:
        return max(0.0, self.slots.paused_until - self.monotonic())

    async def turn(self) -> None:
        """Returns at this caller's slot; callers take turns one at a time."""
        slots = self.slots
        while True:
            now = self.monotonic()
            start = max(slots.next, slots.paused_until)
            if start <= now:
                base = slots.next if now - slots.next < slots.interval else now
                slots.next = max(base, slots.paused_until) + slots.interval
                return
            await self.sleep(start - now)

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until `chat_id` may get another message (0 = now)."""
        now = self.monotonic()
        chats, order = self.slots.chats, self.slots.order
        while order and order[0][0] <= now:
            ready, old = order.popleft()
            if chats.get(old) == ready:
                del chats[old]
        return max(0.0, chats.get(chat_id, 0.0) - now)

    def sent_to(self, chat_id: int) -> None:
        self._hold(chat_id)

    def _hold(self, chat_id: int) -> None:
        ready = self.monotonic() + self.per_chat
        self.slots.chats[chat_id] = ready
        self.slots.order.append((ready, chat_id))

    async def wait(self, chat_id: int) -> None:
        """For senders that send one message per call: the chat's second, then a global slot.

        The chat is held while its send waits for the slot, so two sends to one chat started
        together go a second apart.
        """
        while (delay := self.chat_wait(chat_id)) > 0:
            await self.sleep(delay)
        self._hold(chat_id)
        await self.turn()
        self.sent_to(chat_id)
