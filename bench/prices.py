"""Market prices at scale: 1,000,000 stored prices, then what a member and an operator wait for.

- the /harga latest-price query (one commodity's overview: latest per place and level, week
  change, 30-day range, members' medians), p50/p95/p99 over random commodities;
  target p95 < 20 ms on SQLite and PostgreSQL; and the commodity list's ordering query;
- chart rendering (90 days, six lines), target < 300 ms, and a cached chart, target < 5 ms;
- `berdaya prices import` throughput in rows/s, first import and the idempotent second one.

SQLite runs in a file in a temporary directory; PostgreSQL in a throw-away database that is
created and dropped here.

    .venv/bin/python bench/prices.py [--rows 1000000] [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from bot import migrations
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.i18n import Translator
from bot.services import price_charts
from bot.services.price_import import apply_import, plan_import
from bot.services.prices import Catalogue, commodity_menu, load_catalogue
from bot.services.prices_query import overview
from models.price import Level, Origin, PlaceKind, Price, PriceStatus

PG_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
CHUNK = 20_000
IMPORT_ROWS = 50_000


def percentiles(samples: list[float], cpu: list[float]) -> str:
    """Wall-clock percentiles, and the mean CPU time of this process per call: on a shared
    machine the CPU figure shows the cost itself, the wall figure what waiting added."""
    q = statistics.quantiles(sorted(samples), n=100)
    return (f"p50 {q[49]:7.2f} ms  p95 {q[94]:7.2f} ms  p99 {q[98]:7.2f} ms  "
            f"(cpu {statistics.mean(cpu):6.2f} ms)")


class Timer:
    """Wall and process CPU time of one call, in milliseconds."""

    def __init__(self, wall: list[float], cpu: list[float]) -> None:
        self.wall, self.cpu = wall, cpu

    def __enter__(self) -> None:
        self.started, self.cpu_started = time.perf_counter(), time.process_time()

    def __exit__(self, *_exc: object) -> None:
        self.wall.append((time.perf_counter() - self.started) * 1000)
        self.cpu.append((time.process_time() - self.cpu_started) * 1000)


def _series(catalogue: Catalogue) -> list[tuple[int, int, str, str]]:
    """Every commodity at the set-price point, six markets and a dozen farm gates."""
    markets = [p for p in catalogue.places if p.kind == PlaceKind.MARKET]
    farms = [p for p in catalogue.places if p.kind == PlaceKind.FARM_GATE][:12]
    setter = next(p for p in catalogue.places if p.kind == PlaceKind.SET_PRICE)
    found = []
    for commodity in catalogue.commodities:
        grades = [q.code for q in commodity.qualities][:2] or [""]
        for grade in grades:
            found += [(commodity.id, f.id, Level.PRODUSEN, grade) for f in farms]
            found += [(commodity.id, m.id, level, grade) for m in markets
                      for level in (Level.GROSIR, Level.ECERAN)]
            found.append((commodity.id, setter.id, Level.PENETAPAN, grade))
    return found


async def fill(sessionmaker: SessionMaker, rows: int) -> float:
    catalogue = await load_catalogue(sessionmaker)
    series = _series(catalogue)
    days = rows // len(series) + 1
    rng = random.Random(6)
    started = time.perf_counter()
    batch: list[dict[str, object]] = []
    written = 0
    async with sessionmaker() as session, session.begin():
        for back in range(days):
            day = TODAY - timedelta(days=back)
            for commodity_id, place_id, level, grade in series:
                if written + len(batch) >= rows:
                    break
                batch.append({
                    "commodity_id": commodity_id, "place_id": place_id, "level": level,
                    "quality": grade, "value": Decimal(rng.randrange(5000, 90000, 50)),
                    "unit": "kg", "observed_on": day, "valid_until": None,
                    "source": "bench", "origin": Origin.IMPORT,
                    "status": PriceStatus.PUBLISHED, "created_at": NOW, "updated_at": NOW,
                })
                if len(batch) == CHUNK:
                    await session.execute(insert(Price), batch)
                    written += len(batch)
                    batch = []
        if batch:
            await session.execute(insert(Price), batch)
            written += len(batch)
    async with sessionmaker() as session, session.begin():
        await session.execute(text("ANALYZE"))
    print(f"  stored {written:,} prices ({len(series)} series × {days} days) "
          f"in {time.perf_counter() - started:.1f} s")
    return time.perf_counter() - started


async def latest_query(sessionmaker: SessionMaker, runs: int = 300) -> None:
    catalogue = await load_catalogue(sessionmaker)
    rng = random.Random(1)
    ids = [c.id for c in catalogue.commodities]
    for commodity_id in ids:
        await overview(sessionmaker, catalogue, commodity_id, TODAY, "15.02.02")
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        commodity_id = rng.choice(ids)
        with Timer(wall, cpu):
            view = await overview(sessionmaker, catalogue, commodity_id, TODAY, "15.02.02")
        assert view.series
    print(f"  /harga latest prices   {percentiles(wall, cpu)}   target p95 < 20 ms")
    wall, cpu = [], []
    for _ in range(runs // 3):
        with Timer(wall, cpu):
            await commodity_menu(sessionmaker, catalogue, None, "15.02.02", TODAY)
    print(f"  /harga commodity list  {percentiles(wall, cpu)}")


async def charts(sessionmaker: SessionMaker, runs: int = 20) -> None:
    catalogue = await load_catalogue(sessionmaker)
    tr = Translator("id", ZoneInfo("Asia/Jakarta"))
    ids = [c.id for c in catalogue.commodities]
    drawn: tuple[list[float], list[float]] = ([], [])
    cached: tuple[list[float], list[float]] = ([], [])
    await price_charts.price_chart(sessionmaker, catalogue, ids[0], "", 90, TODAY, tr)
    size = 0
    for index in range(runs):
        commodity = catalogue.commodities[index % len(ids)]
        grade = commodity.qualities[0].code if commodity.qualities else ""
        price_charts._caches.clear()
        with Timer(*drawn):
            chart = await price_charts.price_chart(sessionmaker, catalogue, commodity.id, grade,
                                                   90, TODAY, tr)
        assert chart is not None
        size = max(size, len(chart.png))
        for _ in range(10):
            with Timer(*cached):
                await price_charts.price_chart(sessionmaker, catalogue, commodity.id, grade, 90,
                                               TODAY, tr)
    print(f"  chart 90 days, drawn   {percentiles(*drawn)}   target < 300 ms")
    print(f"  chart, cached          {percentiles(*cached)}   target < 5 ms")
    print(f"  largest PNG {size / 1024:.1f} KB   target < 100 KB")


async def imports(sessionmaker: SessionMaker, workdir: Path) -> None:
    """A long-format CSV for the two reference price points, which hold nothing yet."""
    catalogue = await load_catalogue(sessionmaker)
    places = [p.code for p in catalogue.places if p.kind == PlaceKind.REFERENCE]
    lines = ["date,commodity,place,level,price,unit,source"]
    rng = random.Random(9)
    back = 0
    while len(lines) <= IMPORT_ROWS:
        day = (TODAY - timedelta(days=back)).isoformat()
        for commodity in catalogue.commodities:
            for place in places:
                lines.append(f"{day},{commodity.name_id},{place},eceran,"
                             f"\"{rng.randrange(5000, 90000, 50):,}\",{commodity.unit},bench")
        back += 1
    path = workdir / "prices.csv"
    path.write_text("\n".join(lines[:IMPORT_ROWS + 1]) + "\n", "utf-8")
    for label in ("first import", "same file again"):
        started = time.perf_counter()
        plan = await plan_import(sessionmaker, path, TODAY)
        result = await apply_import(sessionmaker, plan, NOW)
        seconds = time.perf_counter() - started
        print(f"  import, {label:16} {IMPORT_ROWS / seconds:9,.0f} rows/s  "
              f"({result.added:,} added, {result.unchanged:,} unchanged, {seconds:.1f} s)")


@asynccontextmanager
async def database(kind: str, workdir: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
        return
    name = f"berdaya_bench_{uuid.uuid4().hex[:8]}"
    dsn = make_url(PG_SERVER).set(drivername="postgresql").render_as_string(False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def run(kind: str, rows: int) -> None:
    print(f"\n{kind}: {rows:,} prices")
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        async with database(kind, workdir) as url:
            engine = create_engine(url)
            try:
                await migrations.upgrade(engine)
                sessionmaker = create_sessionmaker(engine)
                await fill(sessionmaker, rows)
                await latest_query(sessionmaker)
                await charts(sessionmaker)
                await imports(sessionmaker, workdir)
            finally:
                await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for kind in kinds:
        asyncio.run(run(kind, args.rows))


if __name__ == "__main__":
    main()
