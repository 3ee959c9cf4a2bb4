"""A client for the playground's web chat, as the page uses it: JSON actions plus the event stream.

Waits are on events arriving, never on sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp

from bot.config import Settings
from bot.playground.runner import Playground, start_playground

WAIT_SECONDS = 10.0
Event = dict[str, Any]


class WebChatClient:
    """Reads `/api/events` in the background and keeps every event it saw."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.url = url
        self.events: list[Event] = []
        self._changed = asyncio.Condition()
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        response = await self.http.get(f"{self.url}/api/events")
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        self._reader = asyncio.create_task(self._read(response))

    async def _read(self, response: aiohttp.ClientResponse) -> None:
        async for raw in response.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("data: "):
                async with self._changed:
                    self.events.append(json.loads(line[len("data: "):]))
                    self._changed.notify_all()

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def wait_event(self, predicate: Callable[[Event], bool], after: int = 0) -> Event:
        """The first event (from index `after` on) that matches."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(
                lambda: any(predicate(e) for e in self.events[after:])
            )
            return next(e for e in self.events[after:] if predicate(e))

    async def bot_message(self, persona: str, after: int = 0) -> dict[str, Any]:
        event = await self.wait_event(
            lambda e: e["type"] == "message" and e["persona"] == persona
            and e["message"]["from_bot"],
            after,
        )
        return event["message"]

    async def post(self, persona: str, action: str, body: Any = None) -> aiohttp.ClientResponse:
        return await self.http.post(f"{self.url}/api/chat/{persona}/{action}", json=body)

    async def act(self, persona: str, action: str, body: Any = None) -> Any:
        response = await self.post(persona, action, body)
        data = await response.json()
        assert response.status == 200, data
        return data

    async def chat(self, persona: str) -> dict[str, Any]:
        response = await self.http.get(f"{self.url}/api/chat/{persona}")
        assert response.status == 200
        return await response.json()


@contextlib.asynccontextmanager
async def running_playground(
    database: Path, *, fresh: bool = True, settings: Settings | None = None
) -> AsyncIterator[Playground]:
    playground = await start_playground(
        settings or Settings(), host="127.0.0.1", port=0, database=database, fresh=fresh
    )
    try:
        yield playground
    finally:
        await playground.stop()


@contextlib.asynccontextmanager
async def web_client(playground: Playground) -> AsyncIterator[WebChatClient]:
    async with aiohttp.ClientSession() as http:
        client = WebChatClient(http, playground.url)
        await client.connect()
        try:
            yield client
        finally:
            await client.close()
