"""The method table, and the methods about the bot itself and its updates.

``METHODS`` maps Telegram's method names to handlers ``async (api, params) -> result``; a result
wrapped in :class:`Described` also carries Telegram's success ``description``.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import messages
from .errors import (
    CHAT_NOT_FOUND,
    TERMINATED_BY_WEBHOOK,
    WEBHOOK_ACTIVE,
    ApiError,
    bad_request,
)
from .params import Params

if TYPE_CHECKING:
    from .api import FakeBotApi

Handler = Callable[["FakeBotApi", Params], Awaitable[Any]]

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LANGUAGE = re.compile(r"^([a-z]{2})?$")
_SCOPES = frozenset(
    [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ]
)
_MENU_BUTTONS = frozenset(("commands", "web_app", "default"))
_BOT_TEXT_LIMITS = {"name": 64, "description": 512, "short_description": 120}


@dataclass(frozen=True)
class Described:
    """A result plus the ``description`` Telegram sends with it ("Webhook was set")."""

    result: Any
    description: str


# ----------------------------------------------------------------------- the bot


async def get_me(api: FakeBotApi, p: Params) -> dict[str, Any]:
    return {
        **api.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def log_out(api: FakeBotApi, p: Params) -> bool:
    return True


def scope_key(scope: Any) -> str:
    """A canonical key for a ``BotCommandScope`` (commands are stored per scope)."""
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope: Unsupported type specified")
    normalised = dict(scope)
    chat_id = normalised.get("chat_id")
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        normalised["chat_id"] = int(chat_id)
    return json.dumps(normalised, sort_keys=True)


def _command_target(p: Params) -> tuple[str, str]:
    language = p.text("language_code") or ""
    key = scope_key(p.get("scope"))
    if not _LANGUAGE.match(language):
        raise bad_request("invalid language code specified")
    return key, language


def _command(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise bad_request("can't parse BotCommand: expected an Object")
    command = str(raw.get("command", "")).strip().lstrip("/")
    description = str(raw.get("description", "")).strip()
    if not command:
        raise bad_request("command must be non-empty")
    if len(command) > 32:
        raise bad_request("command length must not exceed 32")
    if not _COMMAND.match(command):
        raise bad_request("BOT_COMMAND_INVALID")
    if not description:
        raise bad_request("command description must be non-empty")
    if len(description) > 256:
        raise bad_request("command description length must not exceed 256")
    return {"command": command, "description": description}


async def set_my_commands(api: FakeBotApi, p: Params) -> bool:
    raw = p.get("commands")
    if not isinstance(raw, list):
        raise bad_request("can't parse commands JSON object")
    commands = [_command(item) for item in raw]
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    target = _command_target(p)
    if commands:
        api.commands[target] = commands
    else:
        api.commands.pop(target, None)
    return True


async def get_my_commands(api: FakeBotApi, p: Params) -> list[dict[str, str]]:
    return api.commands.get(_command_target(p), [])


async def delete_my_commands(api: FakeBotApi, p: Params) -> bool:
    api.commands.pop(_command_target(p), None)
    return True


async def set_chat_menu_button(api: FakeBotApi, p: Params) -> bool:
    chat_id = p.integer("chat_id")
    if chat_id is not None and api.chat_state(chat_id) is None:
        raise bad_request(CHAT_NOT_FOUND)
    button = p.get("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in _MENU_BUTTONS:
        raise bad_request("can't parse menu button: Unsupported type specified")
    api.menu_buttons[chat_id] = button
    return True


async def get_chat_menu_button(api: FakeBotApi, p: Params) -> dict[str, Any]:
    chat_id = p.integer("chat_id")
    return api.menu_buttons.get(chat_id) or api.menu_buttons.get(None) or {"type": "default"}


def _bot_text_setter(name: str) -> Handler:
    async def handler(api: FakeBotApi, p: Params) -> bool:
        value = p.text(name) or ""
        if len(value) > _BOT_TEXT_LIMITS[name]:
            raise bad_request(f"bot {name.replace('_', ' ')} is too long")
        api.bot_texts[name] = value
        return True

    return handler


def _bot_text_getter(name: str) -> Handler:
    async def handler(api: FakeBotApi, p: Params) -> dict[str, str]:
        return {name: api.bot_texts.get(name, "")}

    return handler


async def get_chat(api: FakeBotApi, p: Params) -> dict[str, Any]:
    chat = api.chat_state(p.chat_id())
    if chat is None:
        raise bad_request(CHAT_NOT_FOUND)
    return {
        **chat.chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


async def get_file(api: FakeBotApi, p: Params) -> dict[str, Any]:
    stored = api.files.get(p.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.as_file()


# ----------------------------------------------------------------------- updates


async def get_updates(api: FakeBotApi, p: Params) -> list[dict[str, Any]]:
    """Long polling: answer at once when updates are pending, else wait up to ``timeout``."""
    if api.webhook is not None:
        raise ApiError(409, WEBHOOK_ACTIVE)
    queue = api.updates
    limit = min(max(p.integer("limit") or 100, 1), 100)
    timeout = max(p.number("timeout") or 0.0, 0.0)
    allowed = p.get("allowed_updates")
    if isinstance(allowed, list):
        queue.set_allowed([str(name) for name in allowed])
    offset = p.integer("offset")
    if offset:
        queue.confirm(offset)
    poll = queue.begin_poll()
    api.notify()  # waiters may be watching confirmations or for the poll to start
    loop_time = asyncio.get_running_loop().time
    deadline = loop_time() + timeout
    try:
        while True:
            if poll.terminated:
                raise ApiError(409, poll.terminated)
            updates = queue.peek(limit)
            remaining = deadline - loop_time()
            if updates or remaining <= 0 or api.closing:
                return updates
            await queue.wait(remaining)
    finally:
        queue.end_poll(poll)


async def set_webhook(api: FakeBotApi, p: Params) -> Described:
    from .webhook import WebhookDelivery

    url = p.text("url") or ""
    if not url:
        return await _remove_webhook(api, p)
    if not re.match(r"^https?://[^/\s]+", url):
        raise bad_request("invalid webhook URL specified")
    secret = p.text("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = p.integer("max_connections") or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("invalid max_connections specified")
    allowed = p.get("allowed_updates")
    if isinstance(allowed, list):
        api.updates.set_allowed([str(name) for name in allowed])
    if p.flag("drop_pending_updates"):
        api.updates.drop_all()
    current = api.webhook
    if current is not None and (current.url, current.secret_token) == (url, secret):
        return Described(True, "Webhook is already set")
    api.updates.terminate_poll(TERMINATED_BY_WEBHOOK)
    if current is not None:
        await current.stop()
    api.webhook = WebhookDelivery(api, url, secret, max_connections)
    api.webhook.start()
    return Described(True, "Webhook was set")


async def _remove_webhook(api: FakeBotApi, p: Params) -> Described:
    if p.flag("drop_pending_updates"):
        api.updates.drop_all()
    if api.webhook is None:
        return Described(True, "Webhook is already deleted")
    await api.webhook.stop()
    api.webhook = None
    return Described(True, "Webhook was deleted")


async def delete_webhook(api: FakeBotApi, p: Params) -> Described:
    return await _remove_webhook(api, p)


async def get_webhook_info(api: FakeBotApi, p: Params) -> dict[str, Any]:
    info: dict[str, Any] = {
        "url": api.webhook.url if api.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": api.pending_update_count,
    }
    if api.webhook is not None:
        info.update(api.webhook.info())
    if api.updates.allowed is not None:
        info["allowed_updates"] = sorted(api.updates.allowed)
    return info


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "logOut": log_out,
    "close": log_out,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "setMyName": _bot_text_setter("name"),
    "getMyName": _bot_text_getter("name"),
    "setMyDescription": _bot_text_setter("description"),
    "getMyDescription": _bot_text_getter("description"),
    "setMyShortDescription": _bot_text_setter("short_description"),
    "getMyShortDescription": _bot_text_getter("short_description"),
    "getChat": get_chat,
    "getFile": get_file,
    "sendMessage": messages.send_message,
    "sendPhoto": messages.send_photo,
    "sendDocument": messages.send_document,
    "sendLocation": messages.send_location,
    "sendVenue": messages.send_venue,
    "sendChatAction": messages.send_chat_action,
    "copyMessage": messages.copy_message,
    "forwardMessage": messages.forward_message,
    "editMessageText": messages.edit_message_text,
    "editMessageCaption": messages.edit_message_caption,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "deleteMessage": messages.delete_message,
    "deleteMessages": messages.delete_messages,
    "answerCallbackQuery": messages.answer_callback_query,
    "setMessageReaction": messages.set_message_reaction,
}
# Telegram's method names are case-insensitive.
METHOD_NAMES = {name.lower(): name for name in METHODS}
