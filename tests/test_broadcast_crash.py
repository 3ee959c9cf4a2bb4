"""SIGKILL mid-broadcast, start again: the broadcast goes on, nobody is lost, and only messages
in flight at the kill may arrive twice (the guarantee stated in the README)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from bot.db import SessionMaker
from bot.jobs.broadcasts_app import engine_of
from bot.playground.botapi import FakeBotApi
from models import utcnow
from models.broadcast import Delivery, DeliveryStatus
from tests.support.broadcasts import broadcast, crowd, facilitator
from tests.support.clock import Clock
from tests.support.harness import BotHarness

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Siaran uji ketahanan"
RECIPIENTS = 80
RATE = 20


async def start_bot(api: FakeBotApi, database_url: str, log: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.run_bot", "--database", database_url,
        "--base-url", api.base_url, "--rate", str(RATE),
        cwd=ROOT, stdout=log.open("ab"), stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def copies(api: FakeBotApi) -> Counter[int]:
    return Counter(int(c.chat_id) for c in api.find_calls("sendMessage", ok=True)
                   if c.params.get("text") == TEXT and c.chat_id is not None)


async def rows(sessionmaker: SessionMaker) -> dict[int, str]:
    async with sessionmaker() as session:
        return {member_id: status for member_id, status in await session.execute(
            select(Delivery.member_id, Delivery.status))}


async def test_sigkill_mid_broadcast_loses_nobody_and_repeats_only_what_was_in_flight(
    api: FakeBotApi, seeded: SessionMaker, database_url: str, tmp_path: Path,
) -> None:
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, RECIPIENTS - 1)
    chat_of = {p.id: p.chat_id for p in [sender, *people]}
    await broadcast(seeded, sender, Clock(utcnow()), TEXT)
    log = tmp_path / "bot.log"

    first = await start_bot(api, database_url, log)
    try:
        await api.wait_for(lambda: len(copies(api)) >= RECIPIENTS // 3, timeout=60)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    at_kill = copies(api)
    recorded = await rows(seeded)
    done_before = {chat_of[m] for m, status in recorded.items() if status == DeliveryStatus.SENT}
    in_flight = {chat_of[m] for m, status in recorded.items()
                 if status == DeliveryStatus.SENDING}
    assert 0 < len(at_kill) < RECIPIENTS, "the kill must land mid-broadcast"
    assert set(at_kill) <= done_before | in_flight

    second = await start_bot(api, database_url, log)
    try:
        await api.wait_for(lambda: len(copies(api)) == RECIPIENTS, timeout=60)
        await api.wait_for(lambda: any(
            "Siaran #1 selesai" in (item.text or "") and item.inline_buttons
            for item in api.chat_items(sender.chat_id or 0)), timeout=30)
    finally:
        second.send_signal(signal.SIGTERM)
        await second.wait()

    final = copies(api)
    assert set(final) == set(chat_of.values()), "nobody queued is lost"
    repeated = {chat for chat, n in final.items() if n > 1}
    assert repeated <= in_flight & set(at_kill), "only messages in flight at the kill repeat"
    assert max(final.values()) <= 2
    assert all(final[chat] == 1 for chat in done_before)
    assert set((await rows(seeded)).values()) == {DeliveryStatus.SENT}


async def test_a_clean_restart_mid_broadcast_repeats_nothing(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    """Stopping the bot lets in-flight sends land and puts claimed rows back: no repeats."""
    api = harness.api
    sender = await facilitator(api, seeded)
    people = await crowd(api, seeded, 39)
    await broadcast(seeded, sender, clock, TEXT)
    engine = engine_of(harness.app)
    assert engine is not None
    engine.wake()
    await harness.wait_for(lambda: len(copies(api)) >= 10)
    await harness.restart()
    assert 10 <= len(copies(api)) < 40
    await harness.wait_for(lambda: len(copies(api)) == 40)
    assert set(copies(api).values()) == {1}
    assert {p.chat_id for p in [sender, *people]} == set(copies(api))
