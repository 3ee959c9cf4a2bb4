"""Quiet hours: nothing goes out at night or during Friday prayers; sending resumes after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import ConfigError, Settings, load_settings
from bot.db import SessionMaker
from bot.playground.botapi import FakeBotApi
from bot.services.broadcasts_quiet import parse_quiet_window, quiet_until
from models.broadcast import Delivery, DeliveryStatus
from tests.support.broadcasts import FakeTime, broadcast, crowd, engine, facilitator, received
from tests.support.clock import Clock

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT = Settings().broadcast.quiet_windows


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026 (the 2nd is a Monday, the 6th a Friday), WIB."""
    return datetime(2026, 3, day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(("moment", "resume"), [
    (wib(2, 8), None),
    (wib(2, 20, 59), None),
    (wib(2, 21), wib(3, 6)),
    (wib(3, 2, 30), wib(3, 6)),
    (wib(3, 6), None),
    (wib(6, 11, 29), None),
    (wib(6, 11, 30), wib(6, 13)),
    (wib(6, 12, 59), wib(6, 13)),
    (wib(5, 11, 45), None),  # Thursday: no prayer pause
])
def test_default_quiet_hours(moment: datetime, resume: datetime | None) -> None:
    assert quiet_until(moment.astimezone(UTC), DEFAULT, WIB) == resume


def test_touching_windows_are_joined() -> None:
    windows = [parse_quiet_window("21:00-06:00"), parse_quiet_window("Sab 05.30-09.00")]
    assert quiet_until(wib(7, 1), windows, WIB) == wib(7, 9)


@pytest.mark.parametrize("text", ["21-06", "25:00-06:00", "Friday 11:30-13:00",
                                  "07:00-07:00", "Fri11:30-13:00x"])
def test_bad_quiet_hours_are_refused_by_name(tmp_path: Path, text: str) -> None:
    path = tmp_path / "cfg.toml"
    path.write_text(f'[broadcast]\nquiet_hours = ["{text}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broadcast\.quiet_hours"):
        load_settings(path)


def test_quiet_hours_can_be_switched_off(tmp_path: Path) -> None:
    path = tmp_path / "cfg.toml"
    path.write_text("[broadcast]\nquiet_hours = []\n", encoding="utf-8")
    assert load_settings(path).broadcast.quiet_windows == []


async def test_sending_waits_for_the_morning(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    clock.set(wib(2, 21, 30))
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 2)
    await broadcast(seeded, sender, clock, "Besok pagi")
    worker = engine(api, seeded, settings, clock, FakeTime())
    await worker.drain()
    assert all(received(api, p.chat_id or 0) == [] for p in people)
    async with seeded() as session:
        statuses = set(await session.scalars(select(Delivery.status)))
    assert statuses == {DeliveryStatus.QUEUED}
    progress = received(api, sender.chat_id or 0, "Jam tenang")
    assert progress and "06.00 WIB" in progress[-1].text
    clock.set(wib(3, 5, 59))
    await worker.drain()
    assert all(received(api, p.chat_id or 0) == [] for p in people)
    clock.advance(timedelta(minutes=1))
    await worker.drain()
    await worker.close()
    assert all(len(received(api, p.chat_id or 0, "Besok pagi")) == 1 for p in people)


async def test_friday_prayers_pause_sending(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock,
) -> None:
    clock.set(wib(6, 11, 45))
    sender = await facilitator(api, seeded)
    [person] = await crowd(api, seeded, 1)
    await broadcast(seeded, sender, clock, "Jumat")
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    assert received(api, person.chat_id or 0) == []
    clock.set(wib(6, 13))
    await worker.drain()
    await worker.close()
    assert len(received(api, person.chat_id or 0, "Jumat")) == 1
