"""The period a programme report covers: the preset buttons, typed ranges, and the rules.

A period is whole local days (Asia/Jakarta), both ends included. It may not start after today
(there is nothing to report yet) and may span at most `MAX_DAYS`: a year, so the annual report
fits in one file while a typing slip ("2016" for "2026") is caught instead of exporting a decade.
Typed ranges reuse the date forms of `trainings_dates` ("1/11/2026", "1 November 2026"); a date
typed without a year means the latest such day that is not in the future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from bot.services.trainings_dates import DateTextError, parse_moment

MAX_DAYS = 366
SEPARATOR = re.compile(
    r"\s*(?:[-–—]|\b(?:s\.?/?d|sampai(?:\s+dengan)?|hingga|until|to)\b\.?)\s*", re.IGNORECASE)
HAS_YEAR = re.compile(r"\d{4}|\d\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2}\b")


class Problem(StrEnum):
    NOT_ALLOWED = "not_allowed"
    CONTACTS_NOT_ALLOWED = "contacts_not_allowed"
    UNREADABLE = "unreadable"
    NO_SUCH_DATE = "no_such_date"
    REVERSED = "reversed"
    FUTURE = "future"
    TOO_LONG = "too_long"
    UNKNOWN_KECAMATAN = "unknown_kecamatan"


class ReportRefused(ValueError):
    """The request breaks a rule; `problem` says which, for the caller to explain."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    """Included."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """The first moment of `start` and the first moment after `end`, as aware datetimes."""
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz))


def check_period(start: date, end: date, today: date) -> Period:
    if start > end:
        raise ReportRefused(Problem.REVERSED)
    if start > today:
        raise ReportRefused(Problem.FUTURE)
    period = Period(start, end)
    if period.days > MAX_DAYS:
        raise ReportRefused(Problem.TOO_LONG)
    return period


class Preset(StrEnum):
    THIS_MONTH = "m"
    LAST_MONTH = "l"
    LAST_3_MONTHS = "q"
    THIS_YEAR = "y"


def _month_start(day: date, back: int = 0) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def preset(kind: Preset, today: date) -> Period:
    """Periods up to today; "last 3 months" is this month and the two before it."""
    if kind is Preset.LAST_MONTH:
        start = _month_start(today, 1)
        return Period(start, _month_start(today) - timedelta(days=1))
    if kind is Preset.LAST_3_MONTHS:
        return Period(_month_start(today, 2), today)
    if kind is Preset.THIS_YEAR:
        return Period(date(today.year, 1, 1), today)
    return Period(_month_start(today), today)


def read_day(text: str, today: date) -> date:
    """One date; `DateTextError` when it cannot be read or does not exist."""
    if not HAS_YEAR.search(text) and any(ch.isdigit() for ch in text):
        # parse_moment looks forward from the reference day; a report looks back.
        day = parse_moment(text, date(today.year, 1, 1))
        if day.clock is not None:
            raise DateTextError("unreadable")
        try:
            return day.day if day.day <= today else day.day.replace(year=day.day.year - 1)
        except ValueError:
            raise DateTextError("no_such_date") from None
    moment = parse_moment(text, today)
    if moment.clock is not None:
        raise DateTextError("unreadable")
    return moment.day


def _read(text: str, today: date) -> tuple[date, date]:
    """Tries every separator ("1-11-2026 - 30-11-2026" has several dashes) until both halves
    read as dates; one date alone is a one-day period."""
    problem = "unreadable"
    for match in SEPARATOR.finditer(text):
        left, right = text[:match.start()].strip(), text[match.end():].strip()
        if not left or not right:
            continue
        try:
            return read_day(left, today), read_day(right, today)
        except DateTextError as error:
            problem = error.reason if error.reason == "no_such_date" else problem
    try:
        day = read_day(text, today)
    except DateTextError as error:
        raise DateTextError(problem if error.reason == "unreadable" else error.reason) from None
    return day, day


def parse_range(text: str, today: date) -> Period:
    """"1/11/2026 - 30/11/2026", "1 November 2026 s/d 30 November 2026", "5/11/2026"."""
    try:
        start, end = _read(text.strip(), today)
    except DateTextError as error:
        raise ReportRefused(Problem.NO_SUCH_DATE if error.reason == "no_such_date"
                            else Problem.UNREADABLE) from None
    return check_period(start, end, today)
