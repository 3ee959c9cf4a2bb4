"""Playground demo data for /statistik and /ekspor: a programme that has been running a while.

Two hundred demo members registered over the last twelve weeks across Merangin's kecamatan (more
near Bangko, as in a real roll-out), and three trainings held last month with attendance and
ratings. Like the trainings' demo participants they are on the `demo` channel: no message ever
goes to them. Loaded once; a second load finds them and does nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services.places import DESA_LEVELS
from models import Group, Member, Region, Role, Status
from models.training import Enrollment, EnrollmentStatus, Training, TrainingStatus

CONSENT = "demo"
MEMBERS = 200
WEEKS = 12
SEED = 2026
BANGKO = "15.02.02."
FIRST = ["Siti", "Nur", "Ahmad", "Dedi", "Yuli", "Rini", "Budi", "Sri", "Hendra", "Marlina",
         "Joko", "Fitri", "Agus", "Wati", "Ratna", "Eko", "Lina", "Samsul", "Nining", "Yusuf",
         "Rahmat", "Dewi", "Rudi", "Ani", "Putri", "Irwan", "Sulastri", "Zainal"]
LAST = ["Aminah", "Hidayat", "Saputra", "Lestari", "Susanti", "Harahap", "Siregar", "Nasution",
        "Wahyuni", "Pratama", "Rahmawati", "Syafitri", "Kurniawan", "Handayani"]
GROUPS = {"petani": 40, "perempuan": 25, "usaha": 10, "pemuda": 10, "migran": 10,
          "disabilitas": 5}
"""Relative weights: most members farm, many are in women's groups."""
HELD = [
    ("Sekolah Lapang Karet: Sadap Hemat Kulit", "budidaya", "15.02.02.2004", 18, "pemda",
     "Dinas Perkebunan dan Peternakan Kabupaten Merangin", ("petani",)),
    ("Menjahit Masker dan Seragam Sekolah", "menjahit", "15.02.02.1010", 11, "lsm",
     "Lembaga Pemberdayaan Perempuan Merangin", ("perempuan",)),
    ("Pupuk Organik Cair dari Limbah Dapur", "organik", "15.02.05.1005", 25, "pemda",
     "Dinas Pertanian Kabupaten Merangin (BPP Tabir)", ("petani", "perempuan")),
]


async def _desa(sessionmaker: SessionMaker) -> tuple[list[str], list[str]]:
    """Every desa, and Bangko's: a third of the members come from near the programme office."""
    async with sessionmaker() as session:
        codes = list(await session.scalars(
            select(Region.code).where(Region.level.in_(DESA_LEVELS)).order_by(Region.code)))
    return codes, [c for c in codes if c.startswith(BANGKO)]


async def load(sessionmaker: SessionMaker, now: datetime) -> None:
    async with sessionmaker() as session:
        if await session.scalar(select(func.count()).select_from(Member).where(
                Member.channel == "demo", Member.external_id.like("stat-%"))):
            return
    pick = random.Random(SEED)
    everywhere, near = await _desa(sessionmaker)
    async with sessionmaker() as session, session.begin():
        groups = {g.code: g for g in await session.scalars(select(Group))}
        people = []
        for n in range(MEMBERS):
            joined = now - timedelta(weeks=WEEKS * (1 - (n / MEMBERS) ** 0.7),
                                     hours=pick.randrange(0, 72))
            member = Member(
                channel="demo", external_id=f"stat-{n + 1}", chat_id=None,
                full_name=f"{pick.choice(FIRST)} {pick.choice(LAST)}",
                desa_code=pick.choice(near if n % 3 == 0 else everywhere),
                language="id" if n % 9 else "en",
                role=Role.MEMBER, status=Status.ACTIVE if n % 23 else Status.STOPPED,
                consent_version=CONSENT, consent_at=joined, created_at=joined,
                groups=[groups[code] for code in set(pick.choices(
                    list(GROUPS), weights=list(GROUPS.values()), k=pick.choice((1, 1, 2))))])
            people.append(member)
        session.add_all(people)
        await session.flush()
        for title, category, desa, days_ago, kind, organizer, target in HELD:
            starts = now - timedelta(days=days_ago, hours=5)
            training = Training(
                title=title, category=category, desa_code=desa,
                kecamatan_code=desa.rsplit(".", 1)[0], venue="Balai Desa", starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                capacity=25, target_groups=list(target), organizer=organizer,
                organizer_kind=kind, status=TrainingStatus.PUBLISHED, created_at=starts,
                updated_at=starts)
            session.add(training)
            await session.flush()
            came = pick.sample(people, 22)
            for i, member in enumerate(came):
                attended = i % 6 != 5
                session.add(Enrollment(
                    training_id=training.id, member_id=member.id,
                    status=EnrollmentStatus.ENROLLED, queued_at=starts - timedelta(days=3),
                    attended_at=starts if attended else None,
                    rating=pick.choice((4, 4, 5, 5, 5, 3)) if attended and i % 3 else None,
                    rated_at=starts + timedelta(hours=4) if attended and i % 3 else None,
                    created_at=starts - timedelta(days=3), updated_at=starts))
            training.seats_taken = len(came)
