"""Reading dates and times the way facilitators type them: "12/3 09.00", "12 Maret 2026 9:00".

Indonesian and English month names, day-month order (as written in Indonesia), dots or colons in
times, "pagi/siang/sore/malam" and am/pm, and "besok"/"tomorrow". Pure functions: the caller
supplies today's date, so tests need no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
RELATIVE_DAYS = {"hari ini": 0, "today": 0, "besok": 1, "tomorrow": 1, "lusa": 2}
NOISE = re.compile(
    r"\b(?:tanggal|tgl|pukul|pkl|jam|at|on|wib|senin|selasa|rabu|kamis|jum'?at|sabtu|"
    r"minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b\.?"
)
NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{2}|\d{4}))?\b")
DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
DAY_MONTH = re.compile(r"^(\d{1,2})\s*([a-z]+)\.?(?:\s+(\d{4})\b)?")
MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:\s*,?\s*(\d{4})\b)?")
TIME = re.compile(
    r"^(\d{1,2})(?:\s*[.:]\s*(\d{2}))?\s*(pagi|siang|sore|malam|am|pm|a\.m\.|p\.m\.)?$")
YEAR_WRAP = timedelta(days=31)
"""A year-less date more than this far in the past means next year ("5/1" typed in December)."""


class DateTextError(ValueError):
    """The text is not a date/time we can read; `reason` is `unreadable` or `no_such_date`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Moment:
    day: date
    clock: time | None


def _clean(text: str) -> str:
    text = NOISE.sub(" ", text.lower().replace(",", " "))
    return re.sub(r"\s+", " ", text).strip()


def _year(day: int, month: int, year: int | None, today: date) -> date:
    try:
        if year is not None:
            return date(year + 2000 if year < 100 else year, month, day)
        guess = date(today.year, month, day)
        if guess < today - YEAR_WRAP:
            guess = date(today.year + 1, month, day)
        return guess
    except ValueError:
        raise DateTextError("no_such_date") from None


def _take_date(text: str, today: date) -> tuple[date, str]:
    for word, offset in RELATIVE_DAYS.items():
        if text.startswith(word):
            return today + timedelta(days=offset), text[len(word):]
    if match := ISO_DATE.match(text):
        return _year(int(match[3]), int(match[2]), int(match[1]), today), text[match.end():]
    for pattern in (DOTTED_DATE, NUMERIC_DATE):
        if match := pattern.match(text):
            year = int(match[3]) if match[3] else None
            return _year(int(match[1]), int(match[2]), year, today), text[match.end():]
    if (match := DAY_MONTH.match(text)) and match[2] in MONTHS:
        year = int(match[3]) if match[3] else None
        return _year(int(match[1]), MONTHS[match[2]], year, today), text[match.end():]
    if (match := MONTH_DAY.match(text)) and match[1] in MONTHS:
        year = int(match[3]) if match[3] else None
        return _year(int(match[2]), MONTHS[match[1]], year, today), text[match.end():]
    raise DateTextError("unreadable")


def parse_time(text: str) -> time:
    """`09.00`, `9:30`, `14`, `2 siang`, `7 pm`."""
    match = TIME.match(_clean(text))
    if match is None:
        raise DateTextError("unreadable")
    hour, minute = int(match[1]), int(match[2] or 0)
    part = (match[3] or "").replace(".", "")
    if part and not 1 <= hour <= 12:
        raise DateTextError("no_such_date")
    afternoon = part in ("pm", "sore", "malam") or (part == "siang" and hour < 6)
    if afternoon and hour < 12:
        hour += 12
    elif part in ("am", "pagi") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise DateTextError("no_such_date")
    return time(hour, minute)


def parse_moment(text: str, today: date) -> Moment:
    """A date with an optional time after it; anything else left over is an error."""
    cleaned = _clean(text)
    day, rest = _take_date(cleaned, today)
    rest = rest.strip()
    return Moment(day, parse_time(rest) if rest else None)


def combine(day: date, clock: time, tz: tzinfo) -> datetime:
    """The local wall-clock moment as an aware datetime in `tz` (store it in UTC later)."""
    return datetime.combine(day, clock, tzinfo=tz)
