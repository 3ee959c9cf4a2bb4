"""The statistics service: every figure against rows whose answer is known, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db import SessionMaker
from bot.i18n import Translator
from bot.services.scope import EVERYTHING, OutOfScope, Scope
from bot.services.statistics import (
    AreaCount,
    WeekPoint,
    boundaries,
    programme_statistics,
)
from bot.services.statistics_chart import chart_labels, render
from bot.services.statistics_sql import UnknownKecamatan
from tests.support.clock import START
from tests.support.statistics import BANGKO, MUARA_SIAU, build_programme

WIB = ZoneInfo("Asia/Jakarta")


def test_boundaries_are_local_midnights() -> None:
    since = boundaries(START, WIB)
    assert since.week == datetime(2026, 3, 2, tzinfo=WIB)
    assert since.week.astimezone(UTC) == datetime(2026, 3, 1, 17, tzinfo=UTC)
    assert since.month == datetime(2026, 3, 1, tzinfo=WIB)
    assert since.trainings == START - timedelta(days=30)
    assert len(since.growth) == 12 and since.growth[-1] == since.week
    assert since.growth[0].date() == date(2025, 12, 15)
    sunday_night = datetime(2026, 3, 1, 16, 59, tzinfo=UTC)  # 23.59 WIB on Sunday
    assert boundaries(sunday_night, WIB).week == datetime(2026, 2, 23, tzinfo=WIB)
    assert boundaries(sunday_night, WIB).month == datetime(2026, 3, 1, tzinfo=WIB)


async def test_whole_kabupaten(seeded: SessionMaker) -> None:
    await build_programme(seeded)
    stats = await programme_statistics(seeded, EVERYTHING, None, now=START, tz=WIB)
    assert stats.kecamatan is None and stats.area_name == "Kabupaten Merangin"
    members = stats.members
    assert (members.active, members.registered) == (3, 4), "stopped counts, the admin does not"
    assert (members.new_this_week, members.new_this_month) == (1, 2)
    assert members.areas == [AreaCount(BANGKO, "Bangko", 2),
                             AreaCount(MUARA_SIAU, "Muara Siau", 1)]
    groups = {g.code: g.members for g in members.groups}
    assert groups == {"petani": 2, "perempuan": 1, "pemuda": 1, "migran": 0,
                      "disabilitas": 0, "usaha": 0}
    assert members.growth[0] == WeekPoint(date(2025, 12, 15), 0)
    by_week = {p.week: p.members for p in members.growth}
    assert by_week[date(2026, 1, 12)] == 0
    assert by_week[date(2026, 1, 19)] == 1, "Dedi joined on 20 January"
    assert by_week[date(2026, 2, 16)] == 1
    assert by_week[date(2026, 2, 23)] == 3, "Citra (Saturday night) and Budi (Sunday)"
    assert by_week[date(2026, 3, 2)] == 4

    trainings = stats.trainings
    assert (trainings.held, trainings.seats, trainings.enrolled, trainings.attended) == (
        1, 20, 3, 2)
    assert trainings.attendance == pytest.approx(2 / 3)
    assert (trainings.ratings, trainings.average_rating) == (2, 4.5)

    assert (stats.prices.reports, stats.prices.by_staff, stats.prices.by_members,
            stats.prices.pending) == (2, 1, 1, 1)
    assert (stats.broadcasts.broadcasts, stats.broadcasts.recipients,
            stats.broadcasts.delivered) == (1, 4, 2)
    assert [(t.title, t.readers) for t in stats.tips] == [
        ("Sadap karet pagi hari", 3), ("Bokar bersih <mutu>", 1)]


async def test_one_kecamatan(seeded: SessionMaker) -> None:
    await build_programme(seeded)
    stats = await programme_statistics(seeded, EVERYTHING, BANGKO, now=START, tz=WIB)
    assert stats.kecamatan == BANGKO and stats.area_name == "Bangko"
    members = stats.members
    assert (members.active, members.registered) == (2, 3)
    assert (members.new_this_week, members.new_this_month) == (1, 2)
    assert members.areas == [AreaCount("15.02.02.2004", "Kungkai", 1),
                             AreaCount("15.02.02.1010", "Pasar Bangko", 1)]
    assert {g.code: g.members for g in members.groups if g.members} == {
        "petani": 2, "perempuan": 1}
    assert members.growth[-1].members == 3
    assert (stats.trainings.held, stats.trainings.enrolled, stats.trainings.attended) == (1, 3, 2)
    assert (stats.prices.reports, stats.prices.by_staff, stats.prices.by_members) == (1, 1, 0)
    assert (stats.broadcasts.broadcasts, stats.broadcasts.recipients,
            stats.broadcasts.delivered) == (1, 3, 2)
    assert [(t.title, t.readers) for t in stats.tips] == [("Sadap karet pagi hari", 2)]

    siau = await programme_statistics(seeded, EVERYTHING, MUARA_SIAU, now=START, tz=WIB)
    assert (siau.members.active, siau.trainings.held, siau.prices.pending) == (1, 0, 1)
    assert siau.trainings.attendance is None and siau.trainings.average_rating is None
    assert (siau.broadcasts.recipients, siau.broadcasts.delivered) == (1, 0)
    assert [(t.title, t.readers) for t in siau.tips] == [
        ("Sadap karet pagi hari", 1), ("Bokar bersih <mutu>", 1)]


async def test_limited_scope(seeded: SessionMaker) -> None:
    await build_programme(seeded)
    limited = Scope(BANGKO)
    own = await programme_statistics(seeded, limited, None, now=START, tz=WIB)
    assert own.kecamatan == BANGKO and own.members.active == 2
    assert (await programme_statistics(seeded, limited, BANGKO, now=START, tz=WIB)
            ).members == own.members
    with pytest.raises(OutOfScope) as refused:
        await programme_statistics(seeded, limited, MUARA_SIAU, now=START, tz=WIB)
    assert refused.value.allowed == BANGKO


@pytest.mark.parametrize("code", ["15.02.02.1010", "15.02", "99.99.99", "'; DROP TABLE x"])
async def test_unknown_kecamatan(seeded: SessionMaker, code: str) -> None:
    with pytest.raises(UnknownKecamatan):
        await programme_statistics(seeded, EVERYTHING, code, now=START, tz=WIB)


async def test_empty_database_gives_zeros(seeded: SessionMaker) -> None:
    stats = await programme_statistics(seeded, EVERYTHING, None, now=START, tz=WIB)
    members = stats.members
    assert (members.active, members.registered, members.new_this_week,
            members.new_this_month) == (0, 0, 0, 0)
    assert members.areas == [] and all(g.members == 0 for g in members.groups)
    assert len(members.groups) == 6
    assert [p.members for p in members.growth] == [0] * 12
    assert (stats.trainings.held, stats.trainings.seats, stats.trainings.enrolled) == (0, 0, 0)
    assert stats.trainings.attendance is None and stats.trainings.average_rating is None
    assert stats.prices.reports == 0 and stats.broadcasts.broadcasts == 0
    assert stats.broadcasts.reach is None and stats.tips == []
    png = render(members.areas, members.growth,
                 chart_labels(stats, Translator("id", WIB), START.date()), "id")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


async def test_chart_grows_with_the_areas(seeded: SessionMaker) -> None:
    await build_programme(seeded)
    stats = await programme_statistics(seeded, EVERYTHING, None, now=START, tz=WIB)
    labels = chart_labels(stats, Translator("id", WIB), START.date())
    assert labels.title == "Berdaya · Kabupaten Merangin"
    assert labels.bars == "Anggota aktif per kecamatan"
    few = render(stats.members.areas, stats.members.growth, labels, "id")
    many = render([AreaCount(str(i), f"Desa {i}", i) for i in range(1, 25)],
                  stats.members.growth, labels, "id")
    assert few.startswith(b"\x89PNG") and len(few) < 100_000
    assert _height(many) > _height(few)


def _height(png: bytes) -> int:
    return int.from_bytes(png[20:24], "big")
