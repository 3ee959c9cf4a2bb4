"""``FakeBotApi``: a local Telegram Bot API server plus the simulated people who talk to the bot.

Tests, the web playground and benchmarks all drive it the same way: start it, point
python-telegram-bot at :attr:`FakeBotApi.base_url`, act as users through :meth:`FakeBotApi.user`,
and observe through :attr:`calls`, chat state, :meth:`wait_for` and :meth:`subscribe`.
"""

from __future__ import annotations

import copy
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from .errors import BLOCKED, CANT_INITIATE, CHAT_NOT_FOUND, bad_request, forbidden
from .events import Observation
from .fault_injection import FaultInjection
from .limits import RateLimiter, RateLimits
from .markup import Markup
from .params import FIELD_KINDS, Kind
from .spec import BotApiSpec
from .state import CallbackAnswer, ChatItem, ChatState, FileStore, UpdateQueue

if TYPE_CHECKING:
    from .users import SimUser
    from .webhook import WebhookDelivery

_MAX_OPEN_CALLBACKS = 10_000


@dataclass
class OpenCallback:
    """A button press waiting for ``answerCallbackQuery``."""

    user: SimUser
    chat: ChatState
    message_id: int
    data: str | None


class FakeBotApi(Observation, FaultInjection):
    """A Telegram Bot API on loopback HTTP for python-telegram-bot, with simulated users."""

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "BerdayaBot",
        bot_first_name: str = "Berdaya",
        rate_limits: RateLimits | None = None,
        spec_path: str | Path | None = None,
        max_calls: int = 10_000,
        webhook_retry_delays: tuple[float, ...] = (0.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0),
    ) -> None:
        """``spec_path`` turns on checking every call against the Bot API spec;
        ``max_calls`` bounds :attr:`calls` (benchmarks pass a small number);
        ``webhook_retry_delays`` are the waits between failed webhook deliveries, the last one
        repeating, as Telegram retries at once and then backs off.
        """
        Observation.__init__(self, max_calls)
        FaultInjection.__init__(self)
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.rate_limits = rate_limits or RateLimits()
        self.spec = BotApiSpec.load(spec_path) if spec_path is not None else None
        self.spec_problems: list[str] = []
        self.files = FileStore()
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.bot_texts: dict[str, str] = {}
        self.webhook: WebhookDelivery | None = None
        self.webhook_retry_delays = webhook_retry_delays
        self.updates = UpdateQueue()
        self.port: int | None = None
        self.host = "127.0.0.1"
        self.closing = False
        self._limiter = RateLimiter(self.rate_limits)
        self._chats: dict[int, ChatState] = {}
        self._users: dict[int, SimUser] = {}
        self._usernames: dict[str, int] = {}
        self._callbacks: OrderedDict[str, OpenCallback] = OrderedDict()
        self._seq = 0
        self._runner: web.AppRunner | None = None
        self.session: aiohttp.ClientSession | None = None

    # ----------------------------------------------------------------- lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on ``host:port`` (0 picks a free port, then readable as :attr:`port`)."""
        from .server import build_app  # the server module needs this class; import late

        self.host = host
        self.closing = False
        self.session = aiohttp.ClientSession()
        self._runner = web.AppRunner(build_app(self), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop serving; waiting long polls answer at once so the bot can shut down too."""
        self.closing = True
        self.updates.wake()
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ``telegram.Bot(base_url=…)``; PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``telegram.Bot(base_file_url=…)``; PTB appends the token."""
        return f"http://{self.host}:{self.port}/file/bot"

    # ----------------------------------------------------------------- people and chats

    def user(
        self,
        user_id: int = 1001,
        first_name: str = "Siti",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
    ) -> SimUser:
        """The simulated user with this id, created on first use (their private chat too)."""
        from .users import SimUser

        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        user = SimUser(self, user_id, first_name, last_name, username, language_code)
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            chat["last_name"] = last_name
        if username:
            chat["username"] = username
            self._usernames[username.lower()] = user_id
        self._chats[user_id] = ChatState(chat)
        self._users[user_id] = user
        return user

    def group(
        self, chat_id: int, title: str, type: str = "supergroup", username: str | None = None
    ) -> ChatState:
        """A group chat the bot is a member of (users post there with ``send(chat_id=…)``)."""
        existing = self._chats.get(chat_id)
        if existing is not None:
            return existing
        chat: dict[str, Any] = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
            self._usernames[username.lower()] = chat_id
        state = self._chats[chat_id] = ChatState(chat)
        state.started = True
        return state

    def chat_items(self, chat_id: int) -> list[ChatItem]:
        """Messages of any chat, oldest first (deleted ones flagged, not removed)."""
        state = self._chats.get(chat_id)
        return list(state.items) if state else []

    def chat_state(self, chat_id: int | str) -> ChatState | None:
        """A chat by id or ``@username``."""
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                found = self._usernames.get(chat_id[1:].lower())
                return self._chats.get(found) if found is not None else None
            return None
        return self._chats.get(chat_id)

    def sendable_chat(self, chat_id: int | str) -> ChatState:
        """The chat a send goes to, refused as Telegram refuses it."""
        chat = self.chat_state(chat_id)
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        if chat.blocked:
            raise forbidden(BLOCKED)
        if not chat.started:
            raise forbidden(CANT_INITIATE)
        return chat

    def acquire_send(self, chat: ChatState) -> None:
        """Count a send or edit against the flood limits (429 when over)."""
        self._limiter.acquire(chat.id, chat.is_group)

    # ----------------------------------------------------------------- messages

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def post_message(
        self,
        chat: ChatState,
        body: dict[str, Any],
        *,
        sender: dict[str, Any],
        markup: Markup | None = None,
        reply_to: ChatItem | None = None,
    ) -> ChatItem:
        """Store a new message (from the bot or a user) and tell subscribers."""
        message_id = chat.next_message_id()
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": sender,
            "chat": chat.chat,
            "date": int(time.time()),
            **body,
        }
        if reply_to is not None:
            message["reply_to_message"] = {
                k: v for k, v in reply_to.message.items() if k != "reply_to_message"
            }
        if markup is not None and markup.kind == "inline":
            message["reply_markup"] = markup.data
        item = ChatItem(
            chat_id=chat.id,
            message_id=message_id,
            from_bot=sender is self.bot_user,
            seq=self.next_seq(),
            message=message,
            markup_kind=markup.kind if markup else None,
        )
        chat.add(item)
        self.emit(lambda: {"type": "message", "chat_id": chat.id, "message": item.to_dict()})
        if markup is not None:
            self._apply_screen_markup(chat, item, markup)
        return item

    def _apply_screen_markup(self, chat: ChatState, item: ChatItem, markup: Markup) -> None:
        """Reply keyboards and force-reply live on the user's screen, not on the message."""
        if markup.kind == "keyboard":
            chat.set_keyboard(markup.data, item.message_id)
        elif markup.kind == "remove":
            chat.set_keyboard(None, None)
        elif markup.kind == "force_reply":
            chat.force_reply = markup.data
            return
        else:
            return
        self.emit_keyboard(chat)

    def emit_keyboard(self, chat: ChatState) -> None:
        self.emit(
            lambda: {"type": "keyboard", "chat_id": chat.id, "keyboard": keyboard_labels(chat)}
        )

    def edit_message(
        self, chat: ChatState, item: ChatItem, changes: dict[str, Any], markup: Markup | None
    ) -> None:
        """Apply an edit: new content, the given inline keyboard (none removes it)."""
        message = {
            k: v for k, v in item.message.items() if k not in changes and k != "reply_markup"
        }
        message.update({k: v for k, v in changes.items() if v})
        if markup is not None:
            message["reply_markup"] = markup.data
        message["edit_date"] = int(time.time())
        item.message = message
        item.edited = True
        self.emit(lambda: {"type": "edit", "chat_id": chat.id, "message": item.to_dict()})

    def delete_message(self, chat: ChatState, item: ChatItem) -> None:
        item.deleted = True
        self.emit(lambda: {"type": "delete", "chat_id": chat.id, "message": item.to_dict()})
        if chat.keyboard_message_id == item.message_id:
            # Telegram's apps drop a reply keyboard together with the message that sent it.
            chat.set_keyboard(None, None)
            self.emit_keyboard(chat)

    def chat_action(self, chat: ChatState, action: str) -> None:
        chat.last_action = action
        self.emit(lambda: {"type": "chat_action", "chat_id": chat.id, "action": action})

    def set_reactions(
        self, chat: ChatState, item: ChatItem, reactions: list[dict[str, Any]]
    ) -> None:
        item.reactions = reactions
        self.emit(lambda: {"type": "reaction", "chat_id": chat.id, "message": item.to_dict()})

    # ----------------------------------------------------------------- callback queries

    def open_callback(
        self, user: SimUser, chat: ChatState, item: ChatItem, data: str | None
    ) -> str:
        query_id = str(secrets.randbits(63))
        self._callbacks[query_id] = OpenCallback(user, chat, item.message_id, data)
        while len(self._callbacks) > _MAX_OPEN_CALLBACKS:
            self._callbacks.popitem(last=False)
        return query_id

    def answer_callback(self, query_id: str | None, answer: dict[str, Any]) -> bool:
        """Record the answer; False if the query is unknown or already answered."""
        pending = self._callbacks.pop(query_id or "", None)
        if pending is None:
            return False
        record = CallbackAnswer(
            query_id=query_id or "", message_id=pending.message_id, data=pending.data, **answer
        )
        pending.user.callback_answers.append(record)
        item = pending.chat.get(pending.message_id)
        self.emit(
            lambda: {
                "type": "callback_answer",
                "chat_id": pending.chat.id,
                "message": item.to_dict() if item else None,
                "answer": {
                    "query_id": record.query_id,
                    "text": record.text,
                    "show_alert": record.show_alert,
                    "url": record.url,
                },
            }
        )
        return True

    def chat_instance(self, chat: ChatState) -> str:
        """Telegram's opaque per-chat number carried by every button press."""
        return str((chat.id * 2654435761 ^ self.bot_id) % 2**63 - 2**62)

    # ----------------------------------------------------------------- updates

    def push_update(self, body: dict[str, Any]) -> int:
        """Queue a raw update (``update_id`` is assigned); returns its id."""
        body = {k: v for k, v in body.items() if k != "update_id"}
        update_id = self.updates.push(copy.deepcopy(body))
        self.notify()
        return update_id

    @property
    def pending_update_count(self) -> int:
        return self.updates.pending_count

    @property
    def confirmed_update_id(self) -> int:
        """Highest update id the bot confirmed (by a later ``offset`` or a webhook 2xx)."""
        return self.updates.confirmed_id

    @property
    def delivered_update_id(self) -> int:
        """Highest update id handed to the bot (it may not have confirmed it yet)."""
        return self.updates.delivered_id

    def field_kind(self, method: str, name: str) -> Kind:
        """How to decode a request field: built-in table, then the spec, else a string."""
        kind = FIELD_KINDS.get(name)
        if kind is None and self.spec is not None:
            kind = self.spec.field_kind(method, name)
        return kind or "str"

    def bot_commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """The command list ``setMyCommands`` stored for this scope and language."""
        from .methods import scope_key

        return list(self.commands.get((scope_key(scope), language_code), []))


def keyboard_labels(chat: ChatState) -> list[list[str]] | None:
    """The reply keyboard the user currently sees, as rows of labels."""
    if chat.keyboard is None or chat.keyboard_hidden:
        return None
    return [[button["text"] for button in row] for row in chat.keyboard["keyboard"]]
