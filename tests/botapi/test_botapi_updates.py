"""Update delivery: long polling, offsets, allowed_updates, conflicts and webhooks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import telegram
from aiohttp import web
from telegram.error import Conflict

from bot.playground.botapi import FakeBotApi


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await api.wait_for(lambda: api.updates.polling)
    started = time.monotonic()
    update_id = await api.user(1001).send("halo")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1
    assert [u.update_id for u in updates] == [update_id]
    message = updates[0].message
    assert (message.chat.type, message.from_user.language_code, message.text) == (
        "private",
        "id",
        "halo",
    )


async def test_long_poll_waits_for_its_timeout(bot: telegram.Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 2


async def test_offset_confirms_and_drops_earlier_updates(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    siti = api.user(1001)
    ids = [await siti.send(f"pesan {n}") for n in range(3)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert api.pending_update_count == 3
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert (api.confirmed_update_id, api.pending_update_count) == (ids[0], 2)
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    assert (api.confirmed_update_id, api.pending_update_count) == (ids[2], 0)


async def test_allowed_updates_filters_new_updates(api: FakeBotApi, bot: telegram.Bot) -> None:
    siti = api.user(1001)
    await siti.send("/start")
    sent = await bot.send_message(
        1001,
        "x",
        reply_markup=telegram.InlineKeyboardMarkup.from_button(
            telegram.InlineKeyboardButton("Tekan", callback_data="t")
        ),
    )
    first = await bot.get_updates(allowed_updates=["callback_query"])  # made before: still there
    await siti.send("diabaikan")
    await siti.tap("Tekan")
    later = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.callback_query.message.message_id for u in later] == [sent.message_id]


async def test_second_poll_ends_the_first_with_409(api: FakeBotApi, bot: telegram.Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await api.wait_for(lambda: api.updates.polling)
    async with telegram.Bot(api.token, base_url=api.base_url) as second_instance:
        second = asyncio.create_task(second_instance.get_updates(timeout=10))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(first, 2)
        await api.user(1001).send("hai")
        assert len(await asyncio.wait_for(second, 2)) == 1


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A webhook endpoint that fails its first request, then accepts."""
    received: list[dict[str, Any]] = []

    async def handle(request: web.Request) -> web.Response:
        received.append(
            {
                "secret": request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                "update": await request.json(),
            }
        )
        return web.Response(status=500 if len(received) == 1 else 200)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", received
    await runner.cleanup()


async def test_webhook_pushes_with_secret_and_retries(
    api: FakeBotApi, bot: telegram.Bot, receiver: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = receiver
    assert await bot.set_webhook(url, secret_token="rahasia_123")
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    update_id = await api.user(1001).send("lewat webhook")
    await api.wait_for(lambda: api.confirmed_update_id == update_id)
    assert [r["secret"] for r in received] == ["rahasia_123", "rahasia_123"]
    assert [r["update"]["update_id"] for r in received] == [update_id, update_id]
    assert received[1]["update"]["message"]["text"] == "lewat webhook"
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (url, 0)
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_delete_webhook_can_drop_pending_updates(api: FakeBotApi, bot: telegram.Bot) -> None:
    await api.user(1001).send("lama")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert api.pending_update_count == 0
    assert await bot.get_updates() == ()


async def test_push_update_and_subscribers(api: FakeBotApi, bot: telegram.Bot) -> None:
    events: list[dict[str, Any]] = []
    api.subscribe(events.append)
    group = api.group(-1001234, "Kelompok Tani")
    update_id = api.push_update(
        {"message": {"message_id": 1, "date": 0, "chat": group.chat, "text": "dari grup"}}
    )
    assert (await bot.get_updates())[0].update_id == update_id
    siti = api.user(1001)
    await siti.send("di grup", chat_id=group.id)
    await bot.send_message(group.id, "balasan grup")
    await siti.send("/start")
    await bot.send_chat_action(1001, "typing")
    api.unsubscribe(events.append)
    await bot.send_message(1001, "tidak terdengar")
    assert [(e["type"], e["chat_id"]) for e in events] == [
        ("message", group.id),
        ("message", group.id),
        ("message", 1001),
        ("chat_action", 1001),
    ]
    assert events[1]["message"]["html"] == "balasan grup"
    assert [i.text for i in api.chat_items(group.id)] == ["di grup", "balasan grup"]


async def test_wait_for_times_out_with_context(api: FakeBotApi) -> None:
    with pytest.raises(TimeoutError, match="pending updates: 0"):
        await api.wait_for(lambda: api.find_calls("sendMessage"), timeout=0.05)
