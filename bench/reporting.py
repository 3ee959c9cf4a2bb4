"""Reporting at programme scale: /statistik and the Excel report over 50,000 members.

- `programme_statistics` for the whole kabupaten and for its largest kecamatan, p50/p95 over
  RUNS calls, against a plain `SELECT count(*) FROM members` round trip in the same run, so the
  figure reads as "N x a trivial query"; and the PNG of `summary_chart`;
- `export_report` (the /ekspor workbook) for a whole-year period, the whole kabupaten with
  contacts and one kecamatan: wall time and rows written per second, then the same export again
  under tracemalloc for the peak Python heap (openpyxl writes through pure-Python et_xmlfile
  here, so the heap is nearly all it allocates); tracing slows that second run, so it is not
  the timed one.

Members live in every desa, registered over the last 12 weeks; trainings run from 12 weeks ago
to 4 weeks ahead with enrollments, attendance and ratings; price reports, tips read and
broadcasts with deliveries fill the rest. Wall times are for a machine that may be shared; the
cpu column is this process's CPU per call (with SQLite it includes the database's own work).

    .venv/bin/python bench/reporting.py [--members 50000] [--trainings 2000] [--broadcasts 20]
                                        [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.i18n import Translator
from bot.services.report_workbook import export_report
from bot.services.scope import EVERYTHING
from bot.services.statistics import Statistics, programme_statistics
from bot.services.statistics_chart import summary_chart
from bot.setup import prepare_database
from models import Group, Member, Region, RegionLevel, member_groups
from models.broadcast import Broadcast, Delivery
from models.price import Commodity, PlaceKind, Price, PricePoint
from models.tip import Tip, TipCategory, TipText, TipView
from models.training import Enrollment, Training

sys.path.insert(0, str(Path(__file__).parent))
from updates import database  # the shared bench helper

WIB = ZoneInfo("Asia/Jakarta")
RUNS = 20
CHARTS = 10
CHUNK = 5000
PRICE_REPORTS = 5000
TIPS = 20
DAY = 86_400


async def bulk(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(table), rows[start:start + CHUNK])


def pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def some(rng: random.Random, items: list[int], *weights: int) -> list[int]:
    """0, 1, 2… of `items`, as many as drawn with `weights`."""
    return rng.sample(items, rng.choices(range(len(weights)), weights)[0])


async def populate(sessionmaker: SessionMaker, members: int, trainings: int, broadcasts: int,
                   now: datetime) -> tuple[str, Counter[str]]:
    """Everything the statistics and the report read; returns the kecamatan with most members
    and the row counts stored."""
    rng, stored = random.Random(7), Counter[str]()
    async with sessionmaker() as session, session.begin():
        desa = dict((await session.execute(select(Region.code, Region.parent_code).where(
            Region.level.in_([RegionLevel.DESA, RegionLevel.KELURAHAN])))).all())
        groups = list(await session.scalars(select(Group.id)))
        places = list((await session.execute(select(PricePoint.id, PricePoint.kind).where(
            PricePoint.kind.in_([PlaceKind.MARKET, PlaceKind.FARM_GATE])))).all())
        commodities = list(await session.scalars(select(Commodity.id)))
        categories = list(await session.scalars(select(TipCategory.code)))
        codes = list(desa)
        rows = [{"channel": "telegram", "external_id": str(900_000 + i), "chat_id": 900_000 + i,
                 "full_name": f"Warga {i}", "desa_code": rng.choice(codes),
                 "language": "id" if rng.random() < 0.92 else "en",
                 "phone": f"08{rng.randrange(10**9, 10**10)}" if rng.random() < 0.8 else None,
                 "role": "facilitator" if i % 1000 == 0 else "member",
                 "status": pick(rng, {"active": 90, "stopped": 5, "blocked": 3, "deleted": 2}),
                 "consent_version": "2026-01", "consent_at": (joined := now - timedelta(
                     seconds=rng.uniform(0, 84 * DAY))), "created_at": joined}
                for i in range(members)]
        await bulk(session, Member, rows)
        people = (await session.execute(select(Member.id, Member.desa_code))).all()
        by_kecamatan: dict[str, list[int]] = defaultdict(list)
        for member_id, code in people:
            by_kecamatan[desa[code]].append(member_id)
        ids = [member_id for member_id, _ in people]
        await bulk(session, member_groups, [
            {"member_id": m, "group_id": g} for m in ids
            for g in some(rng, groups, 15, 50, 25, 10)])
        await bulk(session, Training, [{
            "title": f"Pelatihan {i}", "category": "budidaya", "description": "Uji beban.",
            "desa_code": (code := rng.choice(codes)), "kecamatan_code": desa[code],
            "venue": f"Balai Desa {i}", "starts_at": (start := (now + timedelta(
                days=rng.randint(-84, 28))).replace(hour=2, minute=0, second=0, microsecond=0)),
            "ends_at": start + timedelta(hours=3), "capacity": rng.randint(15, 50),
            "target_groups": [], "organizer": "Dinas Pertanian", "organizer_kind": "pemda",
            "status": "cancelled" if rng.random() < 0.05 else "published",
            "created_at": now, "updated_at": now} for i in range(trainings)])
        enrollments = []
        for training_id, kecamatan, capacity, ends in await session.execute(select(
                Training.id, Training.kecamatan_code, Training.capacity, Training.ends_at)):
            local = by_kecamatan[kecamatan]
            seats = min(len(local), int(capacity * rng.uniform(.5, 1.1)))
            for member_id in rng.sample(local, seats):
                came = ends < now and rng.random() < 0.7
                enrollments.append({
                    "training_id": training_id, "member_id": member_id,
                    "status": pick(rng, {"enrolled": 88, "cancelled": 7, "waitlisted": 5}),
                    "queued_at": ends - timedelta(days=7), "created_at": ends, "updated_at": ends,
                    "attended_at": ends - timedelta(hours=2) if came else None,
                    "rating": rng.choice((3, 4, 4, 5, 5)) if came and rng.random() < .6 else None})
        await bulk(session, Enrollment, enrollments)
        series, prices = set(), []
        while len(prices) < PRICE_REPORTS:
            place, kind = rng.choice(places)
            day = (now - timedelta(days=rng.randint(0, 83))).date()
            level = "produsen" if kind == PlaceKind.FARM_GATE else rng.choice(("grosir", "eceran"))
            citizen = rng.random() < 0.6
            key = (commodity := rng.choice(commodities), place, level, day)
            if not citizen and key in series:
                continue
            series.add(key)
            prices.append({
                "commodity_id": commodity, "place_id": place, "level": level, "quality": "",
                "value": Decimal(rng.randrange(5000, 90000, 50)), "unit": "kg",
                "observed_on": day, "source": "laporan", "origin": "citizen" if citizen
                else "staff", "reported_by": rng.choice(ids), "status": pick(rng, {
                    "published": 70, "pending": 20, "rejected": 10}) if citizen else "published",
                "created_at": datetime(day.year, day.month, day.day, 3, tzinfo=UTC),
                "updated_at": now})
        await bulk(session, Price, prices)
        await bulk(session, Tip, [{"key": f"tip-{i}", "category": rng.choice(categories),
                                   "published": True, "published_at": now, "created_at": now,
                                   "updated_at": now} for i in range(TIPS)])
        tips = list(await session.scalars(select(Tip.id)))
        await bulk(session, TipText, [{"tip_id": t, "language": "id", "title": f"Kiat {t}",
                                       "body": "Isi kiat."} for t in tips])
        views = [{"member_id": m, "tip_id": t, "opens": rng.randint(1, 4), "first_opened_at": now}
                 for m in ids for t in some(rng, tips, 40, 30, 20, 10)]
        await bulk(session, TipView, views)
        deliveries = []
        for i in range(broadcasts):
            started = now - timedelta(days=1 + i * 83 / max(broadcasts, 1))
            everyone = i % 4 == 0
            kecamatan = rng.choice(list(by_kecamatan))
            broadcast = (await session.execute(insert(Broadcast).returning(Broadcast.id), {
                "sender_id": ids[0], "text": f"<b>Siaran {i}</b> untuk anggota.",
                "audience": {} if everyone else {"kecamatan": [kecamatan]}, "status": "done",
                "scheduled_at": started, "created_at": started, "started_at": started,
                "prepared_at": started, "finished_at": started + timedelta(hours=1)})).scalar()
            for member_id in ids if everyone else by_kecamatan[kecamatan]:
                deliveries.append({
                    "broadcast_id": broadcast, "member_id": member_id, "next_attempt_at": started,
                    "status": pick(rng, {"sent": 92, "failed": 3, "skipped": 5})})
        await bulk(session, Delivery, deliveries)
    async with sessionmaker() as session, session.begin():
        await session.execute(text("ANALYZE"))
    stored.update(members=len(rows), trainings=trainings, enrollments=len(enrollments),
                  prices=len(prices), tip_views=len(views), broadcasts=broadcasts,
                  deliveries=len(deliveries))
    largest = max(by_kecamatan, key=lambda k: len(by_kecamatan[k]))
    return largest, stored


async def timed(call: Callable[[], Awaitable[object]], runs: int) -> tuple[list[float], float]:
    """Wall milliseconds per call (after one warm-up call) and mean CPU milliseconds."""
    await call()
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        await call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return wall, statistics.mean(cpu)


def line(label: str, wall: list[float], cpu: float, baseline: float | None = None) -> str:
    q = statistics.quantiles(wall, n=100)
    ratio = f"{q[49] / baseline:7.0f}x" if baseline else ""
    return f"  {label:<34}{q[49]:9.1f}{q[94]:9.1f}{cpu:9.1f}{ratio:>12}"


async def measure_statistics(sessionmaker: SessionMaker, kecamatan: str, now: datetime) -> None:
    tr = Translator("id", WIB)

    async def count() -> None:
        async with sessionmaker() as session:
            await session.scalar(text("SELECT count(*) FROM members"))

    def figures(area: str | None) -> Callable[[], Awaitable[Statistics]]:
        return lambda: programme_statistics(sessionmaker, EVERYTHING, area, now=now, tz=WIB)

    print(f"  {'(ms)':<34}{'p50':>9}{'p95':>9}{'cpu':>9}{'x count(*)':>12}")
    wall, cpu = await timed(count, RUNS)
    base = statistics.median(wall)
    print(line("SELECT count(*) FROM members", wall, cpu))
    for label, area in (("programme_statistics kabupaten", None),
                        (f"programme_statistics {kecamatan}", kecamatan)):
        print(line(label, *await timed(figures(area), RUNS), base))
    for label, area in (("summary_chart kabupaten", None), (f"summary_chart {kecamatan}",
                                                           kecamatan)):
        stats = await figures(area)()
        png = b""

        async def chart(stats: Statistics = stats) -> None:
            nonlocal png
            png = await summary_chart(stats, tr)

        wall, cpu = await timed(chart, CHARTS)
        print(line(label, wall, cpu) + f"   {len(stats.members.areas)} bars, "
              f"{len(png) / 1024:.0f} KB")


async def measure_report(sessionmaker: SessionMaker, kecamatan: str, now: datetime) -> None:
    today = now.astimezone(WIB).date()
    print(f"  {'whole year ' + str(today - timedelta(days=365)) + ' .. ' + str(today):<34}"
          f"{'seconds':>9}{'rows':>9}{'rows/s':>9}{'peak heap':>12}{'file':>9}")
    for label, area, contacts in (("kabupaten, with contacts", None, True),
                                  (f"kecamatan {kecamatan}", kecamatan, False)):
        async def export(out: io.BytesIO, area: str | None = area,
                         contacts: bool = contacts) -> int:
            result = await export_report(sessionmaker, start=today - timedelta(days=365),
                                         end=today, actor=None, kecamatan=area,
                                         contacts=contacts, now=now, tz=WIB, out=out)
            return sum(result.counts.values())

        out = io.BytesIO()
        started = time.perf_counter()
        written = await export(out)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        await export(io.BytesIO())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {label:<34}{seconds:9.2f}{written:9,}{written / seconds:9,.0f}"
              f"{peak / 2**20:9.0f} MB{len(out.getvalue()) / 2**20:6.1f} MB")


async def main(members: int, trainings: int, broadcasts: int, kind: str) -> None:
    logging.basicConfig(level=logging.WARNING)
    async with database(kind) as url:
        await prepare_database(Settings(database={"url": url}))
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        now = datetime.now(UTC)
        print(f"reporting bench, database {kind}, load average {os.getloadavg()[0]:.2f}")
        started = time.perf_counter()
        kecamatan, stored = await populate(sessionmaker, members, trainings, broadcasts, now)
        print(f"  built in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{count:,} {name}" for name, count in stored.items()))
        await measure_statistics(sessionmaker, kecamatan, now)
        await measure_report(sessionmaker, kecamatan, now)
        print(f"  load average at the end {os.getloadavg()[0]:.2f} (2 cores)")
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--trainings", type=int, default=2_000)
    parser.add_argument("--broadcasts", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.trainings, arguments.broadcasts,
                     arguments.database))
