"""Quiet hours: times no broadcast message goes out (night, Friday prayers), in local time.

A window is written `HH:MM-HH:MM` (or `HH.MM-HH.MM`), optionally after day names:
`"21:00-06:00"` every day, `"Fri 11:30-13:00"` (or `"Jum 11.30-13.00"`) on Fridays only.
A window that ends before it starts runs past midnight and belongs to the day it starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

DAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "sen": 0, "sel": 1, "rab": 2, "kam": 3, "jum": 4, "sab": 5, "min": 6,
}
_WINDOW = re.compile(
    r"^\s*(?:(?P<days>[A-Za-z]{3}(?:\s*,\s*[A-Za-z]{3})*)\s+)?"
    r"(?P<sh>\d{1,2})[:.](?P<sm>\d{2})\s*-\s*(?P<eh>\d{1,2})[:.](?P<em>\d{2})\s*$"
)


@dataclass(frozen=True, slots=True)
class QuietWindow:
    start: time
    end: time
    days: frozenset[int] | None = None
    """Weekdays (Monday = 0) the window starts on; None = every day."""

    def spans(self, local: datetime) -> list[tuple[datetime, datetime]]:
        """The occurrences that could contain `local`: the one starting today and yesterday's."""
        found = []
        for back in (1, 0):
            day = (local - timedelta(days=back)).date()
            if self.days is not None and day.weekday() not in self.days:
                continue
            start = datetime.combine(day, self.start, local.tzinfo)
            end_day = day + timedelta(days=1) if self.end <= self.start else day
            found.append((start, datetime.combine(end_day, self.end, local.tzinfo)))
        return found


def parse_quiet_window(text: str) -> QuietWindow:
    """Raises ValueError with a message naming what is wrong (shown by the config loader)."""
    match = _WINDOW.match(text)
    if match is None:
        raise ValueError(f"quiet hours {text!r}: write them like '21:00-06:00' or "
                         "'Fri 11:30-13:00'")
    try:
        start = time(int(match["sh"]), int(match["sm"]))
        end = time(int(match["eh"]), int(match["em"]))
    except ValueError:
        raise ValueError(f"quiet hours {text!r}: not a time of day") from None
    if start == end:
        raise ValueError(f"quiet hours {text!r}: start and end are the same")
    days = None
    if match["days"]:
        names = [d.strip().lower() for d in match["days"].split(",")]
        unknown = [n for n in names if n not in DAYS]
        if unknown:
            raise ValueError(f"quiet hours {text!r}: unknown day {unknown[0]!r} "
                             "(use Mon…Sun or Sen…Min)")
        days = frozenset(DAYS[n] for n in names)
    return QuietWindow(start, end, days)


def quiet_until(now: datetime, windows: list[QuietWindow], tz: tzinfo) -> datetime | None:
    """When sending may resume, if `now` is inside quiet hours (windows that touch are joined).

    Wall-clock arithmetic in the local zone; Asia/Jakarta has no daylight saving, and elsewhere
    a window is at worst an hour off on the night the clocks change.
    """
    local = now.astimezone(tz)
    resume: datetime | None = None
    moment = local
    for _ in range(len(windows) * 2 + 1):
        ends = [end for window in windows for start, end in window.spans(moment)
                if start <= moment < end]
        if not ends:
            break
        resume = moment = max(ends)
    return resume.astimezone(now.tzinfo) if resume is not None else None
