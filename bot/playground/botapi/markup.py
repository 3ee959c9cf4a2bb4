"""``reply_markup`` read and refused the way Telegram's Bot API server reads it.

A button that names several actions keeps only the first one Telegram reads (``url``, then
``callback_data``, …), exactly as Telegram answers; :class:`Markup` holds the normalised JSON the
message will carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .errors import bad_request
from .links import LinkError, check_link

MarkupKind = Literal["inline", "keyboard", "remove", "force_reply"]

MAX_CALLBACK_DATA = 64
# The order the Bot API server tries a button's actions in; the first one present wins.
_INLINE_ACTIONS = (
    "url",
    "login_url",
    "callback_data",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)
_KEYBOARD_FLAGS = ("resize_keyboard", "one_time_keyboard", "is_persistent", "selective")
_BUTTON_FLAGS = ("request_contact", "request_location")


@dataclass(frozen=True)
class Markup:
    """A validated reply markup and the JSON Telegram stores for it."""

    kind: MarkupKind
    data: dict[str, Any]

    def check_callback_data(self) -> None:
        """Callback data is 1-64 bytes of UTF-8; Telegram checks it after finding the chat."""
        for row in self.data.get("inline_keyboard", ()):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(data.encode("utf-8")) > MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")


def _flag(value: Any, name: str, prefix: str = "") -> bool:
    if not isinstance(value, bool):
        word = "Field" if prefix else "field"  # Telegram capitalises it after a prefix
        raise bad_request(f'{prefix}{word} "{name}" must be of type Boolean')
    return value


def _rows(value: Any, field: str, owner: str) -> list[list[Any]]:
    if not isinstance(value, list):
        raise bad_request(f'field "{field}" must be of type Array')
    if not all(isinstance(row, list) for row in value):
        raise bad_request(f'field "{field}" of the {owner} should be an Array of Arrays')
    return value


def _label(button: dict[str, Any], prefix: str) -> str:
    if "text" not in button:
        raise bad_request(f'{prefix}Can\'t find field "text"')
    text = button["text"]
    if not isinstance(text, str):
        raise bad_request(f'{prefix}Field "text" must be of type String')
    if not text:
        raise bad_request("BUTTON_TEXT_INVALID")
    return text


def _https(url: Any, what: str) -> None:
    try:
        checked = check_link(str(url))
    except LinkError:
        checked = ""
    if not checked.startswith("https://"):
        raise bad_request(f"{what} Web App URL '{url}' is invalid: Only HTTPS links are allowed")


def _inline_button(raw: Any) -> dict[str, Any]:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(raw, dict):
        raise bad_request(f"{prefix}InlineKeyboardButton should be an Object")
    button: dict[str, Any] = {"text": _label(raw, prefix)}
    for extra in ("icon_custom_emoji_id", "style"):
        if extra in raw:
            button[extra] = raw[extra]
    present = [
        name
        for name in _INLINE_ACTIONS
        if raw.get(name) is not None and not (name in ("url", "callback_data") and raw[name] == "")
    ]
    if not present:
        raise bad_request(f"{prefix}Text buttons are unallowed in the inline keyboard")
    action = present[0]
    value = raw[action]
    if action == "url":
        try:
            value = check_link(str(value))
        except LinkError as exc:
            raise bad_request(
                f"inline keyboard button URL '{raw[action]}' is invalid: {exc}"
            ) from exc
    elif action == "callback_data" and not isinstance(value, str):
        raise bad_request(f'{prefix}Field "callback_data" must be of type String')
    elif action == "web_app":
        _https(value.get("url") if isinstance(value, dict) else None, "inline keyboard button")
    elif action in ("callback_game", "pay"):
        raise bad_request("BUTTON_TYPE_INVALID")
    elif action == "copy_text":
        copied = value.get("text") if isinstance(value, dict) else None
        if not isinstance(copied, str) or not 0 < len(copied) <= 256:
            raise bad_request("BUTTON_COPY_TEXT_INVALID")
    button[action] = value
    return button


def _keyboard_button(raw: Any) -> dict[str, Any]:
    prefix = "can't parse keyboard button: "
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict):
        raise bad_request(f"{prefix}KeyboardButton should be a String or an Object")
    button: dict[str, Any] = {"text": _label(raw, prefix)}
    for name in _BUTTON_FLAGS:
        if name in raw and _flag(raw[name], name, prefix):
            button[name] = True
    if "web_app" in raw:
        web_app = raw["web_app"]
        _https(web_app.get("url") if isinstance(web_app, dict) else None, "keyboard button")
        button["web_app"] = web_app
    for name in ("request_users", "request_chat", "request_poll"):
        if name in raw:
            button[name] = raw[name]
    return button


def _options(raw: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for name in names:
        if name in raw and _flag(raw[name], name):
            options[name] = True
    placeholder = raw.get("input_field_placeholder")
    if placeholder:
        options["input_field_placeholder"] = str(placeholder)[:64]
    return options


def read_markup(raw: Any) -> Markup | None:
    """Validate a decoded ``reply_markup``; ``None`` when it asks for nothing."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise bad_request("object expected as reply markup")
    inline = None
    if "inline_keyboard" in raw:
        rows = _rows(raw["inline_keyboard"], "inline_keyboard", "InlineKeyboardMarkup")
        inline = Markup(
            "inline", {"inline_keyboard": [[_inline_button(b) for b in row] for row in rows]}
        )
    if "keyboard" in raw:
        rows = _rows(raw["keyboard"], "keyboard", "ReplyKeyboardMarkup")
        keyboard = [[_keyboard_button(b) for b in row] for row in rows]
        return Markup("keyboard", {"keyboard": keyboard, **_options(raw, _KEYBOARD_FLAGS)})
    if inline is not None:
        return inline
    for name in ("remove_keyboard", "hide_keyboard"):
        if name in raw:
            _flag(raw[name], name)
            return Markup("remove", {"remove_keyboard": True, **_options(raw, ("selective",))})
    if "force_reply" in raw:
        _flag(raw["force_reply"], "force_reply")
        return Markup("force_reply", {"force_reply": True, **_options(raw, ("selective",))})
    return None


def read_inline_markup(raw: Any) -> Markup | None:
    """Edits take inline keyboards only."""
    markup = read_markup(raw)
    if markup is not None and markup.kind != "inline":
        raise bad_request("inline keyboard expected")
    return markup
