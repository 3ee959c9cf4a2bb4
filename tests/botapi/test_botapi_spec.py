"""The spec checker: calls and results against ``telegram-bot-api-10.0.json``.

Every test here needs the spec file; the ``spec_path`` fixture skips with the reason when the
file is not beside the repo.
"""

from __future__ import annotations

from pathlib import Path

import telegram

from bot.playground.botapi import BotApiSpec, FakeBotApi


def test_a_correct_call_has_no_problems(spec_path: Path) -> None:
    spec = BotApiSpec.load(spec_path)
    call = {
        "chat_id": 1001,
        "text": "Halo",
        "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": [[{"text": "Kopi", "callback_data": "kopi"}]]},
        "reply_parameters": {"message_id": 3},
    }
    assert spec.version == "Bot API 10.0"
    assert spec.check_call("sendMessage", call) == []
    assert spec.check_call("sendmessage", call) == []  # method names ignore case


def test_missing_required_field_and_wrong_types(spec_path: Path) -> None:
    spec = BotApiSpec.load(spec_path)
    assert spec.check_call("sendMessage", {"text": 5}) == [
        "sendMessage.chat_id: required field missing",
        "sendMessage.text: expected String, got int 5",
    ]
    assert spec.check_call("sendMessage", {"chat_id": 1.5, "text": "x"}) == [
        "sendMessage.chat_id: expected Integer or String, got float 1.5"
    ]


def test_nested_types_are_checked_with_their_path(spec_path: Path) -> None:
    spec = BotApiSpec.load(spec_path)
    markup = {
        "inline_keyboard": [
            [{"text": "a", "callback_data": "a"}, {"text": "b", "callback_data": 2}]
        ]
    }
    assert spec.check_call("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup}) == [
        "sendMessage.reply_markup.inline_keyboard[0][1].callback_data: expected String, got int 2"
    ]
    assert spec.check_call("setMyCommands", {"commands": [{"command": "start"}]}) == [
        "setMyCommands.commands[0].description: required field missing"
    ]
    assert spec.check_call("deleteMyCommands", {"scope": {"type": "everyone"}})[0].endswith(
        "expected 'default', got 'everyone'"
    )


def test_unknown_methods_and_parameters(spec_path: Path) -> None:
    spec = BotApiSpec.load(spec_path)
    assert spec.check_call("sendTelepathy", {}) == ["sendTelepathy: unknown method"]
    assert spec.check_call("getMe", {"verbose": True}) == ["getMe.verbose: unknown parameter"]
    assert spec.field_kind("sendMessage", "message_effect_id") == "str"
    assert spec.field_kind("sendPhoto", "photo") == "file_or_str"


def test_results_are_checked_against_return_types(spec_path: Path) -> None:
    spec = BotApiSpec.load(spec_path)
    message = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}
    assert spec.check_result("sendMessage", message) == []
    assert spec.check_result("sendMessage", {"message_id": "1", "date": 0, "chat": {"id": 1}}) == [
        'sendMessage().message_id: expected Integer, got str "1"',
        "sendMessage().chat.type: required field missing",
    ]


async def test_fake_records_the_bots_spec_problems(spec_path: Path) -> None:
    api = FakeBotApi(spec_path=spec_path)
    await api.start()
    try:
        async with telegram.Bot(api.token, base_url=api.base_url) as bot:
            await api.user(1001).send("/start")
            await bot.send_message(1001, "baik")
            assert api.spec_problems == []
            await bot.send_message(1001, "salah ketik", api_kwargs={"protect_contnet": True})
    finally:
        await api.stop()
    assert api.spec_problems == ["sendMessage.protect_contnet: unknown parameter"]
