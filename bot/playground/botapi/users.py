"""``SimUser``: a person chatting with the bot, producing the updates a Telegram app would.

Every action returns the ``update_id`` it produced, which doubles as a marker for
:meth:`SimUser.replies_since`.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .api import keyboard_labels
from .html import utf16_len
from .media import PLACEHOLDER_OGG, PLACEHOLDER_PDF, PLACEHOLDER_PNG, PLACEHOLDER_WEBP, photo_sizes
from .media import document as document_object
from .media import sticker as sticker_object
from .media import voice as voice_object
from .state import CallbackAnswer, ChatItem, ChatState

if TYPE_CHECKING:
    from .api import FakeBotApi

# TDLib marks /commands that do not touch a letter, digit, '_', '/', '<' or '>' before them.
_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_MARKERS_KEPT = 1000
_DEFAULT_LOCATION = (-2.0833, 102.2833)  # Bangko, the seat of Kabupaten Merangin


class SimUser:
    """A simulated Telegram user; their private chat with the bot has id == user id."""

    def __init__(
        self,
        api: FakeBotApi,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> None:
        self.api = api
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.location = _DEFAULT_LOCATION
        self.callback_answers: list[CallbackAnswer] = []
        self._markers: deque[tuple[int, int]] = deque(maxlen=_MARKERS_KEPT)

    def __repr__(self) -> str:
        return f"SimUser({self.id}, {self.first_name!r})"

    @property
    def user_id(self) -> int:
        """Same as :attr:`id` (also the id of the private chat)."""
        return self.id

    # ----------------------------------------------------------------- what the user sees

    @property
    def user_dict(self) -> dict[str, Any]:
        """The Telegram ``User`` object of this person."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    @property
    def chat_state(self) -> ChatState:
        state = self.api.chat_state(self.id)
        assert state is not None  # created together with the user
        return state

    @property
    def chat(self) -> list[ChatItem]:
        """The private chat, oldest first, both directions, deleted messages flagged."""
        return list(self.chat_state.items)

    @property
    def blocked(self) -> bool:
        return self.chat_state.blocked

    @property
    def last_reply(self) -> ChatItem:
        """The newest bot message that is not deleted."""
        for item in reversed(self.chat_state.items):
            if item.from_bot and not item.deleted:
                return item
        raise AssertionError(f"{self!r} has no message from the bot yet")

    def replies_since(self, marker: int | ChatItem | None = None) -> list[ChatItem]:
        """Bot messages sent after an ``update_id`` this user produced (or after a message)."""
        seq = self._seq_of(marker)
        newer: list[ChatItem] = []
        for item in reversed(self.chat_state.items):
            if item.seq <= seq:
                break
            if item.from_bot and not item.deleted:
                newer.append(item)
        newer.reverse()
        return newer

    async def wait_reply(
        self,
        after: int | ChatItem | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - same contract as FakeBotApi.wait_for
    ) -> ChatItem:
        """The first bot message after ``after`` (default: this user's last action)."""
        if after is None and self._markers:
            after = self._markers[-1][0]
        replies = await self.api.wait_for(lambda: self.replies_since(after), timeout)
        return replies[0]

    def _seq_of(self, marker: int | ChatItem | None) -> int:
        if marker is None:
            return 0
        if isinstance(marker, ChatItem):
            return marker.seq
        for update_id, seq in reversed(self._markers):
            if update_id == marker:
                return seq
        raise ValueError(f"update {marker} was not produced by {self!r} (or is too old)")

    @property
    def inline_buttons(self) -> list[str]:
        """Labels on the newest bot message's inline keyboard, rows flattened."""
        for item in reversed(self.chat_state.items):
            if item.from_bot and not item.deleted:
                return item.inline_buttons
        return []

    @property
    def keyboard(self) -> list[list[str]] | None:
        """The reply keyboard on screen as rows of labels (None when removed or hidden)."""
        return keyboard_labels(self.chat_state)

    @property
    def buttons(self) -> list[str]:
        """Everything tappable at a glance: newest inline keyboard, then the reply keyboard."""
        return self.inline_buttons + [label for row in self.keyboard or [] for label in row]

    # ----------------------------------------------------------------- actions

    def _post(self, body: dict[str, Any], chat_id: int | None = None) -> int:
        chat = self.api.chat_state(self.id if chat_id is None else chat_id)
        if chat is None:
            raise AssertionError(f"chat {chat_id} does not exist; create it with api.group()")
        if chat.blocked:
            raise AssertionError(f"{self!r} blocked the bot; call unblock() first")
        chat.started = True
        chat.force_reply = None
        item = self.api.post_message(chat, body, sender=self.user_dict)
        return self._push({"message": item.message})

    def _push(self, body: dict[str, Any]) -> int:
        update_id = self.api.push_update(body)  # copies body: later edits don't leak in
        self._markers.append((update_id, self.api.next_seq()))
        return update_id

    async def send(self, text: str, reply_to: int | None = None, chat_id: int | None = None) -> int:
        """Send a text message (``/commands`` get their ``bot_command`` entity)."""
        text = text.strip(" \n")
        if not text:
            raise ValueError("Telegram apps do not send empty messages")
        body: dict[str, Any] = {"text": text}
        entities = [
            {
                "type": "bot_command",
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group()),
            }
            for m in _COMMAND.finditer(text)
        ]
        if entities:
            body["entities"] = entities
        if reply_to is not None:
            target = self.api.chat_state(self.id if chat_id is None else chat_id)
            replied = target.get(reply_to) if target else None
            if replied is None:
                raise AssertionError(f"message {reply_to} is not in the chat")
            body["reply_to_message"] = {
                k: v for k, v in replied.message.items() if k != "reply_to_message"
            }
        return self._post(body, chat_id)

    async def tap(self, label: str) -> int:
        """Press a button by its label (exact, else a unique case-insensitive substring).

        Inline keyboards of bot messages and the reply keyboard are searched newest first; an
        inline button sends a ``callback_query``, a reply-keyboard button sends its text (or the
        contact or location it asks for).
        """
        folded = label.casefold()
        for matches_label in (
            lambda text: text == label,
            lambda text: folded in text.casefold(),
        ):
            for item, buttons in self._button_sources():
                found = [b for b in buttons if matches_label(b["text"])]
                if len(found) > 1 and found[0]["text"] != label:
                    texts = ", ".join(repr(b["text"]) for b in found)
                    raise AssertionError(f"{label!r} is ambiguous for {self!r}: {texts}")
                if found:
                    return await self._press(item, found[0])
        raise AssertionError(f"no button {label!r} for {self!r}; {self._describe_buttons()}")

    def _button_sources(self) -> Iterator[tuple[ChatItem | None, list[dict[str, Any]]]]:
        """(message, buttons), newest first and lazily, so a hit on a recent message is cheap;
        the reply keyboard (message None) comes at the place of the message that sent it."""
        state = self.chat_state
        keyboard = state.keyboard if not state.keyboard_hidden else None
        keyboard_at = state.keyboard_message_id or 0
        for item in reversed(state.items):
            if keyboard is not None and item.message_id < keyboard_at:
                yield None, [b for row in keyboard["keyboard"] for b in row]
                keyboard = None
            if item.from_bot and not item.deleted and item.inline_keyboard:
                yield item, [b for row in item.inline_keyboard for b in row]
        if keyboard is not None:
            yield None, [b for row in keyboard["keyboard"] for b in row]

    def _describe_buttons(self) -> str:
        parts = [
            f"{f'message {item.message_id}' if item else 'reply keyboard'}: "
            f"{[b['text'] for b in buttons]}"
            for item, buttons in self._button_sources()
        ]
        return "buttons on screen: " + "; ".join(parts) if parts else "the chat shows no buttons"

    async def _press(self, item: ChatItem | None, button: dict[str, Any]) -> int:
        if item is not None:
            if "callback_data" in button:
                return await self.tap_data(item.message_id, button["callback_data"])
            action = next(
                (k for k in button if k not in ("text", "style", "icon_custom_emoji_id")), ""
            )
            raise AssertionError(
                f"button {button['text']!r} is a {action} button ({button.get(action)!r}); "
                "pressing it sends nothing to the bot"
            )
        state = self.chat_state
        if state.keyboard and state.keyboard.get("one_time_keyboard"):
            state.keyboard_hidden = True
            self.api.emit_keyboard(state)
        if button.get("request_contact"):
            return await self.share_contact()
        if button.get("request_location"):
            return await self.send_location(*self.location)
        return await self.send(button["text"])

    async def tap_data(self, message_id: int, callback_data: str | None) -> int:
        """Press an inline button with arbitrary data (e.g. tampered) on a message."""
        state = self.chat_state
        item = state.get(message_id)
        if item is None:
            raise AssertionError(f"message {message_id} is not in {self!r}'s chat")
        if state.blocked:
            raise AssertionError(f"{self!r} blocked the bot; call unblock() first")
        query_id = self.api.open_callback(self, state, item, callback_data)
        query: dict[str, Any] = {
            "id": query_id,
            "from": self.user_dict,
            "message": item.message,
            "chat_instance": self.api.chat_instance(state),
        }
        if callback_data is not None:
            query["data"] = callback_data
        return self._push({"callback_query": query})

    async def share_contact(
        self,
        phone_number: str = "+6281234567890",
        own: bool = True,
        first_name: str | None = None,
        user_id: int | None = None,
    ) -> int:
        """Share a contact: one's own (``user_id`` is the sender) or someone else's."""
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": first_name or (self.first_name if own else "Kontak"),
        }
        if own:
            contact["user_id"] = self.id
            if self.last_name:
                contact["last_name"] = self.last_name
        elif user_id is not None:
            contact["user_id"] = user_id
        return self._post({"contact": contact})

    async def send_location(self, latitude: float, longitude: float) -> int:
        return self._post({"location": {"latitude": latitude, "longitude": longitude}})

    async def send_photo(self, caption: str | None = None) -> int:
        stored = self.api.files.add(PLACEHOLDER_PNG, "photo", mime_type="image/png")
        body: dict[str, Any] = {"photo": photo_sizes(self.api.files, stored, (1280, 960))}
        if caption:
            body["caption"] = caption
        return self._post(body)

    async def send_sticker(self, emoji: str = "👍") -> int:
        stored = self.api.files.add(PLACEHOLDER_WEBP, "sticker", mime_type="image/webp")
        return self._post({"sticker": sticker_object(stored, emoji)})

    async def send_voice(self, duration: int = 3) -> int:
        stored = self.api.files.add(PLACEHOLDER_OGG, "voice", mime_type="audio/ogg")
        return self._post({"voice": voice_object(stored, duration)})

    async def send_document(
        self,
        file_name: str = "dokumen.pdf",
        content: bytes = PLACEHOLDER_PDF,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> int:
        stored = self.api.files.add(content, "document", file_name, mime_type)
        body: dict[str, Any] = {"document": document_object(stored)}
        if caption:
            body["caption"] = caption
        return self._post(body)

    async def block(self) -> int | None:
        """Block the bot: its sends now get 403, and it is told by ``my_chat_member``."""
        return self._set_blocked(True)

    async def unblock(self) -> int | None:
        return self._set_blocked(False)

    def _set_blocked(self, blocked: bool) -> int | None:
        state = self.chat_state
        if state.blocked == blocked:
            return None
        state.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")

        def member(status: str) -> dict[str, Any]:
            entry: dict[str, Any] = {"user": self.api.bot_user, "status": status}
            if status == "kicked":
                entry["until_date"] = 0
            return entry

        update = {
            "chat": state.chat,
            "from": self.user_dict,
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return self._push({"my_chat_member": update})
