"""Test data for the programme report: a month of a small programme in two kecamatan.

March 2026: members in Bangko and Muara Siau, a Bangko training with attendance, ratings and a
waitlist, a Muara Siau training, prices in both kecamatan and at the province, two broadcasts
with deliveries; plus things just outside the month, which the report must leave out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import update

from bot.db import SessionMaker
from bot.services import privacy, staff, trainings_attendance, trainings_enroll
from models import Member, Role
from models.broadcast import Broadcast, BroadcastStatus, Delivery, DeliveryStatus
from tests.support.members import make_member
from tests.support.prices import put_price
from tests.support.trainings import KUNGKAI, MUARA_SIAU, TIARO, WIB, at, make_training

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
AFTER_MARCH = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
"""10.00 WIB on 1 April: "now" for exports of March."""
PHONE_SITI = "+6281234567890"
PHONE_RAHMAT = "+6281298765432"


@dataclass(frozen=True, slots=True)
class Programme:
    admin: Member
    facilitator: Member
    limited: Member
    siti: Member
    rahmat: Member
    bangko_training: int
    siau_training: int


async def member(sessionmaker: SessionMaker, telegram_id: int, name: str,
                 registered: datetime, **details: Any) -> Member:
    found = await make_member(sessionmaker, telegram_id, name, **details)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Member).where(Member.id == found.id)
                              .values(created_at=registered))
    return found


async def fresh(sessionmaker: SessionMaker, member_id: int) -> Member:
    async with sessionmaker() as session:
        found = await session.get(Member, member_id)
        assert found is not None
        return found


async def _broadcast(sessionmaker: SessionMaker, sender: Member, started: datetime,
                     text: str, audience: dict[str, Any],
                     deliveries: list[tuple[Member, DeliveryStatus]]) -> None:
    async with sessionmaker() as session, session.begin():
        row = Broadcast(sender_id=sender.id, text=text, audience=audience,
                        status=BroadcastStatus.DONE, scheduled_at=started, created_at=started,
                        started_at=started, prepared_at=started, finished_at=started,
                        total=len(deliveries))
        session.add(row)
        await session.flush()
        session.add_all(Delivery(broadcast_id=row.id, member_id=m.id, status=status,
                                 next_attempt_at=started) for m, status in deliveries)


async def build_programme(sessionmaker: SessionMaker) -> Programme:
    before = datetime(2026, 2, 1, 3, 0, tzinfo=UTC)
    admin = await member(sessionmaker, 9001, "Pak Admin", before, role=Role.ADMIN,
                         desa_code=KUNGKAI)
    facilitator = await member(sessionmaker, 9002, "Bu Fasilitator", before,
                               role=Role.FACILITATOR, desa_code=KUNGKAI)
    limited = await member(sessionmaker, 9003, "Pak Terbatas", before, role=Role.FACILITATOR,
                           desa_code=TIARO)
    await staff.set_scope(sessionmaker, limited.id, MUARA_SIAU, None)
    siti = await member(sessionmaker, 5001, "Siti Aminah", datetime(2026, 2, 10, 2, 0, tzinfo=UTC),
                        desa_code=KUNGKAI, groups=("petani", "perempuan"), phone=PHONE_SITI)
    rahmat = await member(sessionmaker, 5002, "Rahmat", at(3, 10), desa_code=TIARO,
                          groups=("pemuda",), phone=PHONE_RAHMAT, language="en")
    await member(sessionmaker, 5005, "Kelompok Usaha =SUM(1;2)",
                 datetime(2026, 2, 15, 2, 0, tzinfo=UTC), desa_code=KUNGKAI)
    ana = await member(sessionmaker, 5003, "Ana Lestari", at(3, 11), desa_code=KUNGKAI)
    await member(sessionmaker, 5004, "Baru Daftar", at(5, 9, month=4), desa_code=KUNGKAI)

    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    sewing = await make_training(sessionmaker, start, facilitator.id, capacity=2)
    fish = await make_training(sessionmaker, start, limited.id, title="Budidaya Ikan Nila",
                               category="budidaya", desa_code=TIARO, venue="Balai Desa Tiaro",
                               starts_at=at(10, 14), ends_at=at(10, 17))
    await make_training(sessionmaker, start, facilitator.id, title="Pelatihan April",
                        starts_at=at(10, 9, month=4), ends_at=at(10, 12, month=4))
    for who in (siti, ana, rahmat):
        await trainings_enroll.enroll(sessionmaker, sewing.id, who.id, start, tz=WIB,
                                      waitlist=True)
    await trainings_enroll.enroll(sessionmaker, fish.id, rahmat.id, start, tz=WIB)
    for who, rating in ((siti, 4), (ana, 2)):
        await trainings_attendance.toggle(sessionmaker, sewing.id, who.id, admin, at(5, 9, 30))
        await trainings_attendance.rate(sessionmaker, sewing.id, who.id, rating, at(5, 13))
    await privacy.erase_member(sessionmaker, ana.id, at(20, 9))

    await put_price(sessionmaker, "karet", "kebun-15.02.02", 14000, date(2026, 3, 3),
                    quality="50")
    await put_price(sessionmaker, "cabai_merah", "pasar-muara-siau", 45000, date(2026, 3, 4),
                    level="eceran", quality="keriting")
    await put_price(sessionmaker, "tbs", "disbun-jambi", 3100, date(2026, 3, 5),
                    level="penetapan", quality="10-20")
    await put_price(sessionmaker, "karet", "kebun-15.02.02", 13500, date(2026, 2, 27),
                    quality="50")

    await _broadcast(sessionmaker, facilitator, at(6, 9), "Pelatihan menjahit <b>besok</b>", {},
                     [(siti, DeliveryStatus.SENT), (rahmat, DeliveryStatus.FAILED),
                      (admin, DeliveryStatus.SENT), (facilitator, DeliveryStatus.SKIPPED)])
    await _broadcast(sessionmaker, limited, at(7, 15), "Harga cabai naik",
                     {"kecamatan": [MUARA_SIAU], "groups": ["pemuda"]},
                     [(rahmat, DeliveryStatus.SENT)])
    await _broadcast(sessionmaker, admin, at(2, 9, month=4), "Bulan April", {},
                     [(siti, DeliveryStatus.SENT)])
    return Programme(await fresh(sessionmaker, admin.id), facilitator,
                     await fresh(sessionmaker, limited.id), siti, rahmat, sewing.id, fish.id)


def sheet_rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def records(sheet: Worksheet) -> list[dict[str, Any]]:
    """Data rows keyed by header."""
    header, *body = sheet_rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in body]


def open_book(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))
