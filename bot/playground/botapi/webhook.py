"""Webhook delivery: updates POSTed one at a time, in order, retried until answered with 2xx.

As on Telegram, an update stays pending until the webhook accepts it; a failure is retried at
once, then after growing delays (``FakeBotApi.webhook_retry_delays``), and is reported by
``getWebhookInfo`` in Telegram's words.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from .api import FakeBotApi

_ANSWER_TIMEOUT = aiohttp.ClientTimeout(total=60)


class WebhookDelivery:
    """The delivery loop for one ``setWebhook``."""

    def __init__(
        self, api: FakeBotApi, url: str, secret_token: str | None, max_connections: int
    ) -> None:
        self.api = api
        self.url = url
        self.secret_token = secret_token
        self.max_connections = max_connections
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"webhook {self.url}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def info(self) -> dict[str, Any]:
        """The webhook's part of ``getWebhookInfo``."""
        info: dict[str, Any] = {"max_connections": self.max_connections, "ip_address": "127.0.0.1"}
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def _post(self, update: dict[str, Any]) -> str | None:
        """Deliver one update; the error in Telegram's words, or None when accepted."""
        headers = {"Content-Type": "application/json"}
        if self.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.secret_token
        session = self.api.session
        if session is None:
            return "Connection refused"
        try:
            async with session.post(
                self.url, json=update, headers=headers, timeout=_ANSWER_TIMEOUT
            ) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                phrase = HTTPStatus(response.status).phrase if response.status < 600 else ""
                return f"Wrong response from the webhook: {response.status} {phrase}".rstrip()
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientConnectorError:
            return "Connection refused"
        except aiohttp.ClientError as exc:
            return f"Connection error: {exc}"

    async def _run(self) -> None:
        attempt = 0
        delays = self.api.webhook_retry_delays
        while True:
            update = await self.api.updates.first()
            queue = self.api.updates
            queue.delivered_id = max(queue.delivered_id, update["update_id"])
            error = await self._post(update)
            if error is None:
                queue.confirm(update["update_id"] + 1)
                attempt = 0
            else:
                self.last_error_date = int(time.time())
                self.last_error_message = error
                delay = delays[min(attempt, len(delays) - 1)] if delays else 0.0
                attempt += 1
                self.api.notify()
                await asyncio.sleep(delay)
            self.api.notify()
