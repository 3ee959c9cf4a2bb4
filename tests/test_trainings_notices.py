"""Notice rows: when reminders fall due, that each is claimed once, and what stops them."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update

from bot.db import SessionMaker
from bot.services import trainings, trainings_notices
from bot.services import trainings_enroll as enroll
from bot.services.trainings_notices import claim_due, reminder_times, settle
from models import Role, Status
from models.member import Member
from models.training import NoticeKind, NoticeStatus, TrainingNotice
from tests.support.clock import START
from tests.support.members import make_member
from tests.support.trainings import WIB, at, draft, make_training


@pytest.mark.parametrize(
    ("starts", "now", "expected"),
    [
        (at(5, 9), START, [(NoticeKind.REMINDER_EVE, at(4, 18)),
                           (NoticeKind.REMINDER_SOON, at(5, 7))]),
        (at(5, 9), at(4, 19), [(NoticeKind.REMINDER_SOON, at(5, 7))]),
        (at(5, 0, 30), START, [(NoticeKind.REMINDER_EVE, at(4, 18)),
                               (NoticeKind.REMINDER_SOON, at(4, 22, 30))]),
        (at(5, 9), at(5, 8), []),
    ],
)
def test_reminder_times(starts, now, expected) -> None:  # type: ignore[no-untyped-def]
    assert reminder_times(starts, now, WIB) == expected


async def _statuses(sessionmaker: SessionMaker) -> dict[str, str]:
    async with sessionmaker() as session:
        rows = await session.execute(select(TrainingNotice.kind, TrainingNotice.status))
        return {kind: status for kind, status in rows}


async def test_each_reminder_is_claimed_exactly_once(seeded: SessionMaker) -> None:
    training = await make_training(seeded)
    member = await make_member(seeded, 601)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    assert await claim_due(seeded, at(4, 17, 59)) == []
    claims = await asyncio.gather(*(claim_due(seeded, at(4, 18)) for _ in range(4)))
    claimed = [due for batch in claims for due in batch]
    assert [(d.kind, d.chat_id, d.language) for d in claimed] == [
        (NoticeKind.REMINDER_EVE, 601, "id")]
    assert claimed[0].desa_name == "Kungkai"
    assert await claim_due(seeded, at(4, 23)) == []
    soon = await claim_due(seeded, at(5, 7))
    assert [d.kind for d in soon] == [NoticeKind.REMINDER_SOON]
    assert await claim_due(seeded, at(5, 8)) == []
    assert set((await _statuses(seeded)).values()) == {NoticeStatus.SENT}


async def test_no_reminder_after_withdrawal(seeded: SessionMaker) -> None:
    training = await make_training(seeded)
    member = await make_member(seeded, 601)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    await enroll.withdraw(seeded, training.id, member.id, at(3, 9))
    assert await claim_due(seeded, at(5, 8)) == []
    assert set((await _statuses(seeded)).values()) == {NoticeStatus.SKIPPED}


async def test_a_reminder_whose_reason_vanished_is_skipped_when_due(
    seeded: SessionMaker
) -> None:
    """Even if a row escaped the clean-up, the sender re-checks the enrollment."""
    training = await make_training(seeded)
    member = await make_member(seeded, 601)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    async with seeded() as session, session.begin():
        from models.training import Enrollment

        await session.execute(update(Enrollment).values(status="cancelled"))
    assert await claim_due(seeded, at(5, 8)) == []
    assert set((await _statuses(seeded)).values()) == {NoticeStatus.SKIPPED}


async def test_no_reminder_after_cancellation_only_the_cancel_notice(
    seeded: SessionMaker
) -> None:
    owner = await make_member(seeded, 501, "Bu Rina", role=Role.FACILITATOR)
    training = await make_training(seeded, created_by=owner.id)
    member = await make_member(seeded, 601)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    await trainings.cancel_training(seeded, training.id, at(3, 9), actor=owner,
                                    expected_version=1)
    claimed = await claim_due(seeded, at(5, 8))
    assert [d.kind for d in claimed] == [NoticeKind.CANCELLED]


async def test_an_evening_reminder_found_too_late_is_dropped(seeded: SessionMaker) -> None:
    """The bot was down all evening: no "tomorrow" message at two in the morning."""
    training = await make_training(seeded)
    member = await make_member(seeded, 601)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    claimed = await claim_due(seeded, at(5, 2))
    assert claimed == []
    assert (await _statuses(seeded))[NoticeKind.REMINDER_EVE] == NoticeStatus.SKIPPED


async def test_unreachable_members_fail_without_sending(seeded: SessionMaker) -> None:
    training = await make_training(seeded)
    member = await make_member(seeded, 601)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    async with seeded() as session, session.begin():
        await session.execute(update(Member).values(status=Status.BLOCKED))
    assert await claim_due(seeded, at(4, 18)) == []
    assert (await _statuses(seeded))[NoticeKind.REMINDER_EVE] == NoticeStatus.FAILED


async def test_a_time_change_moves_the_reminders_and_tells_once(seeded: SessionMaker) -> None:
    owner = await make_member(seeded, 501, "Bu Rina", role=Role.FACILITATOR)
    training = await make_training(seeded, created_by=owner.id)
    member = await make_member(seeded, 601)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    moved = draft(starts_at=at(6, 13), ends_at=at(6, 16))
    await trainings.update_training(seeded, training.id, moved, START, actor=owner,
                                    expected_version=1, tz=WIB)
    await trainings.update_training(seeded, training.id, draft(
        starts_at=at(6, 13), ends_at=at(6, 16), venue="Aula Kantor Camat Bangko"),
        START, actor=owner, expected_version=2, tz=WIB)
    changed = await claim_due(seeded, START)
    assert [(d.kind, d.details) for d in changed] == [
        (NoticeKind.CHANGED, {"time": True, "place": True})]
    assert await claim_due(seeded, at(4, 18)) == []
    assert [d.kind for d in await claim_due(seeded, at(5, 18))] == [NoticeKind.REMINDER_EVE]
    assert [d.kind for d in await claim_due(seeded, at(6, 11))] == [NoticeKind.REMINDER_SOON]


async def test_failed_sends_retry_a_few_times_then_give_up(seeded: SessionMaker) -> None:
    training = await make_training(seeded)
    member = await make_member(seeded, 601)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    now = at(5, 7)
    await claim_due(seeded, at(4, 18))
    for attempt in range(1, trainings_notices.MAX_ATTEMPTS + 1):
        (due,) = await claim_due(seeded, now)
        assert due.kind == NoticeKind.REMINDER_SOON
        await settle(seeded, now, retry=[due.notice_id], failed=[])
        now += trainings_notices.RETRY_AFTER * attempt
        if attempt == trainings_notices.MAX_ATTEMPTS:
            assert await claim_due(seeded, now) == []
    assert (await _statuses(seeded))[NoticeKind.REMINDER_SOON] == NoticeStatus.FAILED
