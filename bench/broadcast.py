"""Broadcast delivery: rate under Telegram's limits, raw dispatch rate, memory, reply latency.

    .venv/bin/python bench/broadcast.py [--members 10000] [--database sqlite|postgresql|both]
                                        [--memory-members 100000] [--parts a,b,c]

(a) The local Bot API enforces 30 msg/s overall and 1 msg/s per chat, answering 429 beyond; the
    real application (build_application, polling) sends one broadcast to every member at the
    configured 25 msg/s. Reported: achieved rate, lost, duplicated, 429s, and the reply latency
    of a member chatting with the bot meanwhile, against the same probe with the bot idle.
(b) No limits anywhere (engine uncapped): the raw dispatch rate.
(c) Peak memory (max RSS) of a process sending one broadcast to --memory-members members.

The local Bot API runs in a process of its own, so its CPU and memory are not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import insert, select
from telegram import Bot
from updates import database  # the shared bench helper (bench/ is on sys.path)

from bot.app import PLACEHOLDER_TOKEN, build_application
from bot.config import Settings
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.i18n import Translator
from bot.jobs.broadcasts import DeliveryEngine
from bot.jobs.broadcasts_app import engine_of
from bot.jobs.broadcasts_request import AiohttpRequest
from bot.playground.botapi import Call, FakeBotApi, RateLimits
from bot.polling import start_polling, stop_polling
from bot.services import broadcasts
from bot.services.broadcasts_audience import Audience
from bot.setup import prepare_database
from models import Member, Role, utcnow
from models.broadcast import Broadcast

ROOT = Path(__file__).resolve().parents[1]
FIRST = 10_000_000
SENDER = FIRST - 1
PROBES = range(FIRST - 100, FIRST - 80)
"""Chats that ask /bantuan during a broadcast, in turn (Telegram allows ~1 message/s per chat)."""


# ---------------------------------------------------------------- the local Bot API process

class CountingApi(FakeBotApi):
    """Counts, per text, which chats got the bot's messages and when; and every error code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.per_text: dict[str, Counter[int]] = {}
        self.span: dict[str, list[float]] = {}
        self.errors: Counter[int] = Counter()

    def record(self, call: Call) -> None:
        if not call.ok and call.error_code:
            self.errors[call.error_code] += 1
        elif call.method == "sendMessage" and call.chat_id is not None:
            text = str(call.params.get("text", ""))
            if text.startswith("BENCH"):
                self.per_text.setdefault(text, Counter())[int(call.chat_id)] += 1
                span = self.span.setdefault(text, [call.time, call.time])
                span[1] = call.time
        super().record(call)


async def serve_fake(port: int, users: int, limited: bool) -> None:
    api = CountingApi(token=PLACEHOLDER_TOKEN, max_calls=200,
                      rate_limits=RateLimits(per_second=30, per_chat_per_second=1)
                      if limited else None)
    await api.start(port=port)
    for chat in (SENDER, *PROBES, *range(FIRST, FIRST + users)):
        api.user(chat, "Warga").chat_state.started = True
    probes = [api.user(chat) for chat in PROBES]

    async def stats(request: web.Request) -> web.Response:
        text = request.query["text"]
        counts = api.per_text.get(text, Counter())
        first, last = api.span.get(text, [0.0, 0.0])
        return web.json_response({
            "chats": len(counts), "messages": sum(counts.values()),
            "duplicated": sum(1 for n in counts.values() if n > 1),
            "seconds": last - first, "errors": dict(api.errors)})

    async def probe_reply(_: web.Request) -> web.Response:
        probe = probes[0]
        probes.append(probes.pop(0))
        started = time.perf_counter()
        marker = await probe.send("/bantuan")
        await probe.wait_reply(marker, timeout=30)
        return web.json_response({"ms": (time.perf_counter() - started) * 1000})

    side = web.Application()
    side.router.add_get("/stats", stats)
    side.router.add_post("/probe", probe_reply)
    runner = web.AppRunner(side, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port + 1).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


@asynccontextmanager
async def fake_process(users: int, limited: bool) -> AsyncIterator[tuple[str, str]]:
    """(Bot API base URL, side URL) of a local Bot API in its own process."""
    port = 20_000 + uuid.uuid4().int % 20_000
    process = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve-fake", str(port), "--users", str(users),
        *(["--limited"] if limited else []), cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None
        await process.stdout.readline()
        yield f"http://127.0.0.1:{port}/bot", f"http://127.0.0.1:{port + 1}"
    finally:
        process.kill()
        await process.wait()


async def side_get(side: str, path: str, **params: str) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session, session.get(side + path,
                                                               params=params) as answer:
        return await answer.json()


async def probe(side: str) -> float:
    async with aiohttp.ClientSession() as session, session.post(side + "/probe") as answer:
        return float((await answer.json())["ms"])


# ---------------------------------------------------------------- databases and members

async def add_members(sessionmaker: SessionMaker, start: int, stop: int) -> None:
    now = utcnow()
    async with sessionmaker() as session, session.begin():
        if start == 0:
            session.add(Member(channel="telegram", external_id=str(SENDER), chat_id=SENDER,
                               full_name="Fasilitator", role=Role.FACILITATOR, language="id",
                               consent_version="bench", consent_at=now))
        for low in range(start, stop, 5000):
            await session.execute(insert(Member), [
                {"channel": "telegram", "external_id": str(FIRST + i), "chat_id": FIRST + i,
                 "full_name": f"Warga {i}", "language": "id", "role": "member",
                 "status": "active", "consent_version": "bench", "consent_at": now,
                 "created_at": now}
                for i in range(low, min(stop, low + 5000))])


async def sender_id(sessionmaker: SessionMaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(Member.id).where(Member.chat_id == SENDER)) or 0)


async def finished(sessionmaker: SessionMaker, broadcast_id: int) -> bool:
    async with sessionmaker() as session:
        return await session.scalar(
            select(Broadcast.finished_at).where(Broadcast.id == broadcast_id)) is not None


async def announce(sessionmaker: SessionMaker, text: str) -> int:
    found = await broadcasts.create_broadcast(
        sessionmaker, sender_member_id=await sender_id(sessionmaker), text=text,
        audience=Audience())
    return found.id


def settings_for(url: str) -> Settings:
    return Settings(database={"url": url}, broadcast={"quiet_hours": []})


def direct_engine(settings: Settings, sessionmaker: SessionMaker, base_url: str) -> DeliveryEngine:
    """The engine with no cap: what our side can dispatch when Telegram does not limit it."""
    def translator(language: str) -> Translator:
        return Translator(language, settings.program.tz)

    bot = Bot(PLACEHOLDER_TOKEN, base_url=base_url, request=AiohttpRequest(64))
    return DeliveryEngine(sessionmaker, bot, settings=settings.broadcast, tz=settings.program.tz,
                          clock=utcnow, translator=translator, rate=None, owns_bot=True)


# ---------------------------------------------------------------- the parts

async def part_a(url: str, members: int) -> list[str]:
    settings = settings_for(url)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    async with fake_process(members, limited=True) as (base_url, side):
        application = build_application(settings, base_url=base_url, sessionmaker=sessionmaker)
        await start_polling(application, poll_timeout=2)
        try:
            idle = [await probe(side) for _ in range(10)]
            await asyncio.sleep(1.5)  # those replies leave Telegram's one-second window first
            broadcast_id = await announce(sessionmaker, "BENCH A")
            found = engine_of(application)
            assert found is not None
            found.wake()
            busy: list[float] = []
            deadline = time.monotonic() + members / 20 + 120
            while not await finished(sessionmaker, broadcast_id) \
                    and time.monotonic() < deadline:
                busy.append(await probe(side))
                await asyncio.sleep(0.5)
            stats = await side_get(side, "/stats", text="BENCH A")
        finally:
            await stop_polling(application)
    await engine.dispose()
    recipients = members + 1
    return [
        f"(a) 30 msg/s + 1/s per chat enforced, configured 25 msg/s, {recipients} recipients:",
        f"    achieved {(stats['messages'] - 1) / stats['seconds']:.2f} msg/s over "
        f"{stats['seconds']:.0f} s; lost {recipients - stats['chats']}, duplicated "
        f"{stats['duplicated']}; 429 answers {stats['errors'].get('429', 0)}",
        f"    reply to a chatting member: idle p50 {statistics.median(idle):.0f} ms, during the "
        f"broadcast p50 {statistics.median(busy):.0f} ms / max {max(busy):.0f} ms "
        f"({len(busy)} probes)",
    ]


async def part_b(url: str, members: int) -> list[str]:
    settings = settings_for(url)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    async with fake_process(members, limited=False) as (base_url, side):
        await announce(sessionmaker, "BENCH B")
        sender = direct_engine(settings, sessionmaker, base_url)
        started = time.perf_counter()
        await sender.drain()
        seconds = time.perf_counter() - started
        await sender.close()
        stats = await side_get(side, "/stats", text="BENCH B")
    await engine.dispose()
    recipients = members + 1
    return [f"(b) uncapped: {recipients / seconds:.0f} msg/s dispatched ({recipients} in "
            f"{seconds:.1f} s, rows written and results recorded included); lost "
            f"{recipients - stats['chats']}, duplicated {stats['duplicated']}"]


async def part_c(url: str, members: int, memory_members: int) -> list[str]:
    engine = create_engine(url)
    await add_members(create_sessionmaker(engine), members, memory_members)
    await engine.dispose()
    async with fake_process(memory_members, limited=False) as (base_url, side):
        child_process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--memory-child", url, base_url, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE)
        output, _ = await child_process.communicate()
        stats = await side_get(side, "/stats", text="BENCH C")
    child = json.loads(output.decode().strip().splitlines()[-1])
    recipients = memory_members + 1
    added = child["max_rss_mb"] - child["start_rss_mb"]
    return [f"(c) {recipients} recipients in one process: peak RSS {child['max_rss_mb']:.0f} MB, "
            f"of which the broadcast added {added:.0f} MB to the loaded application; "
            f"{recipients / child['seconds']:.0f} msg/s; lost {recipients - stats['chats']}, "
            f"duplicated {stats['duplicated']}"]


async def memory_child(url: str, base_url: str) -> None:
    logging.disable(logging.WARNING)
    settings = settings_for(url)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    await announce(sessionmaker, "BENCH C")
    sender = direct_engine(settings, sessionmaker, base_url)
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    await sender.drain()
    seconds = time.perf_counter() - started
    await sender.close()
    await engine.dispose()
    print(json.dumps({"max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "start_rss_mb": start_rss, "seconds": seconds}))


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for kind in kinds:
        async with database(kind) as url:
            await prepare_database(settings_for(url))
            engine = create_engine(url)
            await add_members(create_sessionmaker(engine), 0, args.members)
            await engine.dispose()
            lines = [f"== {kind}, {args.members} members"]
            if "a" in args.parts:
                lines += await part_a(url, args.members)
            if "b" in args.parts:
                lines += await part_b(url, args.members)
            if "c" in args.parts:
                lines += await part_c(url, args.members, args.memory_members)
            print("\n".join(lines), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--memory-members", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--parts", default="abc")
    parser.add_argument("--serve-fake", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--limited", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_fake:
        with suppress(KeyboardInterrupt):
            asyncio.run(serve_fake(arguments.serve_fake, arguments.users, arguments.limited))
    elif arguments.memory_child:
        asyncio.run(memory_child(*arguments.memory_child))
    else:
        asyncio.run(main(arguments))
