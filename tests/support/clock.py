"""A clock tests move by hand, so schedules and quiet hours are tested without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Monday 2 March 2026, 08.00 WIB: a working morning, outside every quiet hour.
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


class Clock:
    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> datetime:
        self.current += delta
        return self.current

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("use an aware datetime")
        self.current = moment
