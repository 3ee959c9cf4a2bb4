"""The weekly tip: when it is due, who gets which tip, and delivery at Telegram's pace."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db import SessionMaker
from bot.jobs import tips as job
from bot.jobs.broadcasts_pacer import Pacer
from bot.services import tips, tips_library, tips_manage, tips_weekly
from models import Role, Status
from models.tip import Tip, TipSend
from tests.support.harness import BotHarness
from tests.support.members import make_member

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_7 = datetime(2026, 3, 2, 7, 0, tzinfo=WIB)
BEFORE = MONDAY_7 - timedelta(days=3)


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 3, 2, 7, 0, tzinfo=WIB), datetime(2026, 3, 2, 7, 0, tzinfo=WIB)),
    (datetime(2026, 3, 2, 6, 59, tzinfo=WIB), datetime(2026, 2, 23, 7, 0, tzinfo=WIB)),
    (datetime(2026, 3, 8, 23, 0, tzinfo=WIB), datetime(2026, 3, 2, 7, 0, tzinfo=WIB)),
    (datetime(2026, 3, 4, 0, 30, tzinfo=UTC), datetime(2026, 3, 2, 7, 0, tzinfo=WIB)),
])
def test_the_week_starts_monday_at_seven_wib(now: datetime, expected: datetime) -> None:
    assert tips_weekly.period_start(now, WIB, 0, time(7, 0)) == expected
    assert tips_weekly.period_key(expected, WIB) == expected.date().isoformat()


def test_another_day_and_time_can_be_configured() -> None:
    friday = tips_weekly.period_start(datetime(2026, 3, 2, 12, 0, tzinfo=WIB), WIB, 4,
                                      time(16, 30))
    assert friday == datetime(2026, 2, 27, 16, 30, tzinfo=WIB)


@pytest.fixture
async def library(seeded: SessionMaker) -> SessionMaker:
    await tips_library.import_records(seeded, list(tips_library.shipped_records()),
                                      BEFORE - timedelta(days=30))
    return seeded


async def _category_ids(sessionmaker: SessionMaker, code: str) -> list[int]:
    return [t.id for t in await tips.list_tips(sessionmaker, code, "id")]


async def _sends(sessionmaker: SessionMaker) -> list[TipSend]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(TipSend).order_by(TipSend.id)))


async def test_each_subscriber_gets_one_unseen_tip_a_week(library: SessionMaker) -> None:
    siti = await make_member(library, 3001)
    await tips.toggle_subscription(library, siti.id, "kopi", BEFORE)
    kopi = await _category_ids(library, "kopi")
    await tips.open_tip(library, siti.id, kopi[0], BEFORE)  # already read: never sent
    assert await tips_weekly.queue_week(library, MONDAY_7, WIB) == 1
    assert await tips_weekly.queue_week(library, MONDAY_7, WIB) == 0  # once a week
    [first] = await _sends(library)
    assert (first.tip_id, first.period, first.status) == (kopi[1], "2026-03-02", "queued")

    sent = []
    for week in range(1, 5):
        start = MONDAY_7 + timedelta(weeks=week)
        await tips_weekly.queue_week(library, start, WIB)
        sent.append((await _sends(library))[-1].tip_id)
    assert sent[:2] == kopi[2:4]
    assert len(await _sends(library)) == 3  # four kopi tips: one read, three sent, then none


async def test_topics_take_turns(library: SessionMaker) -> None:
    siti = await make_member(library, 3002)
    for code in ("kopi", "karet"):
        await tips.toggle_subscription(library, siti.id, code, BEFORE)
    for week in range(4):
        await tips_weekly.queue_week(library, MONDAY_7 + timedelta(weeks=week), WIB)
    async with library() as session:
        categories = [c for (c,) in (await session.execute(
            select(Tip.category).join(TipSend, TipSend.tip_id == Tip.id).order_by(TipSend.id)
        )).all()]
    assert categories == ["kopi", "karet", "kopi", "karet"]


async def test_who_is_left_out(library: SessionMaker) -> None:
    late = await make_member(library, 3003)
    stopped = await make_member(library, 3004, status=Status.STOPPED)
    blocked = await make_member(library, 3005, status=Status.BLOCKED)
    unsubscribed = await make_member(library, 3006)
    await tips.toggle_subscription(library, late.id, "kopi", MONDAY_7 + timedelta(minutes=1))
    for member in (stopped, blocked):
        await tips.toggle_subscription(library, member.id, "kopi", BEFORE)
    await tips.toggle_subscription(library, unsubscribed.id, "kopi", BEFORE)
    await tips.toggle_subscription(library, unsubscribed.id, "kopi", BEFORE)
    assert await tips_weekly.queue_week(library, MONDAY_7, WIB) == 0
    assert await tips_weekly.queue_week(library, MONDAY_7 + timedelta(weeks=1), WIB) == 1


async def test_unpublished_tips_are_never_sent(library: SessionMaker) -> None:
    siti = await make_member(library, 3007)
    await tips.toggle_subscription(library, siti.id, "sawit", BEFORE)
    for tip_id in await _category_ids(library, "sawit"):
        await tips_manage.set_published(library, tip_id, False, BEFORE)
    assert await tips_weekly.queue_week(library, MONDAY_7, WIB) == 0


# Delivery, end to end ----------------------------------------------------------------------

class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sent: list[tuple[float, int]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def fake_pacer(rate: float) -> tuple[Pacer, FakeTime]:
    clock = FakeTime()
    pacer = Pacer(rate, monotonic=clock.monotonic, sleep=clock.sleep)
    original = pacer.sent_to

    def record(chat_id: int) -> None:
        clock.sent.append((clock.now, chat_id))
        original(chat_id)

    pacer.sent_to = record  # type: ignore[method-assign]
    return pacer, clock


async def test_monday_morning_delivers_and_marks_sent(harness: BotHarness) -> None:
    sessionmaker = harness.sessionmaker
    people = [await make_member(sessionmaker, 3100 + i, language="en" if i == 2 else "id")
              for i in range(5)]
    for member in people:
        await tips.toggle_subscription(sessionmaker, member.id, "keuangan", BEFORE)
    for user_id in (3100, 3101, 3102, 3103):  # 3104's chat does not exist: Telegram refuses
        await harness.user(user_id).send("/bantuan")
    await harness.user(3103).block()  # the bot learns it: no longer active, not queued
    harness.app.bot_data.clock = lambda: MONDAY_7 + timedelta(minutes=5)
    pacer, fake = fake_pacer(harness.settings.broadcast.messages_per_second)

    report = await job.weekly_tick(harness.app, pacer)

    assert (report.queued, report.sent, report.failed) == (4, 3, 1)
    siti = harness.user(3100)
    assert siti.text.startswith("💡 Tips minggu ini\n🏦 Keuangan, KUR dan koperasi")
    assert {"🔔 Tips mingguan", "👍", "📤 Bagikan"} <= set(siti.last_reply.inline_buttons)
    assert harness.user(3102, language_code="en").text.startswith("💡 Tip of the week")
    statuses = [(s.status, (s.error or "")[:8]) for s in await _sends(sessionmaker)]
    assert sorted(statuses) == [("failed", "refused:"), ("sent", ""), ("sent", ""), ("sent", "")]
    times = [t for t, _ in fake.sent]
    assert all(b - a >= 1 / 25 - 1e-9 for a, b in pairwise(times))

    again = await job.weekly_tick(harness.app, pacer)
    assert (again.queued, again.sent) == (0, 0)
    await siti.tap("👍")
    assert (await tips.tip_stats(sessionmaker, tip_ids=[(await _sends(sessionmaker))[0].tip_id])
            )[0].likes == 1


async def test_nothing_goes_out_before_the_hour_or_long_after_it(harness: BotHarness) -> None:
    member = await make_member(harness.sessionmaker, 3200)
    await harness.user(3200).send("/bantuan")
    await tips.toggle_subscription(harness.sessionmaker, member.id, "kopi", BEFORE)
    for moment in (MONDAY_7 - timedelta(minutes=1), MONDAY_7 + job.CATCH_UP + timedelta(1)):
        harness.app.bot_data.clock = lambda moment=moment: moment
        assert (await job.weekly_tick(harness.app)).queued == 0
    harness.app.bot_data.clock = lambda: MONDAY_7 + timedelta(hours=3)  # restarted late
    assert (await job.weekly_tick(harness.app)).sent == 1


async def test_quiet_hours_hold_the_weekly_tip_back(harness: BotHarness) -> None:
    """A Friday-noon weekly tip waits for the end of Friday prayers (13.00 by default)."""
    runtime = harness.app.bot_data
    runtime.settings = runtime.settings.model_copy(update={"tips": runtime.settings.tips
                                                   .model_copy(update={
                                                       "weekly_day": "friday",
                                                       "weekly_time": time(12, 0)})})
    member = await make_member(harness.sessionmaker, 3250)
    await harness.user(3250).send("/bantuan")
    await tips.toggle_subscription(harness.sessionmaker, member.id, "kopi", BEFORE)
    noon = datetime(2026, 3, 6, 12, 5, tzinfo=WIB)
    runtime.clock = lambda: noon
    report = await job.weekly_tick(harness.app)
    assert (report.queued, report.sent) == (1, 0)
    runtime.clock = lambda: noon + timedelta(hours=1)
    assert (await job.weekly_tick(harness.app)).sent == 1


async def test_two_messages_to_one_chat_are_a_second_apart(harness: BotHarness) -> None:
    sessionmaker = harness.sessionmaker
    member = await make_member(sessionmaker, 3300)
    await harness.user(3300).send("/bantuan")
    await tips.toggle_subscription(sessionmaker, member.id, "kopi", BEFORE)
    photo_id = await _photo(harness)
    for tip_id in await _category_ids(sessionmaker, "kopi"):
        await tips_manage.update_tip(sessionmaker, tip_id, BEFORE, photo_file_id=photo_id)
        await tips_manage.update_text(sessionmaker, tip_id, "id", BEFORE, body="Isi. " * 199)
    harness.app.bot_data.clock = lambda: MONDAY_7
    pacer, fake = fake_pacer(25)
    assert (await job.weekly_tick(harness.app, pacer)).sent == 1
    (first, chat_a), (second, chat_b) = fake.sent
    assert chat_a == chat_b == 3300 and second - first >= 1.0
    photo, text = harness.user(3300).chat[-2:]
    assert photo.photo and len(photo.caption) <= 1024 and "Isi. Isi." in text.text


async def _photo(harness: BotHarness) -> str:
    """A file id the local Bot API knows: a photo a staff member sent to the bot."""
    await make_member(harness.sessionmaker, 3399, role=Role.FACILITATOR)
    staff = harness.user(3399)
    await staff.send_photo()
    sent = [item for item in staff.chat if not item.from_bot and item.photo]
    return str(sent[-1].photo[-1]["file_id"])
