"""What the fake remembers: chats and their messages, the update queue, files and calls.

Lookups are by id (dicts) so that hundreds of simulated users cost nothing per request; lists are
only walked from their newest end.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .errors import TERMINATED_BY_POLL
from .html import entities_to_html

_CONTENT_KEYS = ("text", "photo", "document", "location", "venue", "contact", "sticker", "voice")


@dataclass
class Call:
    """One request the bot made, as decoded and as answered."""

    method: str
    params: dict[str, Any]
    time: float
    chat_id: int | str | None = None
    ok: bool = False
    error_code: int | None = None
    description: str | None = None
    result: Any = None


@dataclass(frozen=True)
class CallbackAnswer:
    """The bot's ``answerCallbackQuery`` to one button press."""

    query_id: str
    message_id: int | None
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(eq=False)
class ChatItem:
    """One message in a chat, in its current state (edits applied, deletion flagged).

    ``message`` is the Telegram ``Message`` object as the other side currently sees it; the
    properties read from it.
    """

    chat_id: int
    message_id: int
    from_bot: bool
    seq: int
    message: dict[str, Any]
    markup_kind: str | None = None
    edited: bool = False
    deleted: bool = False
    reactions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def date(self) -> int:
        return int(self.message["date"])

    @property
    def text(self) -> str | None:
        return self.message.get("text")

    @property
    def entities(self) -> list[dict[str, Any]]:
        entities: list[dict[str, Any]] = self.message.get("entities", [])
        return entities

    @property
    def caption(self) -> str | None:
        return self.message.get("caption")

    @property
    def caption_entities(self) -> list[dict[str, Any]]:
        entities: list[dict[str, Any]] = self.message.get("caption_entities", [])
        return entities

    @property
    def html(self) -> str | None:
        """What the user sees, as safe HTML rebuilt from the entities (text, else caption)."""
        if self.text is not None:
            return entities_to_html(self.text, self.entities)
        if self.caption is not None:
            return entities_to_html(self.caption, self.caption_entities)
        return None

    @property
    def photo(self) -> list[dict[str, Any]] | None:
        return self.message.get("photo")

    @property
    def document(self) -> dict[str, Any] | None:
        return self.message.get("document")

    @property
    def location(self) -> dict[str, Any] | None:
        return self.message.get("location")

    @property
    def venue(self) -> dict[str, Any] | None:
        return self.message.get("venue")

    @property
    def contact(self) -> dict[str, Any] | None:
        return self.message.get("contact")

    @property
    def sticker(self) -> dict[str, Any] | None:
        return self.message.get("sticker")

    @property
    def voice(self) -> dict[str, Any] | None:
        return self.message.get("voice")

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        """Rows of the message's inline buttons (empty when it has none)."""
        markup = self.message.get("reply_markup") or {}
        rows: list[list[dict[str, Any]]] = markup.get("inline_keyboard", [])
        return rows

    @property
    def inline_buttons(self) -> list[str]:
        """Labels of the inline buttons, rows flattened."""
        return [button["text"] for row in self.inline_keyboard for button in row]

    def content(self) -> dict[str, Any]:
        """The message's content fields, for copies and forwards."""
        keys = (*_CONTENT_KEYS, "entities", "caption", "caption_entities")
        return {key: self.message[key] for key in keys if key in self.message}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view for the web chat."""
        reply = self.message.get("reply_to_message")
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "from_bot": self.from_bot,
            "date": self.date,
            "text": self.text,
            "caption": self.caption,
            "html": self.html,
            "entities": self.entities or self.caption_entities,
            **{key: self.message.get(key) for key in _CONTENT_KEYS[1:]},
            "inline_keyboard": self.inline_keyboard,
            "reply_to_message_id": reply["message_id"] if reply else None,
            "forwarded": "forward_origin" in self.message,
            "reactions": self.reactions,
            "edited": self.edited,
            "deleted": self.deleted,
        }


class ChatState:
    """A chat: its Telegram ``Chat`` object, messages and what the user's screen shows."""

    def __init__(self, chat: dict[str, Any]) -> None:
        self.chat = chat
        self.items: list[ChatItem] = []
        self._by_id: dict[int, ChatItem] = {}
        self._last_message_id = 0
        self.keyboard: dict[str, Any] | None = None
        self.keyboard_message_id: int | None = None
        self.keyboard_hidden = False
        self.force_reply: dict[str, Any] | None = None
        self.blocked = False
        self.started = False
        self.last_action: str | None = None

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    @property
    def is_group(self) -> bool:
        return self.chat["type"] in ("group", "supergroup")

    def next_message_id(self) -> int:
        self._last_message_id += 1
        return self._last_message_id

    def add(self, item: ChatItem) -> None:
        self.items.append(item)
        self._by_id[item.message_id] = item

    def get(self, message_id: int | None) -> ChatItem | None:
        """The message with this id, unless missing or deleted."""
        item = self._by_id.get(message_id) if message_id is not None else None
        return None if item is None or item.deleted else item

    def set_keyboard(self, keyboard: dict[str, Any] | None, message_id: int | None) -> None:
        self.keyboard = keyboard
        self.keyboard_message_id = message_id if keyboard else None
        self.keyboard_hidden = False


class _Poll:
    """A waiting ``getUpdates``; a newer poll or a webhook ends it with a 409."""

    def __init__(self) -> None:
        self.terminated: str | None = None


DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Pending updates in order, confirmed by ``offset`` as Telegram does."""

    def __init__(self) -> None:
        self._pending: deque[dict[str, Any]] = deque()
        self._last_id = 0
        self.confirmed_id = 0
        self.delivered_id = 0
        self.allowed: frozenset[str] | None = None
        self._signal = asyncio.Event()
        self._poll: _Poll | None = None

    @staticmethod
    def kind(update: dict[str, Any]) -> str:
        return next(key for key in update if key != "update_id")

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def wake(self) -> None:
        """Wake every waiter (events are swapped so later waiters wait afresh)."""
        self._signal.set()
        self._signal = asyncio.Event()

    def set_allowed(self, names: list[str] | None) -> None:
        """An empty or missing list means Telegram's default set."""
        self.allowed = frozenset(n.lower() for n in names) if names else None

    def allows(self, kind: str) -> bool:
        if self.allowed is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self.allowed

    def push(self, body: dict[str, Any]) -> int:
        """Number and queue an update; one the bot did not ask for is numbered but dropped."""
        self._last_id += 1
        update = {"update_id": self._last_id, **body}
        if self.allows(self.kind(update)):
            self._pending.append(update)
            self.wake()
        return self._last_id

    def confirm(self, offset: int) -> None:
        """Forget updates before ``offset``; a negative offset keeps only the last ``-offset``."""
        if offset > 0:
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()
            self.confirmed_id = max(self.confirmed_id, min(offset - 1, self._last_id))
        elif offset < 0:
            while len(self._pending) > -offset:
                self.confirmed_id = self._pending.popleft()["update_id"]

    def drop_all(self) -> None:
        self._pending.clear()
        self.confirmed_id = self._last_id

    def peek(self, limit: int) -> list[dict[str, Any]]:
        updates = [self._pending[i] for i in range(min(limit, len(self._pending)))]
        if updates:
            self.delivered_id = max(self.delivered_id, updates[-1]["update_id"])
        return updates

    @property
    def polling(self) -> bool:
        """True while a ``getUpdates`` is waiting for updates."""
        return self._poll is not None

    def begin_poll(self) -> _Poll:
        self.terminate_poll(TERMINATED_BY_POLL)
        self._poll = _Poll()
        return self._poll

    def end_poll(self, poll: _Poll) -> None:
        if self._poll is poll:
            self._poll = None

    def terminate_poll(self, reason: str) -> None:
        if self._poll is not None:
            self._poll.terminated = reason
            self._poll = None
            self.wake()

    async def wait(self, seconds: float) -> None:
        """Sleep until something is pushed or a poll is ended, at most ``seconds``."""
        signal = self._signal
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(signal.wait(), seconds)

    async def first(self) -> dict[str, Any]:
        """The oldest pending update, waiting for one if there is none."""
        while not self._pending:
            await self._signal.wait()
        return self._pending[0]


@dataclass(frozen=True)
class StoredFile:
    """File contents behind a ``file_id``, downloadable at ``/file/bot<token>/<file_path>``."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    mime_type: str | None
    file_name: str | None

    def as_file(self) -> dict[str, Any]:
        """The Bot API ``File`` object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


_FILE_KINDS = {
    # kind: (file_id prefix as Telegram's look, folder TDLib keeps it in, default extension)
    "photo": ("AgACAgUAAxkBAAI", "photos", ".jpg"),
    "document": ("BQACAgUAAxkBAAI", "documents", ".bin"),
    "voice": ("AwACAgUAAxkBAAI", "voice", ".oga"),
    "sticker": ("CAACAgUAAxkBAAI", "stickers", ".webp"),
    "thumbnail": ("AAMCBQADGQEAAI", "thumbnails", ".jpg"),
}


class FileStore:
    """Files by ``file_id`` and by ``file_path``."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._kind: dict[str, str] = {}
        self._photos: dict[str, list[dict[str, Any]]] = {}
        self._count = 0

    def add(
        self,
        data: bytes,
        kind: str,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        prefix, folder, default_ext = _FILE_KINDS.get(kind, _FILE_KINDS["document"])
        self._count += 1
        ext = ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        elif mime_type:
            ext = mimetypes.guess_extension(mime_type) or ""
        stored = StoredFile(
            file_id=prefix + secrets.token_urlsafe(40),
            file_unique_id="AQAD" + secrets.token_urlsafe(9),
            file_path=f"{folder}/file_{self._count}{ext or default_ext}",
            data=data,
            mime_type=mime_type or mimetypes.guess_type(file_name or "")[0],
            file_name=file_name,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        self._kind[stored.file_id] = kind
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def kind(self, file_id: str) -> str | None:
        return self._kind.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def remember_photo(self, sizes: list[dict[str, Any]]) -> None:
        """Keep a photo's sizes so that re-sending any of its file_ids shows the same photo."""
        for size in sizes:
            self._photos[size["file_id"]] = sizes

    def photo(self, file_id: str) -> list[dict[str, Any]] | None:
        return self._photos.get(file_id)
