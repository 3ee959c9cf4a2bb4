"""Dates and times as facilitators type them, in Indonesian and English."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.services.trainings_dates import DateTextError, Moment, parse_moment, parse_time

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/3 09.00", Moment(date(2026, 3, 12), time(9, 0))),
        ("12/3/2026 9:30", Moment(date(2026, 3, 12), time(9, 30))),
        ("12-03-26 14.15", Moment(date(2026, 3, 12), time(14, 15))),
        ("12.03.2026 08.00", Moment(date(2026, 3, 12), time(8, 0))),
        ("12 Maret 2026 09:00", Moment(date(2026, 3, 12), time(9, 0))),
        ("12 maret pukul 09.00 WIB", Moment(date(2026, 3, 12), time(9, 0))),
        ("Kamis, 12 Mar 2026 jam 9", Moment(date(2026, 3, 12), time(9, 0))),
        ("12 Agustus 13.30", Moment(date(2026, 8, 12), time(13, 30))),
        ("1 Agt 2 siang", Moment(date(2026, 8, 1), time(14, 0))),
        ("12 March 2026 9:00", Moment(date(2026, 3, 12), time(9, 0))),
        ("March 12, 2026 9 am", Moment(date(2026, 3, 12), time(9, 0))),
        ("May 4 7 pm", Moment(date(2026, 5, 4), time(19, 0))),
        ("3 Desember", Moment(date(2026, 12, 3), None)),
        ("2026-04-01 10:00", Moment(date(2026, 4, 1), time(10, 0))),
        ("besok 08.00", Moment(date(2026, 3, 3), time(8, 0))),
        ("tomorrow 8:00", Moment(date(2026, 3, 3), time(8, 0))),
        ("lusa", Moment(date(2026, 3, 4), None)),
        ("7 malam", None),
    ],
)
def test_moments(text: str, expected: Moment | None) -> None:
    if expected is None:
        with pytest.raises(DateTextError):
            parse_moment(text, TODAY)
    else:
        assert parse_moment(text, TODAY) == expected


def test_a_date_without_year_in_the_new_year_means_next_year() -> None:
    assert parse_moment("5/1 09.00", date(2026, 12, 20)).day == date(2027, 1, 5)


def test_a_recent_date_without_year_stays_in_this_year_so_it_can_be_refused_as_past() -> None:
    assert parse_moment("1/3 09.00", TODAY).day == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("31/2 09.00", "no_such_date"), ("30 Februari", "no_such_date"),
     ("12/3 25.00", "no_such_date"), ("12/3 09.75", "no_such_date"),
     ("minggu depan", "unreadable"), ("12 Maretz 09.00", "unreadable"), ("", "unreadable"),
     ("12/3 pagi sekali", "unreadable"), ("13/13", "no_such_date")],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(DateTextError) as caught:
        parse_moment(text, TODAY)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [("09.00", time(9)), ("9:05", time(9, 5)), ("14", time(14)), ("2 siang", time(14)),
     ("11 siang", time(11)), ("7 malam", time(19)), ("12 am", time(0)), ("12 pm", time(12)),
     ("jam 8 pagi", time(8)), ("16.30 WIB", time(16, 30))],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24.00", "13 pagi", "9.5", "sembilan", "09.00.00"])
def test_bad_times(text: str) -> None:
    with pytest.raises(DateTextError):
        parse_time(text)
