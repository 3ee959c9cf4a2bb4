"""Reporting at programme scale: /statistik and the Excel report over 50,000 members.

- `programme_statistics` for the kabupaten and its largest kecamatan, p50/p95 over RUNS calls,
  against a `SELECT count(*) FROM members` round trip in the same run ("N x a trivial query");
  and `summary_chart`'s PNG;
- `export_report` for a whole year, the kabupaten with contacts and one kecamatan: wall time,
  rows/s, how long the event loop was held meanwhile, and the peak Python heap (tracemalloc, in
  a second, untimed run: openpyxl writes through pure-Python et_xmlfile, so that is its memory).

Members registered over the last 12 weeks in every desa; trainings from 12 weeks ago to 4 weeks
ahead, with enrollments, attendance and ratings; price reports, tips read, broadcasts. "cpu" is
this process's CPU per call (with SQLite, the database's work too): the cost without waiting.

    .venv/bin/python bench/reporting.py [--members 50000] [--trainings 2000] [--broadcasts 20]
                                        [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import statistics
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from updates import database  # the shared bench helper (bench/ is on sys.path)

from bot.config import Settings
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.i18n import Translator
from bot.services.report_workbook import export_report
from bot.services.scope import EVERYTHING
from bot.services.statistics import programme_statistics
from bot.services.statistics_chart import summary_chart
from bot.setup import prepare_database
from models import Group, Member, Region, RegionLevel, member_groups
from models.broadcast import Broadcast, Delivery
from models.price import Commodity, PlaceKind, Price, PricePoint
from models.tip import Tip, TipCategory, TipText, TipView
from models.training import Enrollment, Training

WIB = ZoneInfo("Asia/Jakarta")
RUNS = 20
CHARTS = 10
CHUNK = 5000
PRICE_REPORTS = 5000


async def bulk(session: AsyncSession, table: Any, rows: list[dict[str, Any]],
               stored: Counter[str]) -> None:
    statement = insert(table)
    stored[statement.table.name] += len(rows)
    for start in range(0, len(rows), CHUNK):
        await session.execute(statement, rows[start:start + CHUNK])


def pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def some(rng: random.Random, items: list[int], *weights: int) -> list[int]:
    return rng.sample(items, rng.choices(range(len(weights)), weights)[0])


async def populate(sessionmaker: SessionMaker, members: int, trainings: int, broadcasts: int,
                   now: datetime) -> tuple[str, Counter[str]]:
    """Everything the statistics and the report read; returns the kecamatan with most members
    and the rows stored per table."""
    rng, stored = random.Random(7), Counter[str]()
    async with sessionmaker() as session, session.begin():
        desa = dict((await session.execute(select(Region.code, Region.parent_code).where(
            Region.level.in_([RegionLevel.DESA, RegionLevel.KELURAHAN])))).all())
        groups = list(await session.scalars(select(Group.id)))
        places = list((await session.execute(select(PricePoint.id, PricePoint.kind).where(
            PricePoint.kind.in_([PlaceKind.MARKET, PlaceKind.FARM_GATE])))).all())
        commodities = list(await session.scalars(select(Commodity.id)))
        categories = list(await session.scalars(select(TipCategory.code)))
        await bulk(session, Member, [
            {"channel": "telegram", "external_id": str(900_000 + i), "chat_id": 900_000 + i,
             "full_name": f"Warga {i}", "desa_code": rng.choice(list(desa)),
             "language": "id" if rng.random() < 0.92 else "en",
             "phone": f"08{rng.randrange(10**9, 10**10)}" if rng.random() < 0.8 else None,
             "role": "facilitator" if i % 1000 == 0 else "member",
             "status": pick(rng, {"active": 90, "stopped": 5, "blocked": 3, "deleted": 2}),
             "consent_version": "2026-01", "consent_at": (joined := now - timedelta(
                 days=rng.uniform(0, 84))), "created_at": joined}
            for i in range(members)], stored)
        people = (await session.execute(select(Member.id, Member.desa_code))).all()
        ids = [member_id for member_id, _ in people]
        by_kecamatan: dict[str, list[int]] = defaultdict(list)
        for member_id, code in people:
            by_kecamatan[desa[code]].append(member_id)
        await bulk(session, member_groups, [{"member_id": m, "group_id": g} for m in ids
                                            for g in some(rng, groups, 15, 50, 25, 10)], stored)
        await bulk(session, Training, [{
            "title": f"Pelatihan {i}", "category": "budidaya", "venue": f"Balai Desa {i}",
            "desa_code": (code := rng.choice(list(desa))), "kecamatan_code": desa[code],
            "starts_at": (start := (now + timedelta(days=rng.randint(-84, 28))).replace(
                hour=2, minute=0, second=0, microsecond=0)),
            "ends_at": start + timedelta(hours=3), "capacity": rng.randint(15, 50),
            "organizer": "Dinas Pertanian", "organizer_kind": "pemda",
            "status": "cancelled" if rng.random() < 0.05 else "published"}
            for i in range(trainings)], stored)
        enrollments = []
        for training_id, kecamatan, capacity, ends in await session.execute(select(
                Training.id, Training.kecamatan_code, Training.capacity, Training.ends_at)):
            local = by_kecamatan[kecamatan]
            for member_id in rng.sample(local, min(len(local), int(capacity * rng.uniform(
                    .5, 1.1)))):
                came = ends < now and rng.random() < 0.7
                enrollments.append({
                    "training_id": training_id, "member_id": member_id,
                    "status": pick(rng, {"enrolled": 88, "cancelled": 7, "waitlisted": 5}),
                    "queued_at": ends - timedelta(days=7), "created_at": ends, "updated_at": ends,
                    "attended_at": ends - timedelta(hours=2) if came else None,
                    "rating": rng.choice((3, 4, 4, 5, 5)) if came and rng.random() < .6 else None})
        await bulk(session, Enrollment, enrollments, stored)
        prices: dict[tuple[Any, ...], dict[str, Any]] = {}
        while len(prices) < PRICE_REPORTS:  # one staff report per series and day, as stored
            (place, kind), commodity = rng.choice(places), rng.choice(commodities)
            day, citizen = (now - timedelta(days=rng.randint(0, 83))).date(), rng.random() < .6
            level = "produsen" if kind == PlaceKind.FARM_GATE else rng.choice(("grosir", "eceran"))
            prices[(commodity, place, level, day, citizen and len(prices))] = {
                "commodity_id": commodity, "place_id": place, "level": level, "quality": "",
                "value": Decimal(rng.randrange(5000, 90000, 50)), "unit": "kg",
                "observed_on": day, "source": "laporan", "origin": "citizen" if citizen
                else "staff", "reported_by": rng.choice(ids), "status": pick(rng, {
                    "published": 70, "pending": 20, "rejected": 10}) if citizen else "published",
                "created_at": datetime(day.year, day.month, day.day, 3, tzinfo=UTC)}
        await bulk(session, Price, list(prices.values()), stored)
        await bulk(session, Tip, [{"key": f"tip-{i}", "category": rng.choice(categories),
                                   "published": True} for i in range(20)], stored)
        tips = list(await session.scalars(select(Tip.id)))
        await bulk(session, TipText, [{"tip_id": t, "language": "id", "title": f"Kiat {t}",
                                       "body": "Isi kiat."} for t in tips], stored)
        await bulk(session, TipView, [
            {"member_id": m, "tip_id": t, "opens": rng.randint(1, 4), "first_opened_at": now}
            for m in ids for t in some(rng, tips, 40, 30, 20, 10)], stored)
        moments = ("scheduled_at", "created_at", "started_at", "prepared_at", "finished_at")
        await bulk(session, Broadcast, [{  # one in four to everyone, the others to a kecamatan
            "sender_id": ids[0], "text": f"<b>Siaran {i}</b> untuk anggota.", "status": "done",
            "audience": {"kecamatan": [rng.choice(list(by_kecamatan))]} if i % 4 else {},
            **dict.fromkeys(moments, now - timedelta(days=1 + i * 83 / broadcasts))}
            for i in range(broadcasts)], stored)
        await bulk(session, Delivery, [
            {"broadcast_id": broadcast_id, "member_id": member_id, "next_attempt_at": started,
             "status": pick(rng, {"sent": 92, "failed": 3, "skipped": 5})}
            for broadcast_id, audience, started in await session.execute(
                select(Broadcast.id, Broadcast.audience, Broadcast.started_at))
            for member_id in (by_kecamatan[audience["kecamatan"][0]] if audience else ids)],
            stored)
    async with sessionmaker() as session, session.begin():
        await session.execute(text("ANALYZE"))
    return max(by_kecamatan, key=lambda k: len(by_kecamatan[k])), stored


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
    async def count() -> None:
        async with sessionmaker() as session:
            await session.scalar(text("SELECT count(*) FROM members"))

    print(f"  {'(ms)':<34}{'p50':>9}{'p95':>9}{'cpu':>9}{'x count(*)':>12}")
    wall, cpu = await timed(count, RUNS)
    print(line("SELECT count(*) FROM members", wall, cpu))
    for area in (None, kecamatan):
        figures = partial(programme_statistics, sessionmaker, EVERYTHING, area, now=now, tz=WIB)
        print(line(f"programme_statistics {area or 'kabupaten'}", *await timed(figures, RUNS),
                   statistics.median(wall)))
        chart = partial(summary_chart, stats := await figures(), Translator("id", WIB))
        print(line("  its summary_chart", *await timed(chart, CHARTS))
              + f"   {len(stats.members.areas)} bars, {len(await chart()) / 1024:.0f} KB")


async def stalls(stop: asyncio.Event) -> float:
    """The longest the event loop was held (ms): how long the bot's other chats would wait."""
    worst = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.005)
        worst = max(worst, time.perf_counter() - started - 0.005)
    return worst * 1000


async def measure_report(sessionmaker: SessionMaker, kecamatan: str, now: datetime) -> None:
    today = now.astimezone(WIB).date()
    print(f"  {f'report {today - timedelta(days=365)} .. {today}':<34}{'seconds':>9}{'rows':>9}"
          f"{'rows/s':>9}{'heap peak':>12}{'file':>9}{'loop held':>11}")
    for label, area, contacts in (("kabupaten, with contacts", None, True),
                                  (f"kecamatan {kecamatan}", kecamatan, False)):
        export = partial(export_report, sessionmaker, start=today - timedelta(days=365),
                         end=today, actor=None, kecamatan=area, contacts=contacts, now=now,
                         tz=WIB)
        out, stop = io.BytesIO(), asyncio.Event()
        probe = asyncio.create_task(stalls(stop))
        started = time.perf_counter()
        written = sum((await export(out=out)).counts.values())
        seconds = time.perf_counter() - started
        stop.set()
        held = await probe
        tracemalloc.start()
        await export(out=io.BytesIO())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {label:<34}{seconds:9.2f}{written:9,}{written / seconds:9,.0f}"
              f"{peak / 2**20:9.0f} MB{len(out.getvalue()) / 2**20:6.1f} MB{held:8.0f} ms")


async def main(members: int, trainings: int, broadcasts: int, kind: str) -> None:
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
    args = parser.parse_args()
    asyncio.run(main(args.members, args.trainings, args.broadcasts, args.database))
