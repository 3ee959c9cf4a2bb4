"""Fixtures for the fake Bot API tests: a started fake, a real PTB ``Bot`` and raw requests.

When the Bot API spec is beside the repo, every fake used here also checks each call the bot
makes and each result the fake gives against it, so the fake cannot drift from Telegram's types.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import telegram

from bot.playground.botapi import FakeBotApi

SPEC_PATH = (
    Path(__file__).resolve().parents[2].parent / "shared/reference/telegram-bot-api-10.0.json"
)
SPEC_MISSING = (
    "../shared/reference/telegram-bot-api-10.0.json not present: the Bot API spec is kept "
    "beside the repo, outside it"
)

RawCall = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]


@pytest.fixture
def spec_path() -> Path:
    if not SPEC_PATH.exists():
        pytest.skip(SPEC_MISSING)
    return SPEC_PATH


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi(spec_path=SPEC_PATH if SPEC_PATH.exists() else None)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    if fake.spec is not None:
        assert fake.spec_problems == []
        wrong_results = [
            problem
            for call in fake.calls
            if call.ok
            for problem in fake.spec.check_result(call.method, call.result)
        ]
        assert wrong_results == []


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    ptb = telegram.Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
    async with ptb:
        yield ptb


@pytest.fixture
async def raw(api: FakeBotApi) -> AsyncIterator[RawCall]:
    """Plain HTTP calls, for what PTB would never send (missing fields, broken JSON)."""
    async with aiohttp.ClientSession() as session:

        async def call(
            method: str,
            data: dict[str, Any] | None = None,
            json: dict[str, Any] | None = None,
            token: str | None = None,
        ) -> tuple[int, dict[str, Any]]:
            url = f"{api.base_url}{token or api.token}/{method}"
            async with session.post(url, data=data, json=json) as response:
                return response.status, await response.json()

        yield call
