"""Reminders and change notices reach members through the job: on time, once, and politely paced."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from bot.db import SessionMaker
from bot.jobs import trainings as job
from bot.jobs.broadcasts_pacer import Pacer
from bot.services import trainings
from bot.services import trainings_enroll as enroll
from models import Role
from tests.support.clock import START, Clock
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.trainings import WIB, at, draft, make_training


def _bot_messages(user: TestUser) -> list[str]:
    return [item.text or "" for item in user.chat if item.from_bot]


async def _member(harness: BotHarness, seeded: SessionMaker, telegram_id: int,
                  name: str = "Siti", language: str = "id") -> tuple[int, TestUser]:
    member = await make_member(seeded, telegram_id, name, language=language)
    user = harness.user(telegram_id, name, language_code=language)
    await user.send("/pelatihan_saya")
    return member.id, user


async def test_two_reminders_each_exactly_once(harness: BotHarness, seeded: SessionMaker,
                                               clock: Clock) -> None:
    training = await make_training(seeded)
    member_id, user = await _member(harness, seeded, 1001)
    await enroll.enroll(seeded, training.id, member_id, START, tz=WIB)
    clock.set(at(4, 17, 59))
    await job.run(harness.app)
    assert not any("Pengingat" in t for t in _bot_messages(user))
    clock.set(at(4, 18))
    await job.run(harness.app)
    await job.run(harness.app)
    evening = [t for t in _bot_messages(user) if "⏰ Pengingat: pelatihan Anda besok." in t]
    assert len(evening) == 1
    assert "Kamis, 5 Maret 2026, 09.00–12.00 WIB" in evening[0]
    assert user.last_reply.inline_buttons == ["🙅 Saya tidak bisa datang"]
    clock.set(at(5, 7))
    await job.run(harness.app)
    clock.set(at(5, 8))
    await job.run(harness.app)
    soon = [t for t in _bot_messages(user) if "mulai sekitar 2 jam lagi, pukul 09.00 WIB" in t]
    assert len(soon) == 1


async def test_reminders_survive_a_restart(harness: BotHarness, seeded: SessionMaker,
                                           clock: Clock) -> None:
    training = await make_training(seeded)
    member_id, user = await _member(harness, seeded, 1001, language="en")
    await enroll.enroll(seeded, training.id, member_id, START, tz=WIB)
    await harness.restart()
    clock.set(at(4, 18, 5))
    await job.run(harness.app)
    assert "⏰ Reminder: your training is tomorrow." in user.text
    assert "Thursday, 5 March 2026, 09:00–12:00 WIB" in user.text


async def test_no_reminder_after_withdrawing_by_the_reminder_button(
    harness: BotHarness, seeded: SessionMaker, clock: Clock
) -> None:
    training = await make_training(seeded)
    member_id, user = await _member(harness, seeded, 1001)
    await enroll.enroll(seeded, training.id, member_id, START, tz=WIB)
    clock.set(at(4, 18))
    await job.run(harness.app)
    await user.tap("🙅 Saya tidak bisa datang")
    await user.tap("Ya, batalkan")
    clock.set(at(5, 7, 30))
    await job.run(harness.app)
    assert not any("2 jam lagi" in t for t in _bot_messages(user))


async def test_changes_and_cancellation_reach_enrolled_and_waiting(
    harness: BotHarness, seeded: SessionMaker, clock: Clock
) -> None:
    owner = await make_member(seeded, 900, "Bu Rina", role=Role.FACILITATOR)
    training = await make_training(seeded, created_by=owner.id, capacity=1)
    holder_id, holder = await _member(harness, seeded, 1001)
    waiting_id, waiting = await _member(harness, seeded, 1002, "Rahmat")
    await enroll.enroll(seeded, training.id, holder_id, START, tz=WIB)
    await enroll.enroll(seeded, training.id, waiting_id, START, tz=WIB, waitlist=True)
    await trainings.update_training(seeded, training.id, draft(
        starts_at=at(6, 13), ends_at=at(6, 16), capacity=1), START, actor=owner,
        expected_version=1, tz=WIB)
    await job.run(harness.app)
    for user in (holder, waiting):
        assert "⚠️ Waktu pelatihan Anda berubah:" in user.text
        assert "Jumat, 6 Maret 2026, 13.00–16.00 WIB" in user.text
    await trainings.cancel_training(seeded, training.id, START, actor=owner,
                                    expected_version=2)
    await job.run(harness.app)
    for user in (holder, waiting):
        assert "❌ Maaf, pelatihan ini dibatalkan oleh penyelenggara:" in user.text
    clock.set(at(5, 18))
    await job.run(harness.app)
    clock.set(at(6, 11, 30))
    await job.run(harness.app)
    assert not any("Pengingat" in t or "2 jam lagi" in t for t in _bot_messages(holder))


async def test_a_member_who_blocked_the_bot_is_skipped_quietly(
    harness: BotHarness, seeded: SessionMaker, clock: Clock
) -> None:
    training = await make_training(seeded)
    member_id, user = await _member(harness, seeded, 1001)
    other_id, other = await _member(harness, seeded, 1002, "Rahmat")
    for mid in (member_id, other_id):
        await enroll.enroll(seeded, training.id, mid, START, tz=WIB)
    user.sim.chat_state.blocked = True  # blocked, and the bot has not been told yet
    clock.set(at(4, 18))
    report = await job.run(harness.app)
    assert (report.sent, report.failed) == (1, 1)
    assert "Pengingat" in other.text


async def test_the_pacer_keeps_the_global_rate_and_one_message_per_chat_per_second() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    pacer = Pacer(4, monotonic=lambda: now[0], sleep=sleep)
    released = []
    for chat in (1, 2, 3, 4, 5, 1):
        await pacer.wait(chat)
        released.append(now[0])
    assert released == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0, 1.25])
    await pacer.wait(1)
    assert now[0] == pytest.approx(2.35)  # 1.1 s after chat 1's previous message
    now[0] += 10.0  # the event loop stalled: the next ones still leave a quarter second apart
    for chat in (6, 7, 8):
        await pacer.wait(chat)
        released.append(now[0])
    assert released[-3:] == pytest.approx([12.35, 12.6, 12.85])


async def test_two_sends_to_one_chat_started_together_go_a_second_apart() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0)

    pacer = Pacer(100, monotonic=lambda: now[0], sleep=sleep)
    released: list[float] = []

    async def send() -> None:
        await pacer.wait(7)
        released.append(now[0])

    await asyncio.gather(send(), send())
    assert released[1] - released[0] >= 1.1


async def test_the_pacer_keeps_its_rate_when_the_loop_oversleeps() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds + 0.05  # every wake-up comes 50 ms late

    pacer = Pacer(4, monotonic=lambda: now[0], sleep=sleep)
    for chat in range(9):
        await pacer.wait(chat)
    assert now[0] == pytest.approx(2.05)  # eight quarter-second turns, not eight late ones


def test_a_chat_with_several_notices_waits_its_turn() -> None:
    from bot.jobs.trainings import spread

    batch = [SimpleNamespace(chat_id=chat, n=n) for n, chat in enumerate((1, 1, 2, 1, 3))]
    assert [d.n for d in spread(batch)] == [0, 2, 4, 1, 3]  # type: ignore[arg-type,attr-defined]


async def test_sending_respects_the_configured_rate(harness: BotHarness, seeded: SessionMaker,
                                                    clock: Clock) -> None:
    harness.settings.broadcast.messages_per_second = 20
    await harness.restart()  # the process's send budget is set when the bot starts
    training = await make_training(seeded, capacity=40)
    users = []
    for telegram_id in range(2001, 2031):
        member_id, user = await _member(harness, seeded, telegram_id)
        await enroll.enroll(seeded, training.id, member_id, START, tz=WIB)
        users.append(user)
    clock.set(at(4, 18))
    loop = asyncio.get_running_loop()
    started = loop.time()
    report = await job.run(harness.app)
    elapsed = loop.time() - started
    assert report.sent == 30
    assert elapsed >= 29 / 20
    assert all("Pengingat" in u.text for u in users)
