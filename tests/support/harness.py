"""End-to-end harness: the real Application polling the local Bot API, and users who talk to it.

Every wait is on a condition (the update was processed, the bot made a call), never a sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.app import build_application
from bot.config import Settings
from bot.db import SessionMaker
from bot.playground.botapi import FakeBotApi, SimUser
from bot.polling import start_polling, stop_polling
from bot.updates import BerdayaApplication

WAIT_SECONDS = 10.0


class BotHarness:
    """Starts, stops and restarts the bot against one fake Bot API and one database."""

    def __init__(
        self, api: FakeBotApi, settings: Settings, sessionmaker: SessionMaker,
        **runtime_options: Any,
    ) -> None:
        self.api = api
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.runtime_options = runtime_options
        self.application: BerdayaApplication | None = None

    @property
    def app(self) -> BerdayaApplication:
        assert self.application is not None, "the bot is not running"
        return self.application

    async def start(self) -> None:
        application = build_application(
            self.settings, base_url=self.api.base_url, sessionmaker=self.sessionmaker,
            **self.runtime_options,
        )
        assert isinstance(application, BerdayaApplication)
        self.application = application
        await start_polling(application, poll_timeout=2)

    async def stop(self) -> None:
        application, self.application = self.application, None
        if application is not None:
            await stop_polling(application)

    async def restart(self) -> None:
        """A new Application on the same database: only what is stored survives."""
        await self.stop()
        await self.start()

    async def processed(self, update_id: int) -> None:
        async with asyncio.timeout(WAIT_SECONDS):
            await self.app.wait_processed(update_id)

    def user(self, user_id: int = 1001, first_name: str = "Siti", **details: Any) -> TestUser:
        details.setdefault("language_code", "id")
        return TestUser(self, self.api.user(user_id=user_id, first_name=first_name, **details))

    async def wait_for(self, predicate: Callable[[], bool]) -> None:
        """For effects that follow no update of ours (jobs, broadcasts)."""
        await self.api.wait_for(predicate, timeout=WAIT_SECONDS)


class TestUser:
    """A simulated person; each action returns once the bot has finished handling it."""

    __test__ = False

    def __init__(self, harness: BotHarness, sim: SimUser) -> None:
        self.harness = harness
        self.sim = sim

    @property
    def id(self) -> int:
        return self.sim.user_id

    async def _done(self, update_id: int | None) -> None:
        """`None`: the action produced no update (e.g. blocking twice), so nothing to wait for."""
        if update_id is not None:
            await self.harness.processed(update_id)

    async def send(self, text: str) -> None:
        await self._done(await self.sim.send(text))

    async def tap(self, label: str) -> None:
        await self._done(await self.sim.tap(label))

    async def tap_data(self, message_id: int, data: str) -> None:
        await self._done(await self.sim.tap_data(message_id, data))

    async def share_contact(self, phone_number: str = "+6281234567890", own: bool = True) -> None:
        await self._done(await self.sim.share_contact(phone_number=phone_number, own=own))

    async def send_location(self, latitude: float, longitude: float) -> None:
        await self._done(await self.sim.send_location(latitude, longitude))

    async def send_photo(self, caption: str | None = None) -> None:
        await self._done(await self.sim.send_photo(caption=caption))

    async def send_sticker(self) -> None:
        await self._done(await self.sim.send_sticker())

    async def send_voice(self) -> None:
        await self._done(await self.sim.send_voice())

    async def block(self) -> None:
        await self._done(await self.sim.block())

    async def unblock(self) -> None:
        await self._done(await self.sim.unblock())

    @property
    def last_reply(self) -> Any:
        return self.sim.last_reply

    @property
    def text(self) -> str:
        """The newest bot message's plain text (what the member reads)."""
        reply = self.sim.last_reply
        return reply.text or reply.caption or ""

    @property
    def buttons(self) -> list[str]:
        return self.sim.buttons

    @property
    def keyboard(self) -> Any:
        return self.sim.keyboard

    @property
    def chat(self) -> list[Any]:
        return self.sim.chat
