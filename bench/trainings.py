"""Trainings at scale: 50,000 members and 2,000 trainings; /jadwal latency and reminder rate.

- /jadwal as the handler builds it (member's kecamatan, the page query, enrollment marks, the
  cards and buttons), p50/p95/p99 over random members; the same again without the browse
  indexes, as the baseline they are measured against;
- /jadwal end to end: concurrent members send it through the local Bot API, time to the answer,
  against /bantuan (a reply with no query of its own) in the same run as the baseline;
- reminder sending: due reminder rows sent by the job at the configured 25 messages/s against a
  fake Bot API enforcing Telegram's limits (429s counted), then uncapped to show the pipeline's
  own throughput.

    .venv/bin/python bench/trainings.py [--members 50000] [--trainings 2000]
                                        [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text, update
from telegram.warnings import PTBUserWarning

from bot.app import PLACEHOLDER_TOKEN, build_application
from bot.config import Settings
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.jobs import trainings as job
from bot.playground.botapi import FakeBotApi, RateLimits
from bot.runtime import Runtime
from bot.setup import prepare_database
from handlers.trainings_browse import ANY, MINE, schedule_screen
from models import Member, Region, RegionLevel
from models.training import Category, Enrollment, NoticeKind, Training, TrainingNotice

sys.path.insert(0, str(Path(__file__).parent))
from updates import ReplyClock, database, running  # the shared bench helpers

WIB = ZoneInfo("Asia/Jakarta")
FIRST_ID = 800_000
SAMPLES = 1000
CONCURRENT_USERS = 200
CAPPED, UNCAPPED = 500, 2000
BROWSE_INDEXES = {
    "ix_trainings_browse_kecamatan": "trainings (status, kecamatan_code, starts_at)",
    "ix_trainings_browse": "trainings (status, starts_at)",
}


def quantiles(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100)
    return f"p50 {q[49]:6.2f} ms   p95 {q[94]:6.2f} ms   p99 {q[98]:6.2f} ms"


async def populate(sessionmaker: SessionMaker, members: int, trainings: int,
                   now: datetime) -> None:
    """Members spread over every desa, trainings over the next 90 days, one seat each."""
    rng = random.Random(5)
    async with sessionmaker() as session, session.begin():
        desa = list((await session.execute(select(Region.code, Region.parent_code).where(
            Region.level.in_([RegionLevel.DESA, RegionLevel.KELURAHAN])))).all())
        homes = [rng.choice(desa)[0] for _ in range(members)]
        for chunk in range(0, members, 5000):
            await session.execute(insert(Member), [
                {"channel": "telegram", "external_id": str(FIRST_ID + i), "chat_id": FIRST_ID + i,
                 "full_name": f"Warga {i}", "desa_code": homes[i], "language": "id",
                 "role": "member", "status": "active", "consent_version": "bench",
                 "consent_at": now, "created_at": now}
                for i in range(chunk, min(members, chunk + 5000))])
        rows = []
        for i in range(trainings):
            code, kecamatan = rng.choice(desa)
            day = now.astimezone(WIB).date() + timedelta(days=rng.randint(1, 90))
            starts = datetime(day.year, day.month, day.day, rng.choice((8, 9, 13)), tzinfo=WIB)
            rows.append({
                "title": f"Pelatihan {i}", "category": rng.choice(list(Category)).value,
                "description": "Pelatihan untuk uji beban.", "desa_code": code,
                "kecamatan_code": kecamatan, "venue": f"Balai Desa {i}", "starts_at": starts,
                "ends_at": starts + timedelta(hours=3), "capacity": rng.randint(20, 60),
                "seats_taken": 0, "target_groups": [], "organizer": "Dinas Pertanian",
                "organizer_kind": "pemda", "accessibility": "Lantai dasar.",
                "status": "cancelled" if rng.random() < 0.05 else "published", "version": 1,
                "created_at": now, "updated_at": now})
        await session.execute(insert(Training), rows)
        capacity = dict((await session.execute(select(Training.id, Training.capacity))).all())
        member_ids = list(await session.scalars(select(Member.id)))
        taken: dict[int, int] = {}
        enrollments, notices = [], []
        for member_id in member_ids:
            training_id = rng.choice(list(capacity))
            if taken.get(training_id, 0) >= capacity[training_id]:
                continue
            taken[training_id] = taken.get(training_id, 0) + 1
            enrollments.append({"training_id": training_id, "member_id": member_id,
                                "status": "enrolled", "queued_at": now, "created_at": now,
                                "updated_at": now})
            for kind in (NoticeKind.REMINDER_EVE, NoticeKind.REMINDER_SOON):
                notices.append({"training_id": training_id, "member_id": member_id,
                                "kind": kind.value, "due_at": now + timedelta(days=30),
                                "status": "pending", "attempts": 0, "details": {},
                                "created_at": now})
        for chunk in range(0, len(enrollments), 5000):
            await session.execute(insert(Enrollment), enrollments[chunk:chunk + 5000])
        for chunk in range(0, len(notices), 5000):
            await session.execute(insert(TrainingNotice), notices[chunk:chunk + 5000])
        for training_id, count in taken.items():
            await session.execute(update(Training).where(Training.id == training_id)
                                  .values(seats_taken=count))
    print(f"  stored {members:,} members, {trainings:,} trainings, "
          f"{len(enrollments):,} enrollments, {len(notices):,} reminder rows")


async def jadwal_screens(settings: Settings, sessionmaker: SessionMaker, members: int) -> str:
    """The /jadwal screen for random members, one after another: query plus rendering."""
    runtime = Runtime(settings=settings, sessionmaker=sessionmaker)
    tr = runtime.translator("id")
    rng = random.Random(11)
    ids = [FIRST_ID + rng.randrange(members) for _ in range(SAMPLES)]
    async with sessionmaker() as session:
        found = {m.external_id: m for m in await session.scalars(
            select(Member).where(Member.external_id.in_([str(i) for i in ids])))}
    latencies = []
    for telegram_id in ids:
        context: Any = SimpleNamespace(tr=tr, runtime=runtime, member=found[str(telegram_id)])
        started = time.perf_counter()
        text_, _markup = await schedule_screen(context, MINE, ANY, 0)
        latencies.append((time.perf_counter() - started) * 1000)
        assert "Jadwal pelatihan" in text_
    return quantiles(latencies)


async def without_browse_indexes(engine: Any, measure: Any) -> str:
    async with engine.begin() as conn:
        for name in BROWSE_INDEXES:
            await conn.execute(text(f"DROP INDEX {name}"))
    try:
        return await measure()
    finally:
        async with engine.begin() as conn:
            for name, columns in BROWSE_INDEXES.items():
                await conn.execute(text(f"CREATE INDEX {name} ON {columns}"))


async def end_to_end(settings: Settings, sessionmaker: SessionMaker, command: str) -> str:
    """`command` from many members at once through the local Bot API, until each is answered."""
    api = FakeBotApi(token=PLACEHOLDER_TOKEN, max_calls=1000)
    await api.start()
    application = build_application(settings, base_url=api.base_url,
                                    sessionmaker=sessionmaker, rate_limiter=False)
    clock = ReplyClock(api)
    sims = [api.user(FIRST_ID + i, f"Warga {i}") for i in range(CONCURRENT_USERS)]
    try:
        async with running(application):
            started = time.perf_counter()
            latencies = await asyncio.gather(*(
                clock.measure(sim, lambda u: u.send(command)) for sim in sims))
            seconds = time.perf_counter() - started
    finally:
        await api.stop()
    return (f"{quantiles(list(latencies))}   ({CONCURRENT_USERS} members at once, "
            f"{CONCURRENT_USERS / seconds:.0f} answers/s)")


async def reminders(settings: Settings, sessionmaker: SessionMaker, count: int,
                    rate: float, limits: RateLimits) -> str:
    """`count` reminders fall due now; the job sends them; messages per second and 429s."""
    now = datetime.now(UTC)
    async with sessionmaker() as session, session.begin():
        ids = list(await session.scalars(
            select(TrainingNotice.id).join(Training, Training.id == TrainingNotice.training_id)
            .where(TrainingNotice.status == "pending",
                   TrainingNotice.kind == NoticeKind.REMINDER_SOON,
                   Training.status == "published").limit(count)))
        await session.execute(update(TrainingNotice).where(TrainingNotice.id.in_(ids))
                              .values(due_at=now - timedelta(minutes=1)))
        chats = list(await session.scalars(
            select(Member.chat_id).join(TrainingNotice, TrainingNotice.member_id == Member.id)
            .where(TrainingNotice.id.in_(ids))))
    api = FakeBotApi(token=PLACEHOLDER_TOKEN, rate_limits=limits, max_calls=count + 100)
    await api.start()
    for chat_id in chats:
        api.user(chat_id, "Warga")
        state = api.chat_state(chat_id)
        assert state is not None
        state.started = True
    settings.broadcast.messages_per_second = rate
    application = build_application(settings, base_url=api.base_url, sessionmaker=sessionmaker,
                                     rate_limiter=False)
    await application.initialize()
    try:
        started = time.perf_counter()
        report = await job.run(application)
        seconds = time.perf_counter() - started
    finally:
        await application.shutdown()
        await api.stop()
    refused = sum(1 for call in api.calls if call.error_code == 429)
    return (f"{report.sent} sent in {seconds:5.1f} s = {report.sent / seconds:6.1f} messages/s, "
            f"{refused} refused with 429, {report.retried} retried")


async def main(members: int, trainings: int, kind: str) -> None:
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", category=PTBUserWarning)
    async with database(kind) as url:
        settings = Settings(database={"url": url})
        await prepare_database(settings)
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        print(f"trainings bench, database {kind}")
        now = datetime.now(UTC)
        await populate(sessionmaker, members, trainings, now)

        async def screens() -> str:
            return await jadwal_screens(settings, sessionmaker, members)

        print(f"/jadwal screen (query + render), {SAMPLES} members one by one")
        print(f"  with the browse indexes:    {await screens()}")
        print(f"  without them (baseline):    {await without_browse_indexes(engine, screens)}")
        print("through the local Bot API (bot and fake Telegram share this process)")
        print(f"  /jadwal:                    "
              f"{await end_to_end(settings, sessionmaker, '/jadwal')}")
        print(f"  /bantuan (static baseline): "
              f"{await end_to_end(settings, sessionmaker, '/bantuan')}")
        print("reminders sent by the job")
        print(f"  at 25/s, Telegram's limits enforced: "
              f"{await reminders(settings, sessionmaker, CAPPED, 25, RateLimits.telegram())}")
        print(f"  uncapped (pipeline throughput):      "
              f"{await reminders(settings, sessionmaker, UNCAPPED, 1000, RateLimits())}")
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--trainings", type=int, default=2_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.trainings, arguments.database))
