"""Seats: capacity holds under concurrency, the waitlist is served in order, offers expire."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services import trainings_enroll as enroll
from bot.services.trainings_enroll import Outcome
from models import Member
from models.training import (
    HOLDS_SEAT,
    Enrollment,
    EnrollmentStatus,
    NoticeKind,
    NoticeStatus,
    Training,
    TrainingNotice,
)
from tests.support.clock import START
from tests.support.members import make_member
from tests.support.trainings import WIB, at, make_training


async def _members(sessionmaker: SessionMaker, count: int, first: int = 700) -> list[Member]:
    return [await make_member(sessionmaker, first + i, f"Anggota {i}") for i in range(count)]


async def _seats_add_up(sessionmaker: SessionMaker, training_id: int) -> int:
    """The counter always equals the enrolled and offered rows: returns it."""
    async with sessionmaker() as session:
        training = await session.get(Training, training_id)
        holders = await session.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.training_id == training_id, Enrollment.status.in_(HOLDS_SEAT)))
    assert training is not None
    assert training.seats_taken == holders
    return holders


async def _status(sessionmaker: SessionMaker, training_id: int, member_id: int) -> str | None:
    found = await enroll.holding(sessionmaker, training_id, member_id)
    return found.status if found else None


async def _pending(sessionmaker: SessionMaker, kind: NoticeKind) -> list[int]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(TrainingNotice.member_id).where(
            TrainingNotice.kind == kind, TrainingNotice.status == NoticeStatus.PENDING)
            .order_by(TrainingNotice.id)))


async def test_two_members_tap_the_last_seat_at_once(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=1)
    first, second = await _members(seeded, 2)
    results = await asyncio.gather(
        enroll.enroll(seeded, training.id, first.id, START, tz=WIB, version=1),
        enroll.enroll(seeded, training.id, second.id, START, tz=WIB, version=1),
    )
    assert sorted(r.outcome for r in results) == [Outcome.ENROLLED, Outcome.FULL]
    loser = second if results[1].outcome == Outcome.FULL else first
    assert results[0 if loser is first else 1].position == 0  # nobody waits yet
    queued = await enroll.enroll(seeded, training.id, loser.id, START, tz=WIB, waitlist=True)
    assert (queued.outcome, queued.position) == (Outcome.WAITLISTED, 1)
    assert await _seats_add_up(seeded, training.id) == 1


async def test_a_crowd_never_overfills(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=5)
    crowd = await _members(seeded, 16)
    results = await asyncio.gather(*(
        enroll.enroll(seeded, training.id, m.id, START, tz=WIB, waitlist=True) for m in crowd))
    outcomes = [r.outcome for r in results]
    assert outcomes.count(Outcome.ENROLLED) == 5
    assert outcomes.count(Outcome.WAITLISTED) == 11
    assert sorted(r.position for r in results if r.position) == list(range(1, 12))
    assert await _seats_add_up(seeded, training.id) == 5


async def test_the_same_member_twice_at_once_gets_one_seat(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=3)
    (member,) = await _members(seeded, 1)
    results = await asyncio.gather(*(
        enroll.enroll(seeded, training.id, member.id, START, tz=WIB) for _ in range(3)))
    assert sorted(r.outcome for r in results) == [
        Outcome.ALREADY_ENROLLED, Outcome.ALREADY_ENROLLED, Outcome.ENROLLED]
    assert await _seats_add_up(seeded, training.id) == 1


async def test_enrolling_schedules_two_reminders(seeded: SessionMaker) -> None:
    training = await make_training(seeded)
    (member,) = await _members(seeded, 1)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    async with seeded() as session:
        due = list(await session.execute(select(TrainingNotice.kind, TrainingNotice.due_at)
                                         .order_by(TrainingNotice.due_at)))
    assert [tuple(row) for row in due] == [
        (NoticeKind.REMINDER_EVE, at(4, 18)), (NoticeKind.REMINDER_SOON, at(5, 7))]


async def test_refusals(seeded: SessionMaker) -> None:
    (member,) = await _members(seeded, 1)
    training = await make_training(seeded)
    assert (await enroll.enroll(seeded, 999, member.id, START, tz=WIB)).outcome == Outcome.GONE
    stale = await enroll.enroll(seeded, training.id, member.id, START, tz=WIB, version=7)
    assert stale.outcome == Outcome.STALE
    started = await enroll.enroll(seeded, training.id, member.id, at(5, 9), tz=WIB)
    assert started.outcome == Outcome.CLOSED
    past = await enroll.enroll(seeded, training.id, member.id, at(6, 9), tz=WIB)
    assert past.outcome == Outcome.CLOSED
    assert await _status(seeded, training.id, member.id) is None
    assert await _seats_add_up(seeded, training.id) == 0


async def test_a_withdrawn_seat_is_offered_in_queue_order(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=1)
    holder, first, second = await _members(seeded, 3)
    await enroll.enroll(seeded, training.id, holder.id, START, tz=WIB)
    for minutes, member in ((1, first), (2, second)):
        now = START + timedelta(minutes=minutes)
        await enroll.enroll(seeded, training.id, member.id, now, tz=WIB, waitlist=True)
    already = await enroll.enroll(seeded, training.id, second.id, START, tz=WIB, waitlist=True)
    assert (already.outcome, already.position) == (Outcome.ALREADY_WAITLISTED, 2)

    gone = await enroll.withdraw(seeded, training.id, holder.id, START + timedelta(hours=1))
    assert (gone.outcome, gone.passed_to) == (Outcome.WITHDRAWN, (first.id,))
    offer = await enroll.holding(seeded, training.id, first.id)
    assert offer is not None and offer.status == EnrollmentStatus.OFFERED
    assert offer.offered_until == START + timedelta(hours=25)
    assert await _pending(seeded, NoticeKind.OFFER) == [first.id]
    # The withdrawn member's reminders will never go out.
    async with seeded() as session:
        assert await session.scalar(select(func.count()).select_from(TrainingNotice).where(
            TrainingNotice.member_id == holder.id,
            TrainingNotice.status == NoticeStatus.PENDING)) == 0
    assert await _seats_add_up(seeded, training.id) == 1

    taken = await enroll.accept_offer(seeded, training.id, first.id,
                                      START + timedelta(hours=2), tz=WIB)
    assert taken.outcome == Outcome.ENROLLED
    assert await _pending(seeded, NoticeKind.OFFER) == []
    assert await _status(seeded, training.id, second.id) == EnrollmentStatus.WAITLISTED


async def test_an_unanswered_offer_passes_to_the_next(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=1)
    holder, first, second = await _members(seeded, 3)
    await enroll.enroll(seeded, training.id, holder.id, START, tz=WIB)
    for member in (first, second):
        await enroll.enroll(seeded, training.id, member.id, START, tz=WIB, waitlist=True)
    await enroll.withdraw(seeded, training.id, holder.id, START)

    assert await enroll.expire_offers(seeded, START + timedelta(hours=23)) == []
    offered = await enroll.expire_offers(seeded, START + timedelta(hours=24))
    assert offered == [second.id]
    assert await _status(seeded, training.id, first.id) == EnrollmentStatus.EXPIRED
    assert await _pending(seeded, NoticeKind.OFFER_EXPIRED) == [first.id]
    late = await enroll.accept_offer(seeded, training.id, first.id,
                                     START + timedelta(hours=24, minutes=1), tz=WIB)
    assert late.outcome == Outcome.OFFER_EXPIRED
    # Nobody is left to ask: the seat returns to the open pool.
    assert await enroll.expire_offers(seeded, START + timedelta(hours=48)) == []
    assert await _seats_add_up(seeded, training.id) == 0


async def test_an_offer_never_outlives_the_start(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=1)
    holder, waiting = await _members(seeded, 2)
    await enroll.enroll(seeded, training.id, holder.id, START, tz=WIB)
    await enroll.enroll(seeded, training.id, waiting.id, START, tz=WIB, waitlist=True)
    await enroll.withdraw(seeded, training.id, holder.id, at(5, 1))
    offer = await enroll.holding(seeded, training.id, waiting.id)
    assert offer is not None and offer.offered_until == at(5, 9)


async def test_waitlisted_members_can_leave_the_queue(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=1)
    holder, waiting = await _members(seeded, 2)
    await enroll.enroll(seeded, training.id, holder.id, START, tz=WIB)
    await enroll.enroll(seeded, training.id, waiting.id, START, tz=WIB, waitlist=True)
    left = await enroll.withdraw(seeded, training.id, waiting.id, START)
    assert (left.outcome, left.passed_to) == (Outcome.WITHDRAWN, ())
    again = await enroll.withdraw(seeded, training.id, waiting.id, START)
    assert again.outcome == Outcome.NOT_ENROLLED
    assert await _seats_add_up(seeded, training.id) == 1


async def test_a_member_may_come_back_after_withdrawing(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=2)
    (member,) = await _members(seeded, 1)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    await enroll.withdraw(seeded, training.id, member.id, START)
    back = await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    assert back.outcome == Outcome.ENROLLED
    assert await _seats_add_up(seeded, training.id) == 1


async def test_tapping_enroll_while_holding_an_offer_takes_it(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=1)
    holder, waiting = await _members(seeded, 2)
    await enroll.enroll(seeded, training.id, holder.id, START, tz=WIB)
    await enroll.enroll(seeded, training.id, waiting.id, START, tz=WIB, waitlist=True)
    await enroll.withdraw(seeded, training.id, holder.id, START)
    taken = await enroll.enroll(seeded, training.id, waiting.id, START, tz=WIB)
    assert taken.outcome == Outcome.ENROLLED
    assert await _seats_add_up(seeded, training.id) == 1


async def test_concurrent_withdrawals_offer_each_seat_once(seeded: SessionMaker) -> None:
    training = await make_training(seeded, capacity=4)
    holders = await _members(seeded, 4)
    waiting = await _members(seeded, 6, first=800)
    for member in holders:
        await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    for i, member in enumerate(waiting):
        await enroll.enroll(seeded, training.id, member.id, START + timedelta(seconds=i),
                            tz=WIB, waitlist=True)
    results = await asyncio.gather(*(
        enroll.withdraw(seeded, training.id, m.id, START + timedelta(minutes=5))
        for m in holders))
    passed = sorted(p for r in results for p in r.passed_to)
    assert passed == sorted(m.id for m in waiting[:4])
    assert await _seats_add_up(seeded, training.id) == 4


async def test_raising_capacity_offers_the_new_seats(seeded: SessionMaker) -> None:
    from bot.services import trainings
    from models import Role
    from tests.support.trainings import draft

    owner = await make_member(seeded, 501, "Bu Rina", role=Role.FACILITATOR)
    training = await make_training(seeded, capacity=1, created_by=owner.id)
    holder, first, second = await _members(seeded, 3)
    await enroll.enroll(seeded, training.id, holder.id, START, tz=WIB)
    for member in (first, second):
        await enroll.enroll(seeded, training.id, member.id, START, tz=WIB, waitlist=True)
    await trainings.update_training(seeded, training.id, draft(capacity=2), START,
                                    actor=owner, expected_version=1, tz=WIB)
    assert await _status(seeded, training.id, first.id) == EnrollmentStatus.OFFERED
    assert await _status(seeded, training.id, second.id) == EnrollmentStatus.WAITLISTED
    assert await _seats_add_up(seeded, training.id) == 2


async def test_holdings_list_what_i_hold_with_my_place_in_line(seeded: SessionMaker) -> None:
    full = await make_training(seeded, capacity=1, title="Pelatihan Penuh")
    open_ = await make_training(seeded, title="Kerajinan Rotan", starts_at=at(4, 9),
                                ends_at=at(4, 12))
    other, me = await _members(seeded, 2)
    await enroll.enroll(seeded, full.id, other.id, START, tz=WIB)
    await enroll.enroll(seeded, full.id, me.id, START, tz=WIB, waitlist=True)
    await enroll.enroll(seeded, open_.id, me.id, START, tz=WIB)
    mine = await enroll.holdings(seeded, me.id, START)
    assert [(h.view.training.title, h.enrollment.status, h.position) for h in mine] == [
        ("Kerajinan Rotan", EnrollmentStatus.ENROLLED, None),
        ("Pelatihan Penuh", EnrollmentStatus.WAITLISTED, 1),
    ]
    assert await enroll.holdings(seeded, me.id, at(6, 9)) == []
