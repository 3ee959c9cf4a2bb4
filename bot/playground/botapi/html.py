"""Telegram's HTML parse mode, ported from TDLib's ``parse_html`` so refusals match byte for byte.

The parser walks the UTF-8 bytes exactly as TDLib does, which is why error positions are byte
offsets and entity positions are UTF-16 code units. :func:`entities_to_html` goes the other way,
so the playground can show what the user sees without trusting the bot's raw markup.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from .links import LinkError, check_link, tg_user_id

_ALLOWED_TAGS = frozenset(
    [
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "span",
        "pre",
        "code",
        "blockquote",
    ]
)
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}
# TDLib's MessageEntity::get_type_priority: order of entities sharing offset and length.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_SPACES = frozenset(b" \t\r\n\0\v\f")
_HEX_DIGITS = "0123456789abcdefABCDEF"


class HtmlParseError(ValueError):
    """Refused markup; ``str(error)`` is TDLib's text (the Bot API prefixes it)."""


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    byte_pos: int
    attributes: dict[str, str] = field(default_factory=dict)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Telegram's entity order: by offset, longer first, then by type priority."""
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


def _decode_entity(s: bytes, pos: int) -> tuple[int, int]:
    """TDLib's ``decode_html_entity``: (code point, next position), or (0, pos) if none."""
    end = pos + 1
    res = 0
    if s[end] == 0x23:  # '#'
        end += 1
        if s[end] == 0x78:  # 'x'
            end += 1
            while chr(s[end]) in _HEX_DIGITS:
                res = res * 16 + int(chr(s[end]), 16)
                end += 1
                if res >= 0x10FFFF:
                    return 0, pos
        else:
            while 0x30 <= s[end] <= 0x39:
                res = res * 10 + s[end] - 0x30
                end += 1
                if res >= 0x10FFFF:
                    return 0, pos
        if res == 0 or 0xD800 <= res <= 0xDFFF:
            return 0, pos
    else:
        while (0x41 <= s[end] <= 0x5A) or (0x61 <= s[end] <= 0x7A):
            end += 1
        res = _NAMED_ENTITIES.get(s[pos + 1 : end], 0)
        if not res:
            return 0, pos
    if s[end] == 0x3B:  # ';'
        end += 1
    return res, end


def _is_name_char(c: int) -> bool:
    return chr(c).isascii() and (chr(c).isalnum() or c in (0x2E, 0x2D))


class _Parser:
    """One run of the parser; state mirrors TDLib's locals."""

    def __init__(self, text: str) -> None:
        self.src = text.encode("utf-8")
        self.s = self.src + b"\0"
        self.out = bytearray()
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []
        self.stack: list[_Open] = []

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        s, n, i = self.s, len(self.src), 0
        while i < n:
            c = s[i]
            if c == 0x26:
                ch, after = _decode_entity(s, i)
                if ch:
                    self.out += chr(ch).encode("utf-8")
                    self.utf16 += 2 if ch > 0xFFFF else 1
                    i = after
                    continue
            if c != 0x3C:
                stop = self._next_special(i + 1, n)
                chunk = self.src[i:stop]
                self.out += chunk
                self.utf16 += utf16_len(chunk.decode("utf-8"))
                i = stop
                continue
            i = self._end_tag(i) if s[i + 1] == 0x2F else self._start_tag(i)
        if self.stack:
            tag = self.stack[-1].tag
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        for entity in self.entities:
            entity.pop("_language", None)
        return self.out.decode("utf-8"), sort_entities(self.entities)

    def _next_special(self, start: int, n: int) -> int:
        lt = self.src.find(b"<", start)
        amp = self.src.find(b"&", start)
        found = [p for p in (lt, amp) if p >= 0]
        return min(found) if found else n

    def _start_tag(self, begin: int) -> int:
        s = self.s
        i = begin + 1
        while s[i] not in _SPACES and s[i] != 0x3E:
            i += 1
        if s[i] == 0:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        tag = s[begin + 1 : i].decode("utf-8", "replace").lower()
        if tag not in _ALLOWED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        opened = _Open(tag, "", self.utf16, len(self.out))
        while s[i] != 0x3E:
            while s[i] != 0 and s[i] in _SPACES:
                i += 1
            if s[i] == 0x3E:
                break
            name_begin = i
            while s[i] not in _SPACES and s[i] not in (0x3D, 0x3E):
                i += 1
            name = s[name_begin:i].decode("utf-8", "replace")
            if not name:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                )
            while s[i] != 0 and s[i] in _SPACES:
                i += 1
            if s[i] != 0x3D:
                if tag == "blockquote" and name == "expandable":
                    opened.argument = "1"
                    continue
                raise HtmlParseError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {begin}'
                )
            i += 1
            while s[i] != 0 and s[i] in _SPACES:
                i += 1
            if s[i] == 0:
                raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            value, i = self._attribute_value(i)
            self._apply_attribute(opened, name, value)
        if tag == "span" and opened.argument != "spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.stack.append(opened)
        return i + 1

    def _attribute_value(self, i: int) -> tuple[str, int]:
        s = self.s
        if s[i] not in (0x22, 0x27):
            token_begin = i
            while _is_name_char(s[i]):
                i += 1
            if s[i] not in _SPACES and s[i] != 0x3E:
                raise HtmlParseError(f"Unexpected end of name token at byte offset {token_begin}")
            return s[token_begin:i].decode("ascii").lower(), i
        quote = s[i]
        i += 1
        value_begin = i
        buf = bytearray()
        while s[i] != quote and s[i] != 0:
            if s[i] == 0x26:
                ch, after = _decode_entity(s, i)
                if ch:
                    buf += chr(ch).encode("utf-8")
                    i = after
                    continue
            buf.append(s[i])
            i += 1
        if s[i] == quote:
            i += 1
        if s[i] == 0:
            raise HtmlParseError(f"Unclosed start tag at byte offset {value_begin}")
        return buf.decode("utf-8", "replace"), i

    @staticmethod
    def _apply_attribute(opened: _Open, name: str, value: str) -> None:
        tag = opened.tag
        if tag == "a" and name == "href":
            opened.argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            opened.argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            opened.argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            opened.argument = value
        elif tag == "tg-time" and name in ("unix", "format"):
            opened.attributes[name] = value

    def _end_tag(self, begin: int) -> int:
        s = self.s
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 1
        while s[i] not in _SPACES and s[i] != 0x3E:
            i += 1
        end_name = s[begin + 2 : i].decode("utf-8", "replace").lower()
        while s[i] != 0 and s[i] in _SPACES:
            i += 1
        if s[i] != 0x3E:
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        opened = self.stack[-1]
        if end_name and end_name != opened.tag:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{opened.tag}>", '
                f'found "</{end_name}>"'
            )
        if self.utf16 > opened.utf16_offset:
            self._close(opened)
        self.stack.pop()
        return i + 1

    def _close(self, opened: _Open) -> None:
        offset, length = opened.utf16_offset, self.utf16 - opened.utf16_offset
        tag, argument = opened.tag, opened.argument
        last = self.entities[-1] if self.entities else None
        same_range = last is not None and (last["offset"], last["length"]) == (offset, length)
        if tag in _SIMPLE_TAGS:
            self._add(_SIMPLE_TAGS[tag], offset, length)
        elif tag == "tg-emoji":
            try:
                emoji_id = int(argument)
            except ValueError:
                emoji_id = 0
            if not 0 < emoji_id < 2**63:
                raise HtmlParseError("Invalid custom emoji identifier specified")
            self._add("custom_emoji", offset, length, custom_emoji_id=argument)
        elif tag == "tg-time":
            unix = opened.attributes.get("unix", "")
            if unix.isdigit() and int(unix) > 0:
                extra: dict[str, Any] = {"unix_time": int(unix)}
                if opened.attributes.get("format"):
                    extra["date_time_format"] = opened.attributes["format"]
                self._add("date_time", offset, length, **extra)
        elif tag == "a":
            url = argument or self.out[opened.byte_pos :].decode("utf-8")
            user_id = tg_user_id(url)
            if user_id is not None:
                user = {"id": user_id, "is_bot": False, "first_name": ""}
                self._add("text_mention", offset, length, user=user)
            else:
                with contextlib.suppress(LinkError):  # Telegram drops links it refuses
                    self._add("text_link", offset, length, url=check_link(url))
        elif tag == "pre":
            if same_range and last is not None and last["type"] == "code" and "_language" in last:
                last["type"] = "pre"
                last["language"] = last.pop("_language")
            else:
                self._add("pre", offset, length)
        elif tag == "code":
            if last is not None and same_range and last["type"] == "pre" and argument:
                last["language"] = argument
            else:
                entity = self._add("code", offset, length)
                if argument:
                    entity["_language"] = argument  # only kept if a <pre> closes around it
        elif tag == "blockquote":
            self._add("expandable_blockquote" if argument else "blockquote", offset, length)

    def _add(self, kind: str, offset: int, length: int, **extra: Any) -> dict[str, Any]:
        entity = {"type": kind, "offset": offset, "length": length, **extra}
        self.entities.append(entity)
        return entity


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and Bot API entities of ``text``; raises :class:`HtmlParseError` as Telegram."""
    if "<" not in text and "&" not in text:
        return text, []
    return _Parser(text).run()


def escape(text: str) -> str:
    """Escape the three characters Telegram's HTML mode requires escaping (plus quotes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return escape(value).replace('"', "&quot;")


def _open_tag(entity: dict[str, Any]) -> tuple[str, str] | None:
    """Start and end tag that show ``entity``, or None for entities that are not formatting."""
    kind = entity["type"]
    simple = {
        "bold": "b",
        "italic": "i",
        "underline": "u",
        "strikethrough": "s",
        "spoiler": "tg-spoiler",
        "code": "code",
        "blockquote": "blockquote",
    }
    if kind in simple:
        return f"<{simple[kind]}>", f"</{simple[kind]}>"
    if kind == "pre":
        if entity.get("language"):
            return f'<pre><code class="language-{_attr(entity["language"])}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "expandable_blockquote":
        return "<blockquote expandable>", "</blockquote>"
    if kind == "text_link":
        return f'<a href="{_attr(entity["url"])}">', "</a>"
    if kind == "text_mention":
        return f'<a href="tg://user?id={entity["user"]["id"]}">', "</a>"
    if kind == "custom_emoji":
        return f'<tg-emoji emoji-id="{_attr(entity["custom_emoji_id"])}">', "</tg-emoji>"
    if kind == "date_time":
        fmt = entity.get("date_time_format")
        extra = f' format="{_attr(fmt)}"' if fmt else ""
        return f'<tg-time unix="{entity["unix_time"]}"{extra}>', "</tg-time>"
    return None


def entities_to_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Render plain text plus entities as the HTML Telegram would accept back.

    Entities that cross instead of nesting are closed and reopened around the boundary.
    """
    tagged = [(e, tags) for e in sort_entities(entities) if (tags := _open_tag(e))]
    if not tagged:
        return escape(text)
    starts: dict[int, list[tuple[dict[str, Any], tuple[str, str]]]] = {}
    for entity, tags in tagged:
        starts.setdefault(entity["offset"], []).append((entity, tags))
    parts: list[str] = []
    open_stack: list[tuple[int, tuple[str, str]]] = []  # (end offset, tags), innermost last
    pos = 0
    for ch in [*text, ""]:
        if any(end <= pos for end, _ in open_stack):
            reopen: list[tuple[int, tuple[str, str]]] = []
            while any(end <= pos for end, _ in open_stack):
                end, tags = open_stack.pop()
                parts.append(tags[1])
                if end > pos:
                    reopen.append((end, tags))
            for end, tags in reversed(reopen):
                parts.append(tags[0])
                open_stack.append((end, tags))
        for entity, tags in starts.get(pos, []):
            parts.append(tags[0])
            open_stack.append((entity["offset"] + entity["length"], tags))
        parts.append(escape(ch))
        pos += 2 if ch and ord(ch) > 0xFFFF else 1
    return "".join(parts)
