"""Injected faults and flood limits, as the bot's retry paths will meet them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import telegram
from telegram.error import Forbidden, NetworkError, RetryAfter

from bot.playground.botapi import FakeBotApi, RateLimits

RawCall = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]

# PTB's own RetryAfter constructor warns about its future timedelta type; nothing to fix here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_injected_429_carries_retry_after(api: FakeBotApi, raw: RawCall) -> None:
    await api.user(1001).send("/start")
    api.inject_fault("sendMessage", error_code=429, retry_after=7)
    assert await raw("sendMessage", {"chat_id": "1001", "text": "x"}) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    status, _ = await raw("sendMessage", {"chat_id": "1001", "text": "x"})
    assert status == 200  # used up


async def test_faults_reach_ptb_as_its_errors(api: FakeBotApi, bot: telegram.Bot) -> None:
    await api.user(1001).send("/start")
    await api.user(1002).send("/start")
    api.inject_fault("sendMessage", error_code=429, times=2, chat_id=1002)
    api.inject_fault("sendmessage", error_code=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(1001, "a")
    await bot.send_message(1001, "b")  # chat 1001 is not targeted by the 429s
    for _ in range(2):
        with pytest.raises(RetryAfter):
            await bot.send_message(1002, "c")
    await bot.send_message(1002, "d")
    api.inject_fault(None, error_code=403)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_chat_action(1001, "typing")
    api.inject_fault("getMe", error_code=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    assert [m.text for m in api.user(1001).chat if m.from_bot] == ["b"]


async def test_disconnect_fails_at_the_network_level(api: FakeBotApi, bot: telegram.Bot) -> None:
    await api.user(1001).send("/start")
    api.inject_fault("sendMessage", disconnect=True)
    with pytest.raises(NetworkError):
        await bot.send_message(1001, "hilang")
    assert (await bot.send_message(1001, "sampai")).text == "sampai"
    failed = api.find_calls("sendMessage", ok=False)
    assert failed[0].error_code is None and "closed" in (failed[0].description or "")


async def _fake(limits: RateLimits) -> FakeBotApi:
    fake = FakeBotApi(rate_limits=limits)
    await fake.start()
    return fake


async def test_rate_limits_per_chat_group_and_overall() -> None:
    fake = await _fake(RateLimits(per_second=3, per_chat_per_second=1, per_group_per_minute=2))
    bot = telegram.Bot(fake.token, base_url=fake.base_url)
    try:
        async with bot:
            for user_id in (1, 2, 3, 4):
                await fake.user(user_id).send("/start")
            await bot.send_message(1, "satu")
            with pytest.raises(RetryAfter):
                await bot.send_message(1, "dua")  # same chat within a second
            await bot.send_message(2, "ke chat lain")
            await bot.send_message(3, "ketiga")
            with pytest.raises(RetryAfter):
                await bot.send_message(4, "keempat")  # over 3 per second overall
            refusal = fake.find_calls("sendMessage", ok=False)[-1]
            assert refusal.error_code == 429 and refusal.description.startswith("Too Many Requests")
    finally:
        await fake.stop()
    group_fake = await _fake(RateLimits(per_group_per_minute=2))
    group = group_fake.group(-100777, "Grup")
    bot = telegram.Bot(group_fake.token, base_url=group_fake.base_url)
    try:
        async with bot:
            await bot.send_message(group.id, "1")
            await bot.edit_message_text("1 (ubah)", group.id, 1)  # edits count too
            with pytest.raises(RetryAfter):
                await bot.send_message(group.id, "3")
            refusal = group_fake.find_calls("sendMessage", ok=False)[-1]
            assert 1 <= int((refusal.description or "").rsplit(" ", 1)[1]) <= 60
    finally:
        await group_fake.stop()
