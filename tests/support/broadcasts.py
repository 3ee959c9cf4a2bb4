"""Broadcast test helpers: reachable members, a fake monotonic clock, an engine on the fake API."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Bot

from bot.app import PLACEHOLDER_TOKEN
from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import Translator
from bot.jobs.broadcasts import DeliveryEngine
from bot.jobs.broadcasts_progress import SenderNotices
from bot.jobs.broadcasts_request import AiohttpRequest
from bot.playground.botapi import FakeBotApi
from bot.services import broadcasts
from bot.services.broadcasts_audience import Audience
from models import Member, Role
from models.broadcast import Broadcast
from tests.support.clock import Clock
from tests.support.members import make_member

STAFF_ID = 900
MEMBER_IDS = 5000


class FakeTime:
    """Monotonic time that moves only when the engine sleeps: pacing without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds
        await asyncio.sleep(0)


async def reachable(api: FakeBotApi, sessionmaker: SessionMaker, telegram_id: int,
                    name: str = "Siti Aminah", **details: Any) -> Member:
    """A registered member whose chat with the bot is open (they pressed Start)."""
    member = await make_member(sessionmaker, telegram_id, name, **details)
    api.user(telegram_id, name.split()[0]).chat_state.started = True
    return member


async def crowd(api: FakeBotApi, sessionmaker: SessionMaker, count: int,
                first: int = MEMBER_IDS, **details: Any) -> list[Member]:
    return [await reachable(api, sessionmaker, first + i, f"Anggota {i}", **details)
            for i in range(count)]


async def facilitator(api: FakeBotApi, sessionmaker: SessionMaker,
                      telegram_id: int = STAFF_ID, role: Role = Role.FACILITATOR,
                      language: str = "id") -> Member:
    return await reachable(api, sessionmaker, telegram_id, "Bu Fasilitator", role=role,
                           language=language)


async def broadcast(sessionmaker: SessionMaker, sender: Member, clock: Clock,
                    text: str = "Rapat besok", audience: Audience | None = None,
                    **options: Any) -> Broadcast:
    return await broadcasts.create_broadcast(
        sessionmaker, sender_member_id=sender.id, text=text,
        audience=audience or Audience(), now=clock(), **options)


def engine(api: FakeBotApi, sessionmaker: SessionMaker, settings: Settings, clock: Clock,
           time: FakeTime, *, rate: float | None = 25, notices: bool = True) -> DeliveryEngine:
    """The real engine on the fake Bot API, waiting on `time` instead of the wall clock."""
    bot = Bot(PLACEHOLDER_TOKEN, base_url=api.base_url, request=AiohttpRequest(8))

    def translator(language: str) -> Translator:
        return Translator(language, settings.program.tz)

    return DeliveryEngine(
        sessionmaker, bot, settings=settings.broadcast, tz=settings.program.tz, clock=clock,
        translator=translator,
        notices=SenderNotices(bot, sessionmaker, translator) if notices else None,
        rate=rate, monotonic=time.monotonic, sleep=time.sleep, owns_bot=True)


def received(api: FakeBotApi, chat_id: int, text: str | None = None) -> list[Any]:
    """Bot messages still visible in a chat (optionally only those containing `text`)."""
    return [item for item in api.chat_items(chat_id)
            if item.from_bot and not item.deleted
            and (text is None or text in (item.text or item.caption or ""))]
