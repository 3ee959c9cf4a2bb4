"""Message text as Telegram stores it: cleaned, parsed (parse_mode or entities), trimmed, limited.

Reading happens in two steps because Telegram checks in that order: markup errors are reported
as the request is read (:func:`read_formatted`), emptiness and length only after the chat was
found (:func:`require_text`, :func:`check_caption`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from .errors import bad_request
from .html import HtmlParseError, parse_html, sort_entities, utf16_len
from .links import LinkError, check_link
from .markdown import MarkdownParseError, parse_markdown, parse_markdown_v2

MAX_TEXT = 4096
MAX_CAPTION = 1024

_FORMATTING_TYPES = frozenset(
    [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "blockquote",
        "expandable_blockquote",
        "date_time",
    ]
)
# Telegram finds these itself and ignores them when a bot passes them.
_AUTOMATIC_TYPES = frozenset(
    [
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bank_card_number",
    ]
)
_DROPPED = frozenset("\r\u2028\u2029\u202a\u202b\u202c\u202d\u202e")
_BLANK = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u2800\u3164\u115f\u1160\uffa0")


@dataclass(frozen=True)
class Formatted:
    """Plain text plus Bot API entities (UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)

    def is_blank(self) -> bool:
        """True when nothing would show: only spaces and invisible characters."""
        return all(ch.isspace() or ch in _BLANK for ch in self.text)


def _clean(text: str) -> tuple[str, list[int]]:
    """TDLib's input cleaning; also returns UTF-16 positions of dropped characters."""
    if text.isprintable() and not _DROPPED.intersection(text):
        return text, []
    out: list[str] = []
    dropped: list[int] = []
    pos = 0
    for ch in text:
        if ch in _DROPPED:
            dropped.append(pos)
        elif ord(ch) < 32 and ch not in "\n\t":
            out.append(" ")
        else:
            out.append(ch)
        pos += 2 if ord(ch) > 0xFFFF else 1
    return "".join(out), dropped


def _shift(entities: list[dict[str, Any]], dropped: list[int]) -> list[dict[str, Any]]:
    """Move entity bounds past the characters :func:`_clean` dropped."""
    if not dropped:
        return entities
    moved = []
    for entity in entities:
        start = entity["offset"] - bisect.bisect_left(dropped, entity["offset"])
        end_raw = entity["offset"] + entity["length"]
        end = end_raw - bisect.bisect_left(dropped, end_raw)
        if end > start:
            moved.append({**entity, "offset": start, "length": end - start})
    return moved


def _trim(text: str, entities: list[dict[str, Any]]) -> Formatted:
    """Cut spaces and newlines at both ends (at the start only up to the first entity)."""
    end = len(text)
    while end and text[end - 1] in " \n":
        end -= 1
    first_entity = min((e["offset"] for e in entities), default=len(text) * 2)
    start = 0
    while start < end and start < first_entity and text[start] in " \n":
        start += 1
    if start == 0 and end == len(text):
        return Formatted(text, entities)
    trimmed = text[start:end]
    limit = utf16_len(trimmed)
    kept = []
    for entity in entities:
        offset = entity["offset"] - start
        length = min(entity["length"], limit - offset)
        if length > 0:
            kept.append({**entity, "offset": offset, "length": length})
    return Formatted(trimmed, kept)


def _field(entity: dict[str, Any], name: str) -> Any:
    if name not in entity:
        raise bad_request(f"can't parse MessageEntity: Can't find field \"{name}\"")
    return entity[name]


def _explicit_entities(text: str, raw: Any) -> list[dict[str, Any]]:
    """Validate bot-given entities as the Bot API reads ``MessageEntity`` objects."""
    if not isinstance(raw, list):
        raise bad_request("can't parse entities JSON object")
    size = utf16_len(text)
    entities = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("can't parse MessageEntity: expected an Object")
        kind = _field(item, "type")
        offset, length = _field(item, "offset"), _field(item, "length")
        if kind in _AUTOMATIC_TYPES:
            continue
        if kind not in _FORMATTING_TYPES:
            raise bad_request("can't parse MessageEntity: Unsupported type specified")
        if not isinstance(offset, int) or offset < 0:
            raise bad_request(f"receive an entity with incorrect offset {offset}")
        if not isinstance(length, int) or length <= 0:
            continue
        if offset > size:
            raise bad_request(f"entity begins after the end of the text at UTF-16 offset {offset}")
        if offset + length > size:
            raise bad_request(
                f"entity beginning at UTF-16 offset {offset} ends after the end of the text "
                f"at UTF-16 offset {offset + length}"
            )
        entity: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
        if kind == "text_link":
            url = str(_field(item, "url"))
            try:
                entity["url"] = check_link(url)
            except LinkError as exc:
                raise bad_request(f"entity URL '{url}' is invalid: {exc}") from exc
        elif kind == "text_mention":
            entity["user"] = _field(item, "user")
        elif kind == "custom_emoji":
            emoji_id = str(_field(item, "custom_emoji_id"))
            if not emoji_id.isdigit() or not 0 < int(emoji_id) < 2**63:
                raise bad_request(
                    'can\'t parse MessageEntity: Field "custom_emoji_id" must be a valid Number'
                )
            entity["custom_emoji_id"] = emoji_id
        elif kind == "pre" and item.get("language"):
            entity["language"] = str(item["language"])
        elif kind == "date_time":
            entity["unix_time"] = _field(item, "unix_time")
        entities.append(entity)
    return sort_entities(entities)


_PARSERS = {"html": parse_html, "markdown": parse_markdown, "markdownv2": parse_markdown_v2}


def read_formatted(text: str, parse_mode: str | None, entities: Any) -> Formatted:
    """Parse ``text`` per ``parse_mode`` (which wins over ``entities``), then clean and trim."""
    mode = (parse_mode or "").lower()
    parser = _PARSERS.get(mode)
    if parser is not None:
        cleaned, _ = _clean(text)
        try:
            plain, parsed = parser(cleaned)
        except (HtmlParseError, MarkdownParseError) as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
        return _trim(plain, parsed)
    if mode not in ("", "none"):
        raise bad_request("unsupported parse_mode")
    given = _explicit_entities(text, entities) if entities is not None else []
    cleaned, dropped = _clean(text)
    return _trim(cleaned, _shift(given, dropped))


def require_text(formatted: Formatted, too_long: str = "message is too long") -> None:
    """Telegram's post-lookup checks on a message text."""
    if formatted.is_blank():
        raise bad_request("text must be non-empty")
    if len(formatted.text) > MAX_TEXT:
        raise bad_request(too_long)


def check_caption(formatted: Formatted, too_long: str = "message caption is too long") -> None:
    """Telegram's post-lookup length check on a caption (a blank caption is simply dropped)."""
    if len(formatted.text) > MAX_CAPTION:
        raise bad_request(too_long)
