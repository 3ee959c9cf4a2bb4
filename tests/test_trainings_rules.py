"""What a training must satisfy, and what publishing, editing and cancelling do."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services import trainings
from bot.services.trainings import TrainingGone, TrainingStale
from bot.services.trainings_rules import TrainingRejected
from models import Role
from models.training import NoticeKind, TrainingNotice, TrainingStatus
from tests.support.clock import START
from tests.support.members import make_member
from tests.support.trainings import BANGKO, KUNGKAI, TIARO, WIB, at, draft, make_training


def _fields(caught: pytest.ExceptionInfo[TrainingRejected]) -> set[str]:
    return {p.field for p in caught.value.problems}


async def test_publish_keeps_the_kecamatan_of_the_desa(seeded: SessionMaker) -> None:
    training = await make_training(seeded, title="  Menjahit Pakaian Dasar  ")
    assert training.kecamatan_code == BANGKO
    assert training.title == "Menjahit Pakaian Dasar"
    assert training.status == TrainingStatus.PUBLISHED
    assert (training.version, training.seats_taken, training.seats_left) == (1, 0, 20)
    view = await trainings.get_training(seeded, training.id)
    assert view is not None
    assert (view.desa_name, view.kecamatan_name) == ("Kungkai", "Bangko")
    assert view.training.starts_at == at(5, 9)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": at(1, 9), "ends_at": at(1, 12)}, "starts_at"),  # in the past
        ({"starts_at": START, "ends_at": at(2, 12)}, "starts_at"),  # starting right now
        ({"ends_at": at(5, 8)}, "ends_at"),  # end before start
        ({"ends_at": at(5, 9)}, "ends_at"),  # end equal to start
        ({"ends_at": at(5, 9, month=5)}, "ends_at"),  # two months long
        ({"starts_at": at(5, 9, month=6) + timedelta(days=365),
          "ends_at": at(5, 12, month=6) + timedelta(days=365)}, "starts_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"capacity": 10_001}, "capacity"),
        ({"category": "memasak"}, "category"),
        ({"title": "Ab"}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"venue": " "}, "venue"),
        ({"organizer": ""}, "organizer"),
        ({"organizer_kind": "koperasi"}, "organizer_kind"),
        ({"target_groups": ("petani", "nelayan")}, "target_groups"),
        ({"latitude": 95.0, "longitude": 102.0}, "location"),
        ({"latitude": -2.1, "longitude": None}, "location"),
        ({"latitude": float("nan"), "longitude": 102.0}, "location"),
        ({"description": "x" * 1001}, "description"),
        ({"accessibility": "x" * 301}, "accessibility"),
        ({"desa_code": "15.02.99.9999"}, "desa_code"),  # not in the region table
        ({"desa_code": BANGKO}, "desa_code"),  # a kecamatan, not a desa
    ],
)
async def test_bad_trainings_are_refused_and_nothing_is_stored(
    seeded: SessionMaker, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(TrainingRejected) as caught:
        await make_training(seeded, **changes)
    assert _fields(caught) == {field}
    assert await trainings.get_training(seeded, 1) is None


async def test_every_problem_is_reported_at_once(seeded: SessionMaker) -> None:
    with pytest.raises(TrainingRejected) as caught:
        await make_training(seeded, capacity=0, category="x", desa_code="nope")
    assert _fields(caught) == {"capacity", "category", "desa_code"}
    assert "between 1 and 10000" in str(caught.value)


async def test_capacity_bounds_are_inclusive(seeded: SessionMaker) -> None:
    assert (await make_training(seeded, capacity=1)).capacity == 1
    assert (await make_training(seeded, capacity=10_000)).capacity == 10_000


async def test_browse_nearest_first_in_the_kecamatan_then_everywhere(
    seeded: SessionMaker
) -> None:
    later = await make_training(seeded, title="Kerajinan Anyaman", category="kerajinan",
                                starts_at=at(9, 9), ends_at=at(9, 12))
    sooner = await make_training(seeded, title="Menjahit Tas", starts_at=at(4, 13),
                                 ends_at=at(4, 16))
    elsewhere = await make_training(seeded, title="Olah Kopi", category="olahan",
                                    desa_code=TIARO, starts_at=at(3, 8), ends_at=at(3, 11))
    await make_training(seeded, title="Sudah lewat", starts_at=START + timedelta(minutes=5),
                        ends_at=at(2, 12))
    now = START + timedelta(minutes=10)
    page = await trainings.browse(seeded, now, home_desa=KUNGKAI)
    assert [v.training.id for v in page.items] == [sooner.id, later.id]
    everywhere = await trainings.browse(seeded, now)
    assert [v.training.id for v in everywhere.items] == [elsewhere.id, sooner.id, later.id]
    crafts = await trainings.browse(seeded, now, category="kerajinan")
    assert [v.training.id for v in crafts.items] == [later.id]


async def test_browse_pages(seeded: SessionMaker) -> None:
    for day in range(3, 15):
        await make_training(seeded, starts_at=at(day, 9), ends_at=at(day, 12))
    first = await trainings.browse(seeded, START, page_size=5)
    last = await trainings.browse(seeded, START, page=7, page_size=5)
    assert (first.total, first.pages, len(first.items)) == (12, 3, 5)
    assert (last.page, len(last.items)) == (2, 2)
    assert last.items[-1].training.starts_at == at(14, 9)


async def test_a_facilitator_edits_only_their_own_and_never_stale(
    seeded: SessionMaker
) -> None:
    owner = await make_member(seeded, 501, "Bu Rina", role=Role.FACILITATOR)
    other = await make_member(seeded, 502, "Pak Joko", role=Role.FACILITATOR)
    admin = await make_member(seeded, 503, "Admin", role=Role.ADMIN)
    training = await make_training(seeded, created_by=owner.id)
    edited = replace(draft(), title="Menjahit Pakaian Anak")
    with pytest.raises(TrainingGone):
        await trainings.update_training(seeded, training.id, edited, START, actor=other,
                                        expected_version=1, tz=WIB)
    change = await trainings.update_training(seeded, training.id, edited, START, actor=owner,
                                             expected_version=1, tz=WIB)
    assert (change.training.version, change.moved, change.relocated) == (2, False, False)
    with pytest.raises(TrainingStale):
        await trainings.update_training(seeded, training.id, draft(), START, actor=admin,
                                        expected_version=1, tz=WIB)
    await trainings.update_training(seeded, training.id, draft(), START, actor=admin,
                                    expected_version=2, tz=WIB)


async def test_an_unchanged_save_bumps_nothing(seeded: SessionMaker) -> None:
    owner = await make_member(seeded, 501, "Bu Rina", role=Role.FACILITATOR)
    training = await make_training(seeded, created_by=owner.id)
    change = await trainings.update_training(seeded, training.id, draft(), START, actor=owner,
                                             expected_version=1, tz=WIB)
    assert change.training.version == 1


async def test_capacity_cannot_drop_below_the_seats_taken(seeded: SessionMaker) -> None:
    from bot.services import trainings_enroll as enroll

    owner = await make_member(seeded, 501, "Bu Rina", role=Role.FACILITATOR)
    training = await make_training(seeded, created_by=owner.id, capacity=3)
    for telegram_id in (601, 602):
        member = await make_member(seeded, telegram_id)
        await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    with pytest.raises(TrainingRejected) as caught:
        await trainings.update_training(seeded, training.id, draft(capacity=1), START,
                                        actor=owner, expected_version=1, tz=WIB)
    assert _fields(caught) == {"capacity"}


async def test_cancel_tells_everyone_once(seeded: SessionMaker) -> None:
    from bot.services import trainings_enroll as enroll

    owner = await make_member(seeded, 501, "Bu Rina", role=Role.FACILITATOR)
    member = await make_member(seeded, 601)
    training = await make_training(seeded, created_by=owner.id)
    await enroll.enroll(seeded, training.id, member.id, START, tz=WIB)
    change = await trainings.cancel_training(seeded, training.id, START, actor=owner,
                                             expected_version=1)
    assert (change.told, change.training.status, change.training.version) == (
        1, TrainingStatus.CANCELLED, 2)
    with pytest.raises(TrainingStale):
        await trainings.cancel_training(seeded, training.id, START, actor=owner,
                                        expected_version=1)
    with pytest.raises(TrainingGone):
        await trainings.cancel_training(seeded, training.id, START, actor=owner,
                                        expected_version=2)
    async with seeded() as session:
        kinds = list(await session.scalars(select(TrainingNotice.kind).where(
            TrainingNotice.status == "pending")))
        assert kinds == [NoticeKind.CANCELLED]
        assert await session.scalar(select(func.count()).select_from(TrainingNotice)) == 3


async def test_stats_count_seats_attendance_and_ratings(seeded: SessionMaker) -> None:
    training = await make_training(seeded)
    stats = await trainings.training_stats(seeded, training.id)
    assert stats == trainings.Stats(0, 0, 0, 0, 0, None)
