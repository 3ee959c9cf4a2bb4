"""Telegram's HTML parse mode: exact refusals, entities in UTF-16, and round trips."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.playground.botapi.html import (
    HtmlParseError,
    entities_to_html,
    escape,
    parse_html,
    sort_entities,
    utf16_len,
)


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        (
            "<b><i>test</b></i>",
            'Unmatched end tag at byte offset 10, expected "</i>", found "</b>"',
        ),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("text</b>", "Unexpected end tag at byte offset 4"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        (
            "<a href>x</a>",
            'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0',
        ),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("é <i>", 'Can\'t find end tag corresponding to start tag "i"'),
        ("é<x>", 'Unsupported start tag "x" at byte offset 2'),  # byte, not character, offset
    ],
)
def test_refusals_use_telegrams_words(html: str, error: str) -> None:
    with pytest.raises(HtmlParseError) as refused:
        parse_html(html)
    assert str(refused.value) == error


def test_entities_and_escapes() -> None:
    text, entities = parse_html(
        "<b>Tebal</b> &lt;tag&gt; &amp; &quot;kutip&quot; &#128512;&#x41; <i>miring</i>"
    )
    assert text == 'Tebal <tag> & "kutip" 😀A miring'
    assert entities == [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "italic", "offset": 26, "length": 6},  # the emoji counts two UTF-16 units
    ]


def test_unknown_ampersand_sequences_are_kept_literally() -> None:
    assert parse_html("AT&T &nbsp; &#0; &") == ("AT&T &nbsp; &#0; &", [])


def test_all_supported_tags() -> None:
    html = (
        "<strong>b</strong><em>i</em><ins>u</ins><del>s</del><tg-spoiler>p</tg-spoiler>"
        '<a href="example.com">l</a><code>c</code>'
        '<pre><code class="language-python">x</code></pre>'
        "<blockquote>q</blockquote><blockquote expandable>e</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><a href="tg://user?id=7">m</a>'
    )
    text, entities = parse_html(html)
    assert text == "biusplcxqe👍m"
    kinds = [(e["type"], e["offset"], e["length"]) for e in entities]
    assert kinds == [
        ("bold", 0, 1),
        ("italic", 1, 1),
        ("underline", 2, 1),
        ("strikethrough", 3, 1),
        ("spoiler", 4, 1),
        ("text_link", 5, 1),
        ("code", 6, 1),
        ("pre", 7, 1),
        ("blockquote", 8, 1),
        ("expandable_blockquote", 9, 1),
        ("custom_emoji", 10, 2),
        ("text_mention", 12, 1),
    ]
    assert entities[5]["url"] == "http://example.com/"
    assert entities[7]["language"] == "python"
    assert entities[11]["user"]["id"] == 7


def test_invalid_link_is_dropped_not_refused() -> None:
    assert parse_html('<a href="javascript:alert(1)">x</a>') == ("x", [])


@given(st.text())
def test_escaped_text_round_trips(text: str) -> None:
    plain, entities = parse_html(escape(text))
    assert plain == text
    assert entities == []
    assert utf16_len(plain) == len(text.encode("utf-16-le")) // 2


_TAGS = ["bold", "italic", "underline", "strikethrough", "spoiler", "code", "blockquote"]
_leaf = st.text(min_size=1, max_size=8).map(lambda s: ("text", s))
_tree = st.recursive(
    _leaf,
    lambda children: st.tuples(st.sampled_from(_TAGS), st.lists(children, min_size=1, max_size=3)),
    max_leaves=12,
)


def _flatten(node: Any, text: list[str], entities: list[dict[str, Any]]) -> None:
    kind, content = node
    if kind == "text":
        text.append(content)
        return
    start = utf16_len("".join(text))
    for child in content:
        _flatten(child, text, entities)
    entities.append({"type": kind, "offset": start, "length": utf16_len("".join(text)) - start})


@given(st.lists(_tree, min_size=1, max_size=4))
def test_rendered_entities_parse_back_to_the_same(trees: list[Any]) -> None:
    parts: list[str] = []
    entities: list[dict[str, Any]] = []
    for tree in trees:
        _flatten(tree, parts, entities)
    text = "".join(parts)
    assert parse_html(entities_to_html(text, entities)) == (text, sort_entities(entities))


def test_crossing_entities_are_split_when_rendered() -> None:
    entities = [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 2, "length": 4},
    ]
    assert entities_to_html("abcdef", entities) == "<b>ab<i>cd</i></b><i>ef</i>"
