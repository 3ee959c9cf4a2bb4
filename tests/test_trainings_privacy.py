"""UU PDP: a member's enrollments are in their export, and erasure frees what they held."""

from __future__ import annotations

from sqlalchemy import func, select

import bot.services.trainings_privacy  # noqa: F401 - registers the section, as the bot does
from bot.db import SessionMaker
from bot.services import privacy
from bot.services import trainings_attendance as attendance
from bot.services import trainings_enroll as enroll
from models import Role
from models.training import Enrollment, Training, TrainingNotice
from tests.support.clock import START
from tests.support.members import make_member
from tests.support.trainings import WIB, at, make_training


async def test_export_then_erase(seeded: SessionMaker) -> None:
    owner = await make_member(seeded, 900, "Bu Rina", role=Role.FACILITATOR)
    past = await make_training(seeded, created_by=owner.id, title="Kompos")
    upcoming = await make_training(seeded, capacity=1, title="Anyaman",
                                   starts_at=at(10, 9), ends_at=at(10, 12))
    siti = await make_member(seeded, 1001, "Siti")
    waiting = await make_member(seeded, 1002, "Rahmat")
    await enroll.enroll(seeded, past.id, siti.id, START, tz=WIB)
    await attendance.toggle(seeded, past.id, siti.id, owner, at(5, 9))
    await attendance.rate(seeded, past.id, siti.id, 5, at(5, 12))
    await attendance.add_comment(seeded, past.id, siti.id, "Bu Rina sabar sekali", at(5, 12))
    await enroll.enroll(seeded, upcoming.id, siti.id, START, tz=WIB)
    await enroll.enroll(seeded, upcoming.id, waiting.id, START, tz=WIB, waitlist=True)

    exported = await privacy.export_member(seeded, siti.id, at(6, 9))
    rows = exported["training_enrollments"]
    assert [(r["training"], r["status"], r["rating"]) for r in rows] == [
        ("Kompos", "enrolled", 5), ("Anyaman", "enrolled", None)]
    assert rows[0]["comment"] == "Bu Rina sabar sekali"
    assert rows[0]["attended_at"].startswith("2026-03-05T02:00")

    assert await privacy.erase_member(seeded, siti.id, at(6, 9))
    async with seeded() as session:
        kept = list(await session.scalars(select(Enrollment).where(
            Enrollment.member_id == siti.id).order_by(Enrollment.id)))
        assert [(e.status, e.rating, e.comment, e.attended) for e in kept] == [
            ("enrolled", 5, None, True), ("cancelled", None, None, False)]
        assert (await session.get(Training, upcoming.id)).seats_taken == 0  # type: ignore[union-attr]
        assert await session.scalar(select(func.count()).select_from(TrainingNotice).where(
            TrainingNotice.member_id == siti.id)) == 0
    # The freed seat goes to the waitlist at the job's next round.
    assert await enroll.expire_offers(seeded, at(6, 9)) == [waiting.id]
