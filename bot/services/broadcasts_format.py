"""A facilitator's text as Telegram HTML: everything escaped except the formatting we allow.

Formatting made with Telegram's own menu (bold, italic, links…) arrives as entities and is
converted by the handler. A facilitator may also type a few tags by hand: <b>, <i>, <u>, <s>
and <a href="https://…">. Those are kept when properly paired and nested; anything else, and
any tag left unpaired, is shown exactly as typed.
"""

from __future__ import annotations

import html
import re

MAX_TEXT = 4096
MAX_CAPTION = 1024

_TAG = re.compile(
    r'<(?:(?P<open>[bius])|a\s+href\s*=\s*"(?P<url>https?://[^"\s<>]+)"|/(?P<close>[bius]|a))\s*>',
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")


def typed_html(plain: str) -> str:
    """Plain typed text → safe HTML, keeping only well-formed allowed tags."""
    pieces: list[str] = []
    typed: dict[int, str] = {}
    stack: list[tuple[str, int]] = []
    kept: set[int] = set()
    position = 0
    for match in _TAG.finditer(plain):
        pieces.append(html.escape(plain[position:match.start()], quote=False))
        position = match.end()
        index = len(pieces)
        typed[index] = match.group()
        if match["close"]:
            name = match["close"].lower()
            pieces.append(f"</{name}>")
            if stack and stack[-1][0] == name:
                kept.update((stack.pop()[1], index))
        elif match["url"]:
            pieces.append(f'<a href="{html.escape(match["url"])}">')
            stack.append(("a", index))
        else:
            name = match["open"].lower()
            pieces.append(f"<{name}>")
            stack.append((name, index))
    pieces.append(html.escape(plain[position:], quote=False))
    for index, raw in typed.items():
        if index not in kept:
            pieces[index] = html.escape(raw, quote=False)
    return "".join(pieces)


def visible_text(markup: str) -> str:
    """What the member reads: the HTML without its tags, entities decoded."""
    return html.unescape(_ANY_TAG.sub("", markup))
