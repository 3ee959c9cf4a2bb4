"""One send budget per bot process for everything sent in bulk.

Broadcasts, training reminders and weekly tips each pace themselves, but Telegram counts the
bot's messages together: with one `Slots` they share `[broadcast] messages_per_second` (divided
among sender processes by the broadcast engine), so replies to members still get through.
"""

from __future__ import annotations

import weakref
from typing import Any

from bot.jobs.broadcasts_pacer import Pacer, Slots
from bot.runtime import Runtime

_slots: weakref.WeakKeyDictionary[Any, Slots] = weakref.WeakKeyDictionary()


def bulk_slots(application: Any) -> Slots:
    """The process's shared schedule, made at the configured rate on first use."""
    slots = _slots.get(application)
    if slots is None:
        runtime: Runtime = application.bot_data
        slots = _slots[application] = Slots.at_rate(runtime.settings.broadcast.messages_per_second)
    return slots


def bulk_pacer(application: Any) -> Pacer:
    """A pacer on the shared schedule, waiting with real time."""
    return Pacer(slots=bulk_slots(application))
