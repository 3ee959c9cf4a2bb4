"""Report periods: the preset buttons, typed ranges as staff write them, and the limits."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.report_period import (
    MAX_DAYS,
    Period,
    Preset,
    Problem,
    ReportRefused,
    check_period,
    parse_range,
    preset,
)

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("1/11/2026 - 30/11/2026", date(2026, 11, 1), date(2026, 11, 30)),
    ("1 November 2026 - 30 November 2026", date(2026, 11, 1), date(2026, 11, 30)),
    ("1-11-2026 - 30-11-2026", date(2026, 11, 1), date(2026, 11, 30)),
    ("1-11-2026-30-11-2026", date(2026, 11, 1), date(2026, 11, 30)),
    ("2026-11-01 to 2026-11-30", date(2026, 11, 1), date(2026, 11, 30)),
    ("1 Oktober 2026 s/d 31 Oktober 2026", date(2026, 10, 1), date(2026, 10, 31)),
    ("tanggal 1 Okt 2026 sampai 15 Okt 2026", date(2026, 10, 1), date(2026, 10, 15)),
    ("1/11 – 30/11", date(2026, 11, 1), date(2026, 11, 30)),
    ("1/12 sampai hari ini", date(2026, 12, 1), TODAY),
    ("20/12 - 4/1", date(2025, 12, 20), date(2026, 1, 4)),  # no year: the latest past one
    ("5/11/2026", date(2026, 11, 5), date(2026, 11, 5)),
    ("1 Desember 2025 - 30/11/2026", date(2025, 12, 1), date(2026, 11, 30)),
])
def test_typed_ranges(text: str, start: date, end: date) -> None:
    assert parse_range(text, TODAY) == Period(start, end)


@pytest.mark.parametrize(("text", "problem"), [
    ("bulan lalu", Problem.UNREADABLE),
    ("1/11/2026 09.00 - 30/11/2026", Problem.UNREADABLE),
    ("1/11/2026 - 31/11/2026", Problem.NO_SUCH_DATE),
    ("30/11/2026 - 1/11/2026", Problem.REVERSED),
    ("1/1/2027 - 31/1/2027", Problem.FUTURE),
    ("1/1/2016 - 30/11/2026", Problem.TOO_LONG),
])
def test_bad_typed_ranges(text: str, problem: Problem) -> None:
    with pytest.raises(ReportRefused) as refused:
        parse_range(text, TODAY)
    assert refused.value.problem is problem


def test_limits() -> None:
    assert check_period(date(2025, 12, 5), TODAY, TODAY).days == MAX_DAYS
    with pytest.raises(ReportRefused):
        check_period(date(2025, 12, 4), TODAY, TODAY)
    assert check_period(TODAY, date(2026, 12, 31), TODAY).end == date(2026, 12, 31)


@pytest.mark.parametrize(("kind", "today", "start", "end"), [
    (Preset.THIS_MONTH, TODAY, date(2026, 12, 1), TODAY),
    (Preset.LAST_MONTH, TODAY, date(2026, 11, 1), date(2026, 11, 30)),
    (Preset.LAST_MONTH, date(2026, 1, 15), date(2025, 12, 1), date(2025, 12, 31)),
    (Preset.LAST_3_MONTHS, date(2026, 2, 10), date(2025, 12, 1), date(2026, 2, 10)),
    (Preset.THIS_YEAR, TODAY, date(2026, 1, 1), TODAY),
])
def test_presets(kind: Preset, today: date, start: date, end: date) -> None:
    assert preset(kind, today) == Period(start, end)
