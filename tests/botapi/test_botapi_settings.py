"""Bot settings and the smaller methods: commands per scope, menu button, reactions, bodies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
import telegram
from telegram import BotCommand, BotCommandScopeChat, MenuButtonCommands, ReactionTypeEmoji
from telegram.error import BadRequest

from bot.playground.botapi import FakeBotApi

RawCall = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]


async def test_commands_are_kept_per_scope_and_language(api: FakeBotApi, bot: telegram.Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Mulai"), BotCommand("harga", "Harga pasar")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    admin = BotCommandScopeChat(1001)
    await bot.set_my_commands([BotCommand("laporan", "Laporan")], scope=admin)
    assert [c.command for c in await bot.get_my_commands()] == ["start", "harga"]
    assert [c.description for c in await bot.get_my_commands(language_code="en")] == ["Start"]
    assert [c.command for c in await bot.get_my_commands(scope=admin)] == ["laporan"]
    assert api.bot_commands({"type": "chat", "chat_id": "1001"}) == [
        {"command": "laporan", "description": "Laporan"}
    ]
    await bot.delete_my_commands(scope=admin)
    assert await bot.get_my_commands(scope=admin) == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Mulai-Sekarang", "x")])
    with pytest.raises(BadRequest, match="Invalid language code specified"):
        await bot.set_my_commands([BotCommand("start", "x")], language_code="ind")


async def test_menu_button_name_and_trivial_methods(api: FakeBotApi, bot: telegram.Bot) -> None:
    assert await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert (await bot.get_chat_menu_button()).type == "commands"
    assert await bot.set_my_description("Asisten program Berdaya")
    assert (await bot.get_my_description()).description == "Asisten program Berdaya"
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(5)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")
    assert await bot.log_out()
    assert await bot.close()


async def test_reactions_and_bulk_delete(api: FakeBotApi, bot: telegram.Bot) -> None:
    siti = api.user(1001)
    await siti.send("/start")
    sent = [await bot.send_message(1001, f"pesan {n}") for n in range(3)]
    assert await bot.set_message_reaction(1001, siti.chat[0].message_id, ReactionTypeEmoji("👍"))
    assert siti.chat[0].reactions == [{"type": "emoji", "emoji": "👍"}]
    assert await bot.delete_messages(1001, [sent[0].message_id, sent[2].message_id, 999])
    assert [item.deleted for item in siti.chat] == [False, True, False, True]
    assert siti.last_reply.text == "pesan 1"


async def test_json_and_query_string_bodies(api: FakeBotApi, raw: RawCall) -> None:
    await api.user(1001).send("/start")
    markup = {"inline_keyboard": [[{"text": "Ya", "callback_data": "ya"}]]}
    status, body = await raw(
        "sendMessage", json={"chat_id": 1001, "text": "json", "reply_markup": markup}
    )
    assert (status, body["result"]["reply_markup"]) == (200, markup)
    async with aiohttp.ClientSession() as session:
        url = f"{api.base_url}{api.token}/SENDMESSAGE"  # method names ignore case
        async with session.get(url, params={"chat_id": "1001", "text": "query"}) as response:
            assert (await response.json())["result"]["text"] == "query"
    assert [item.text for item in api.user(1001).chat] == ["/start", "json", "query"]
    assert [call.params["chat_id"] for call in api.find_calls("sendMessage")] == [1001, 1001]
