"""A small programme in two kecamatan whose every figure is known, for the statistics tests.

The test clock reads Monday 2 March 2026, 08.00 WIB: this week and this month both started in
the last 32 hours, so members sit on either side of both boundaries (in WIB, not UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from bot.db import SessionMaker
from bot.services import prices
from models import Member, Role, Status
from models.broadcast import Broadcast, BroadcastStatus, Delivery, DeliveryStatus
from models.price import Level, Origin, Price, PriceStatus
from models.tip import Tip, TipText, TipView
from models.training import Enrollment, EnrollmentStatus, Training, TrainingStatus
from tests.support.clock import START
from tests.support.members import BANGKO_DESA, make_member
from tests.support.trainings import BANGKO, KUNGKAI, MUARA_SIAU, TIARO, at, make_training

__all__ = ["BANGKO", "MUARA_SIAU", "Programme", "build_programme", "set_joined"]


async def set_joined(sessionmaker: SessionMaker, member: Member, moment: datetime) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Member).where(Member.id == member.id)
                              .values(created_at=moment))


@dataclass
class Programme:
    ani: Member  # Bangko (Pasar Bangko), joined this week (00.30 WIB Monday: Sunday in UTC)
    budi: Member  # Bangko (Kungkai), joined this month but last week
    citra: Member  # Muara Siau, joined 28 Feb 23.30 WIB (1 March in UTC): not this month
    dedi: Member  # Bangko, stopped announcements: registered, not active
    staff: Member  # an admin in Bangko: never counted as a member
    training: Training  # held in Bangko on 25 Feb


async def _member(sessionmaker: SessionMaker, telegram_id: int, name: str, joined: datetime,
                  **details: Any) -> Member:
    member = await make_member(sessionmaker, telegram_id, name, **details)
    await set_joined(sessionmaker, member, joined)
    return member


async def build_programme(sessionmaker: SessionMaker, admin_id: int = 900) -> Programme:
    ani = await _member(sessionmaker, 1001, "Ani", at(2, 0, 30), desa_code=BANGKO_DESA,
                        groups=("petani", "perempuan"))
    budi = await _member(sessionmaker, 1002, "Budi", at(1, 10), desa_code=KUNGKAI,
                         groups=("petani",))
    citra = await _member(sessionmaker, 1003, "Citra", at(28, 23, 30, month=2),
                          desa_code=TIARO, groups=("pemuda",))
    dedi = await _member(sessionmaker, 1004, "Dedi", at(20, 9, month=1), desa_code=KUNGKAI,
                         status=Status.STOPPED)
    staff = await _member(sessionmaker, admin_id, "Bu Admin", at(5, 9, month=1),
                          desa_code=BANGKO_DESA, role=Role.ADMIN)
    programme = Programme(ani, budi, citra, dedi, staff,
                          await _trainings(sessionmaker, [ani, budi, dedi, citra]))
    await _prices(sessionmaker)
    await _broadcasts(sessionmaker, programme)
    await _tips(sessionmaker, programme)
    return programme


async def _trainings(sessionmaker: SessionMaker, people: list[Member]) -> Training:
    """Held in Bangko on 25 Feb: Ani (★5) and Budi (★4) came, Dedi did not, Citra waited.
    Not counted: a cancelled one, one too long ago, one still to come."""
    early = at(1, 8, month=1)
    held = await make_training(sessionmaker, now=early, starts_at=at(25, 9, month=2),
                               ends_at=at(25, 12, month=2), capacity=20)
    cancelled = await make_training(sessionmaker, now=early, desa_code=TIARO,
                                    starts_at=at(26, 9, month=2), ends_at=at(26, 12, month=2))
    old = await make_training(sessionmaker, now=early, desa_code=TIARO,
                              starts_at=at(20, 9, month=1), ends_at=at(20, 12, month=1))
    coming = await make_training(sessionmaker, now=early)
    ani, budi, dedi, citra = people
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Training).where(Training.id == cancelled.id)
                              .values(status=TrainingStatus.CANCELLED))
        rows = [(held, ani, EnrollmentStatus.ENROLLED, True, 5),
                (held, budi, EnrollmentStatus.ENROLLED, True, 4),
                (held, dedi, EnrollmentStatus.ENROLLED, False, None),
                (held, citra, EnrollmentStatus.WAITLISTED, False, None),
                (cancelled, citra, EnrollmentStatus.ENROLLED, True, 1),
                (old, citra, EnrollmentStatus.ENROLLED, True, 1),
                (coming, ani, EnrollmentStatus.ENROLLED, False, None)]
        session.add_all(Enrollment(
            training_id=training.id, member_id=member.id, status=status, queued_at=early,
            attended_at=training.starts_at if came else None, rating=rating)
            for training, member, status, came, rating in rows)
    return held


async def _prices(sessionmaker: SessionMaker) -> None:
    """This week: a facilitator's price in Bangko, a member's held report in Muara Siau.
    Not counted: an import, a rejected report, and last week's price."""
    catalogue = await prices.load_catalogue(sessionmaker)
    rubber = catalogue.by_code("karet")
    assert rubber is not None
    rows = [("kebun-15.02.02", Origin.STAFF, PriceStatus.PUBLISHED, START),
            ("kebun-15.02.03", Origin.CITIZEN, PriceStatus.PENDING, START),
            ("kebun-15.02.03", Origin.IMPORT, PriceStatus.PUBLISHED, START),
            ("kebun-15.02.02", Origin.CITIZEN, PriceStatus.REJECTED, START),
            ("kebun-15.02.02", Origin.STAFF, PriceStatus.PUBLISHED, START - timedelta(days=3))]
    async with sessionmaker() as session, session.begin():
        for day, (code, origin, status, created) in enumerate(rows):
            place = catalogue.place_by_code(code)
            assert place is not None
            session.add(Price(
                commodity_id=rubber.id, place_id=place.id, level=Level.PRODUSEN,
                value=Decimal(15000), unit="kg", observed_on=created.date() - timedelta(day),
                source="test", origin=origin, status=status, created_at=created,
                updated_at=created))


async def _broadcasts(sessionmaker: SessionMaker, programme: Programme) -> None:
    """This month's: Ani and Budi got it, Citra's failed, Dedi was skipped, the admin's copy
    was cancelled. February's broadcast does not count."""
    p = programme
    async with sessionmaker() as session, session.begin():
        for started, outcomes in (
            (START - timedelta(hours=2), [(p.ani, DeliveryStatus.SENT),
                                          (p.budi, DeliveryStatus.SENT),
                                          (p.citra, DeliveryStatus.FAILED),
                                          (p.dedi, DeliveryStatus.SKIPPED),
                                          (p.staff, DeliveryStatus.CANCELLED)]),
            (START - timedelta(days=10), [(p.ani, DeliveryStatus.SENT),
                                          (p.citra, DeliveryStatus.SENT)]),
        ):
            broadcast = Broadcast(sender_id=p.staff.id, text="Rapat", audience={},
                                  status=BroadcastStatus.DONE, scheduled_at=started,
                                  started_at=started, finished_at=started, total=len(outcomes))
            session.add(broadcast)
            await session.flush()
            session.add_all(Delivery(broadcast_id=broadcast.id, member_id=member.id,
                                     status=status, next_attempt_at=started)
                            for member, status in outcomes)


async def _tips(sessionmaker: SessionMaker, programme: Programme) -> None:
    """"Sadap karet" read by Ani, Budi and Citra; "Bokar bersih" by Citra only; "Pupuk" only
    rated by Ani, never opened."""
    p = programme
    readers = {"Sadap karet pagi hari": [(p.ani, 2), (p.budi, 1), (p.citra, 1)],
               "Bokar bersih <mutu>": [(p.citra, 4)],
               "Pupuk karet": [(p.ani, 0)]}
    async with sessionmaker() as session, session.begin():
        for index, (title, views) in enumerate(readers.items()):
            tip = Tip(key=f"stat-tip-{index}", category="karet", language="id",
                      published=True, published_at=START, created_at=START, updated_at=START,
                      texts=[TipText(language="id", title=title, body="Isi tip.")])
            session.add(tip)
            await session.flush()
            session.add_all(TipView(member_id=member.id, tip_id=tip.id, opens=opens,
                                    rating=1 if not opens else None)
                            for member, opens in views)
