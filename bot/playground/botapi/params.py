"""Request parameters decoded to the types Telegram reads them as.

Clients send every field as a string (form or multipart) or as JSON; Telegram converts each by
the field's declared type, so ``chat_id="123"`` is an Integer and ``reply_markup`` is parsed JSON.
The type comes from a built-in table of the fields this fake serves, then from the loaded spec.
A JSON field that does not parse is only refused when a method reads it, so the order of
refusals follows the method, as on Telegram.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .errors import bad_request

Kind = Literal["int", "float", "bool", "str", "json", "int_or_str", "file_or_str", "file"]


@dataclass(frozen=True)
class UploadedFile:
    """A multipart file part, as the bot uploaded it."""

    filename: str | None
    content_type: str | None
    data: bytes


_KINDS: dict[Kind, Sequence[str]] = {
    "int": [
        "message_id",
        "offset",
        "limit",
        "timeout",
        "message_thread_id",
        "reply_to_message_id",
        "cache_time",
        "max_connections",
        "live_period",
        "heading",
        "proximity_alert_radius",
        "duration",
        "width",
        "height",
        "user_id",
        "until_date",
        "direct_messages_topic_id",
        "video_start_timestamp",
    ],
    "float": ("latitude", "longitude", "horizontal_accuracy"),
    "bool": [
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "show_alert",
        "drop_pending_updates",
        "is_big",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "allow_paid_broadcast",
        "show_caption_above_media",
        "has_spoiler",
        "remove_caption",
    ],
    "json": [
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "menu_button",
        "message_ids",
        "reaction",
        "reply_parameters",
        "link_preview_options",
        "suggested_post_parameters",
    ],
    "int_or_str": ("chat_id", "from_chat_id"),
    "file_or_str": ("photo", "document", "thumbnail", "sticker", "voice", "audio", "video"),
    "file": ("certificate",),
}
FIELD_KINDS: dict[str, Kind] = {name: kind for kind, names in _KINDS.items() for name in names}

# How Telegram names a JSON field in "can't parse … JSON object".
_JSON_NAMES = {
    "reply_markup": "reply keyboard markup",
    "entities": "entities",
    "caption_entities": "entities",
    "reply_parameters": "reply parameters",
    "link_preview_options": "link preview options",
    "message_ids": "message identifiers",
    "scope": "BotCommandScope",
}
_TRUE = frozenset(("true", "1", "yes"))


def _decode(name: str, kind: Kind, value: Any) -> tuple[Any, str | None]:
    """Decoded value plus the refusal to give if a method reads it undecodable."""
    if isinstance(value, UploadedFile) or kind == "file":
        return value, None
    if kind == "json":
        if not isinstance(value, str):
            return value, None
        try:
            return json.loads(value), None
        except ValueError:
            what = _JSON_NAMES.get(name, name.replace("_", " "))
            return value, f"can't parse {what} JSON object"
    if not isinstance(value, str):
        if kind in ("str", "file_or_str"):
            return (json.dumps(value) if isinstance(value, bool) else str(value)), None
        return value, None
    if kind == "bool":
        return value.strip().lower() in _TRUE, None
    if kind in ("int", "int_or_str"):
        try:
            return int(value), None
        except ValueError:
            return value, None
    if kind == "float":
        try:
            return float(value), None
        except ValueError:
            return value, None
    return value, None


class Params:
    """Decoded parameters of one call, with getters that refuse as Telegram does."""

    def __init__(self, raw: Mapping[str, Any], kind_of: Callable[[str], Kind]) -> None:
        self.values: dict[str, Any] = {}
        self._errors: dict[str, str] = {}
        for name, value in raw.items():
            if kind_of(name) == "json" and value == "":
                continue  # Telegram treats an empty JSON field as absent
            decoded, error = _decode(name, kind_of(name), value)
            self.values[name] = decoded
            if error:
                self._errors[name] = error

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def get(self, name: str) -> Any:
        """The decoded value; refuses an undecodable JSON field."""
        if name in self._errors:
            raise bad_request(self._errors[name])
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.get(name)
        return value if isinstance(value, str) else None

    def integer(self, name: str) -> int | None:
        value = self.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def number(self, name: str) -> float | None:
        value = self.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return None

    def flag(self, name: str) -> bool:
        return self.get(name) is True

    def required(self, name: str, message: str | None = None) -> Any:
        """A present, non-empty value, else Telegram's ``<field> is empty`` refusal."""
        value = self.get(name)
        if value is None or value == "":
            raise bad_request(message or f"{name} is empty")
        return value

    def chat_id(self, name: str = "chat_id") -> int | str:
        value = self.required(name)
        return value if isinstance(value, int | str) else str(value)
