"""Update latency: N simulated users walk a short journey at once through the local Bot API.

The same traffic then goes to a bare python-telegram-bot echo bot on the same kind of local Bot
API, in the same run, so the ratio says what Berdaya's own work (database, i18n, handlers) costs
on top of the framework and the HTTP round trips. Each bot runs in its own process, as it would
against Telegram, so the local Bot API's work is not billed to the bot under test.

    .venv/bin/python bench/updates.py [--users 200] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, MessageHandler
from telegram.ext import filters as tg_filters

from bot.app import PLACEHOLDER_TOKEN, build_application
from bot.config import Settings
from bot.db import create_engine, create_sessionmaker
from bot.playground.botapi import FakeBotApi, SimUser
from bot.polling import start_polling, stop_polling
from bot.setup import prepare_database
from models import Member, utcnow

PG_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
FIRST_USER = 700_000
Step = Callable[[SimUser], Awaitable[int]]


@dataclass
class Result:
    name: str
    updates: int
    seconds: float
    latencies_ms: list[float]

    def line(self) -> str:
        q = statistics.quantiles(self.latencies_ms, n=100)
        return (f"{self.name:<8} {self.updates / self.seconds:8.1f} updates/s   "
                f"p50 {q[49]:7.1f} ms   p95 {q[94]:7.1f} ms   p99 {q[98]:7.1f} ms")

    def p95(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[94]


class ReplyClock:
    """Time from a user's update to the bot's first visible answer in that chat."""

    def __init__(self, api: FakeBotApi) -> None:
        self.waiting: dict[int, tuple[float, asyncio.Future[float]]] = {}
        api.subscribe(self._on_event)

    def _on_event(self, event: dict[str, Any]) -> None:
        if event["type"] not in ("message", "edit", "callback_answer"):
            return
        if event["type"] == "message" and not event["message"].get("from_bot"):
            return
        entry = self.waiting.pop(event["chat_id"], None)
        if entry is not None and not entry[1].done():
            entry[1].set_result((time.perf_counter() - entry[0]) * 1000)

    async def measure(self, user: SimUser, step: Step) -> float:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[user.id] = (time.perf_counter(), future)
        await step(user)
        return await asyncio.wait_for(future, timeout=60)


async def berdaya_journey(user: SimUser) -> list[Step]:
    """A registered member opens the menu, asks for help and taps the help button."""
    return [
        lambda u: u.send("/start"),
        lambda u: u.send("/bantuan"),
        lambda u: u.tap("❓ Bantuan"),
    ]


async def echo_journey(user: SimUser) -> list[Step]:
    return [lambda u: u.send("/start"), lambda u: u.send("/bantuan"), lambda u: u.send("halo")]


async def drive(api: FakeBotApi, users: int, journey: Callable[[SimUser], Awaitable[list[Step]]],
                name: str) -> Result:
    clock = ReplyClock(api)
    sims = [api.user(user_id=FIRST_USER + i, first_name=f"Warga {i}", language_code="id")
            for i in range(users)]
    latencies: list[float] = []

    async def walk(sim: SimUser) -> None:
        for step in await journey(sim):
            latencies.append(await clock.measure(sim, step))

    started = time.perf_counter()
    await asyncio.gather(*(walk(sim) for sim in sims))
    return Result(name, len(latencies), time.perf_counter() - started, latencies)


@asynccontextmanager
async def running(application: Application) -> AsyncIterator[None]:  # type: ignore[type-arg]
    await start_polling(application)
    try:
        yield
    finally:
        await stop_polling(application)


def echo_application_at(base_url: str) -> Application:  # type: ignore[type-arg]
    """The baseline: PTB with the same concurrency as Berdaya and nothing else."""

    async def echo(update: Update, _: Any) -> None:
        if update.effective_message is not None and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    async def answer(update: Update, _: Any) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()

    application = (ApplicationBuilder().token(PLACEHOLDER_TOKEN).base_url(base_url)
                   .concurrent_updates(64).build())
    application.add_handler(MessageHandler(tg_filters.ALL, echo))
    application.add_handler(CallbackQueryHandler(answer))
    return application


@asynccontextmanager
async def database(kind: str) -> AsyncIterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        return
    name = f"berdaya_bench_{uuid.uuid4().hex[:8]}"
    dsn = make_url(PG_SERVER).set(drivername="postgresql").render_as_string(False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_SERVER).set(database=name).render_as_string(False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def register_members(url: str, users: int) -> None:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session, session.begin():
        session.add_all(
            Member(channel="telegram", external_id=str(FIRST_USER + i), chat_id=FIRST_USER + i,
                   full_name=f"Warga {i}", desa_code="15.02.02.1010", language="id",
                   consent_version="bench", consent_at=utcnow())
            for i in range(users)
        )
    await engine.dispose()


async def serve(kind: str, base_url: str, database_url: str, limiter: bool) -> None:
    """The bot side, in its own process: polls until SIGINT/SIGTERM."""
    logging.basicConfig(level=logging.WARNING)
    if kind == "echo":
        application = echo_application_at(base_url)
    else:
        application = build_application(Settings(database={"url": database_url}),
                                         base_url=base_url, rate_limiter=limiter)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running(application):
        await stop.wait()


async def measure(name: str, users: int, journey: Callable[[SimUser], Awaitable[list[Step]]],
                  *bot_args: str) -> Result:
    api = FakeBotApi(token=PLACEHOLDER_TOKEN, max_calls=1000)
    await api.start()
    process = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", *bot_args, "--base-url", api.base_url)
    try:
        await api.wait_for(lambda: api.find_calls("getUpdates"), timeout=60)
        return await drive(api, users, journey, name)
    finally:
        process.send_signal(signal.SIGINT)
        await process.wait()
        await api.stop()


async def main(users: int, kind: str) -> None:
    logging.basicConfig(level=logging.WARNING)
    echo = await measure("echo", users, echo_journey, "echo")
    async with database(kind) as url:
        await prepare_database(Settings(database={"url": url}))
        await register_members(url, users)
        ours = await measure("berdaya", users, berdaya_journey, "berdaya", "--database-url", url)
        limited = await measure("+limiter", users, berdaya_journey, "berdaya", "--database-url",
                                url, "--limiter")

    print(f"{users} users x 3 steps, database {kind}")
    print(echo.line())
    print(ours.line())
    print(f"p95 ratio berdaya/echo: {ours.p95() / echo.p95():.2f} (target <= 1.5)")
    print(limited.line())
    print("  (+limiter: the production AIORateLimiter holds all sends to Telegram's ~30/s,")
    print("   which an unthrottled burst of users meets long before our code does)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--serve", choices=["echo", "berdaya"], help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--limiter", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        asyncio.run(serve(arguments.serve, arguments.base_url, arguments.database_url,
                          arguments.limiter))
    else:
        asyncio.run(main(arguments.users, arguments.database))
