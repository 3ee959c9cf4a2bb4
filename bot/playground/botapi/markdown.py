"""Telegram's Markdown and MarkdownV2 parse modes, ported from TDLib's parsers.

Like :mod:`.html`, the parsers walk UTF-8 bytes so that refusals quote TDLib's byte offsets
("Can't find end of Bold entity at byte offset 0") and entities use UTF-16 offsets. Block
quotes (``>`` lines, ``**>`` … ``||`` for expandable ones) follow the Bot API documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .html import sort_entities
from .links import LinkError, check_link, tg_user_id

_V2_RESERVED = b"_*[]()~`>#+-=|{}.!"
_SPACES = frozenset(b" \t\r\n\0\v\f")
# TDLib's names for entity types in "Can't find end of … entity".
_TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


class MarkdownParseError(ValueError):
    """Refused markup; ``str(error)`` is TDLib's text."""


def _link_entity(url: str, offset: int, length: int) -> dict[str, Any] | None:
    """A link or mention entity, or None when Telegram drops the link as invalid."""
    user_id = tg_user_id(url)
    if user_id is not None:
        user = {"id": user_id, "is_bot": False, "first_name": ""}
        return {"type": "text_mention", "offset": offset, "length": length, "user": user}
    try:
        return {"type": "text_link", "offset": offset, "length": length, "url": check_link(url)}
    except LinkError:
        return None


def _pre_language(s: bytes, i: int) -> tuple[str, int]:
    """After an opening ```: the language word (if any) and where the code starts."""
    end = i
    while s[end] not in _SPACES and s[end] != 0x60:
        end += 1
    language = ""
    if i != end and s[end] != 0 and s[end] != 0x60:
        language = s[i:end].decode("utf-8", "replace")
        i = end
    if s[i] in (0x0A, 0x0D):  # one leading line break belongs to the markup
        i += 2 if s[i + 1] in (0x0A, 0x0D) and s[i] != s[i + 1] else 1
    return language, i


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy ``Markdown``: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    src = text.encode("utf-8")
    s, size = src + b"\0\0\0", len(src)
    out = bytearray()
    entities: list[dict[str, Any]] = []
    utf16 = 0
    i = 0
    while i < size:
        c = s[i]
        if c == 0x5C and s[i + 1] in b"_*`[":
            out.append(s[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in b"_*`[":
            out.append(c)
            utf16 += 0 if 0x80 <= c < 0xC0 else 2 if c >= 0xF0 else 1
            i += 1
            continue
        begin = i
        end_char = 0x5D if c == 0x5B else c
        i += 1
        is_pre = c == 0x60 and s[i] == 0x60 and s[i + 1] == 0x60
        language = ""
        if is_pre:
            language, i = _pre_language(s, i + 2)
        offset = utf16
        while i < size and (s[i] != end_char or (is_pre and not (s[i + 1] == s[i + 2] == 0x60))):
            out.append(s[i])
            utf16 += 0 if 0x80 <= s[i] < 0xC0 else 2 if s[i] >= 0xF0 else 1
            i += 1
        if i >= size:
            raise MarkdownParseError(
                f"Can't find end of the entity starting at byte offset {begin}"
            )
        length = utf16 - offset
        if c == 0x5B and length:  # an empty link keeps its "(url)" as text, as in TDLib
            if s[i + 1] == 0x28:
                url_begin = i + 2
                i = src.find(b")", url_begin)
                i = size if i < 0 else i
                url = src[url_begin:i].decode("utf-8", "replace")
            else:
                url = src[begin + 1 : i].decode("utf-8", "replace")
            link = _link_entity(url, offset, length)
            if link:
                entities.append(link)
        elif length and c != 0x5B:
            kind = {0x5F: "italic", 0x2A: "bold"}.get(c, "pre" if is_pre else "code")
            entity: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
            if language:
                entity["language"] = language
            entities.append(entity)
        i += 3 if is_pre else 1
    return out.decode("utf-8"), sort_entities(entities)


@dataclass
class _Open:
    kind: str
    argument: str
    utf16_offset: int
    byte_offset: int
    out_pos: int


class _V2:
    """One run of the MarkdownV2 parser."""

    def __init__(self, text: str) -> None:
        self.src = text.encode("utf-8")
        self.s = self.src + b"\0\0\0"
        self.out = bytearray()
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []
        self.stack: list[_Open] = []
        self.quote: tuple[int, bool] | None = None  # (utf16 start, expandable)

    def _emit(self, byte: int) -> None:
        self.out.append(byte)
        self.utf16 += 0 if 0x80 <= byte < 0xC0 else 2 if byte >= 0xF0 else 1

    def _in_code(self) -> bool:
        return bool(self.stack) and self.stack[-1].kind in ("code", "pre")

    def _close_quote(self) -> None:
        if self.quote is None:
            return
        start, expandable = self.quote
        if self.utf16 > start:
            kind = "expandable_blockquote" if expandable else "blockquote"
            self.entities.append({"type": kind, "offset": start, "length": self.utf16 - start})
        self.quote = None

    def _quote_marker(self, i: int) -> int:
        """Length of a block quote marker (``>`` or ``**>``) at ``i``, 0 if there is none."""
        s = self.s
        if self._in_code():
            return 0
        if s[i] == 0x3E:
            return 1
        return 3 if s[i] == s[i + 1] == 0x2A and s[i + 2] == 0x3E else 0

    def _line_start(self, i: int) -> int:
        """Open or continue a block quote at a line start; returns where the text begins."""
        marker = self._quote_marker(i)
        if marker and self.quote is None:
            self.quote = (self.utf16, marker == 3)
        return i + marker

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        s, size = self.s, len(self.src)
        i = self._line_start(0)
        while i < size:
            c = s[i]
            if c == 0x5C and 0 < s[i + 1] <= 126:
                self._emit(s[i + 1])
                i += 2
                continue
            if c == 0x0A:
                if not self._quote_marker(i + 1):
                    self._close_quote()  # the quote ends with its last line, before the break
                self._emit(c)
                i = self._line_start(i + 1)
                continue
            quote_end = self.quote and self.quote[1] and c == s[i + 1] == 0x7C
            if quote_end and s[i + 2] in (0x0A, 0) and not self._in_code():
                self._close_quote()
                i += 2
                continue
            reserved = b"`" if self._in_code() else _V2_RESERVED
            if c not in reserved:
                self._emit(c)
                i += 1
                continue
            i = self._close(i) if self._ends_entity(i) else self._open(i)
        if self.stack:
            top = self.stack[-1]
            raise MarkdownParseError(
                f"Can't find end of {_TYPE_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
            )
        self._close_quote()
        return self.out.decode("utf-8"), sort_entities(self.entities)

    def _ends_entity(self, i: int) -> bool:
        if not self.stack:
            return False
        s, c, kind = self.s, self.s[i], self.stack[-1].kind
        return {
            "bold": c == 0x2A,
            "italic": c == 0x5F and s[i + 1] != 0x5F,
            "code": c == 0x60,
            "pre": c == 0x60 and s[i + 1] == 0x60 and s[i + 2] == 0x60,
            "text_link": c == 0x5D,
            "underline": c == 0x5F and s[i + 1] == 0x5F,
            "strikethrough": c == 0x7E,
            "spoiler": c == 0x7C and s[i + 1] == 0x7C,
            "custom_emoji": c == 0x5D,
        }[kind]

    def _reserved(self, i: int) -> MarkdownParseError:
        char = chr(self.s[i])
        return MarkdownParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )

    def _open(self, i: int) -> int:
        s, c = self.s, self.s[i]
        begin = i
        argument = ""
        if c == 0x5F:
            kind = "underline" if s[i + 1] == 0x5F else "italic"
            i += 1 if kind == "underline" else 0
        elif c == 0x2A:
            kind = "bold"
        elif c == 0x7E:
            kind = "strikethrough"
        elif c == 0x7C and s[i + 1] == 0x7C:
            kind, i = "spoiler", i + 1
        elif c == 0x5B:
            kind = "text_link"
        elif c == 0x60 and s[i + 1] == s[i + 2] == 0x60:
            kind = "pre"
            argument, i = _pre_language(s, i + 3)
            i -= 1
        elif c == 0x60:
            kind = "code"
        elif c == 0x21 and s[i + 1] == 0x5B:
            kind, i = "custom_emoji", i + 1
        else:
            raise self._reserved(i)
        self.stack.append(_Open(kind, argument, self.utf16, begin, len(self.out)))
        return i + 1

    def _url(self, i: int, what: str) -> tuple[str, int]:
        """The ``(…)`` after a link; ``i`` is at ``(``. Returns the URL and the index past ``)``."""
        s, size = self.s, len(self.src)
        i += 1
        begin = i
        url = bytearray()
        while i < size and s[i] != 0x29:
            if s[i] == 0x5C and 0 < s[i + 1] <= 126:
                url.append(s[i + 1])
                i += 2
                continue
            url.append(s[i])
            i += 1
        if s[i] != 0x29:
            raise MarkdownParseError(f"Can't find end of {what} at byte offset {begin}")
        return url.decode("utf-8", "replace"), i + 1

    def _close(self, i: int) -> int:
        s = self.s
        opened = self.stack.pop()
        offset, length = opened.utf16_offset, self.utf16 - opened.utf16_offset
        kind = opened.kind
        if kind in ("underline", "spoiler"):
            i += 2
        elif kind == "pre":
            i += 3
        elif kind == "text_link":
            if s[i + 1] == 0x28:
                url, i = self._url(i + 1, "a URL")
            else:
                url, i = self.out[opened.out_pos :].decode("utf-8"), i + 1
            link = _link_entity(url, offset, length) if length else None
            if link:
                self.entities.append(link)
            return i
        elif kind == "custom_emoji":
            if s[i + 1] != 0x28:
                raise MarkdownParseError("Custom emoji entity must contain a tg://emoji URL")
            url, i = self._url(i + 1, "a custom emoji URL")
            emoji_id = url.partition("tg://emoji?id=")[2]
            if not url.startswith("tg://emoji?id=") or not emoji_id.isdigit():
                raise MarkdownParseError("Invalid custom emoji URL specified")
            if length:
                self.entities.append(
                    {"type": kind, "offset": offset, "length": length, "custom_emoji_id": emoji_id}
                )
            return i
        else:
            i += 1
        if length:
            entity: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
            if kind == "pre" and opened.argument:
                entity["language"] = opened.argument
            self.entities.append(entity)
        return i


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """``MarkdownV2``: every reserved character outside an entity must be escaped."""
    return _V2(text).run()
