"""Telegram's Markdown and MarkdownV2 parse modes: refusals as Telegram words them."""

from __future__ import annotations

import pytest
import telegram
from hypothesis import given
from hypothesis import strategies as st
from telegram.error import BadRequest

from bot.playground.botapi import FakeBotApi
from bot.playground.botapi.markdown import MarkdownParseError, parse_markdown, parse_markdown_v2

_V2_SPECIAL = "\\_*[]()~`>#+-=|{}.!"


@pytest.mark.parametrize(
    ("markdown", "error"),
    [
        ("*unclosed", "Can't find end of Bold entity at byte offset 0"),
        ("*bold _italic\\_*", "Can't find end of Bold entity at byte offset 15"),
        ("hello.", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("a-b", "Character '-' is reserved and must be escaped with the preceding '\\'"),
        ("test()", "Character '(' is reserved and must be escaped with the preceding '\\'"),
        ("#tag", "Character '#' is reserved and must be escaped with the preceding '\\'"),
        ("[link](http://x.org", "Can't find end of a URL at byte offset 7"),
    ],
)
def test_markdown_v2_refusals(markdown: str, error: str) -> None:
    with pytest.raises(MarkdownParseError) as refused:
        parse_markdown_v2(markdown)
    assert str(refused.value) == error


def test_markdown_v2_entities() -> None:
    text, entities = parse_markdown_v2(
        "*tebal* _miring_ __garis__ ~coret~ ||rahasia|| `kode` [tautan](https://x.org) \\."
    )
    assert text == "tebal miring garis coret rahasia kode tautan ."
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    assert parse_markdown_v2("```python\nprint(1)\n```") == (
        "print(1)\n",
        [{"type": "pre", "offset": 0, "length": 9, "language": "python"}],
    )
    assert parse_markdown_v2(">kutipan\n>lanjut\nbiasa")[1] == [
        {"type": "blockquote", "offset": 0, "length": 14}
    ]


def test_legacy_markdown() -> None:
    assert parse_markdown("*tebal* a.b [x](https://x.org)") == (
        "tebal a.b x",
        [
            {"type": "bold", "offset": 0, "length": 5},
            {"type": "text_link", "offset": 10, "length": 1, "url": "https://x.org/"},
        ],
    )
    with pytest.raises(MarkdownParseError, match="end of the entity starting at byte offset 2"):
        parse_markdown("a _miring")


@given(st.text())
def test_escaped_markdown_v2_round_trips(text: str) -> None:
    escaped = "".join("\\" + ch if ch in _V2_SPECIAL else ch for ch in text)
    assert parse_markdown_v2(escaped) == (text, [])


async def test_bots_can_send_markdown_v2(api: FakeBotApi, bot: telegram.Bot) -> None:
    await api.user(1001).send("/start")
    sent = await bot.send_message(1001, "*Halo* Siti\\!", parse_mode="MarkdownV2")
    assert (sent.text, api.user(1001).last_reply.html) == ("Halo Siti!", "<b>Halo</b> Siti!")
    with pytest.raises(BadRequest, match="character '!' is reserved"):
        await bot.send_message(1001, "Halo!", parse_mode="MarkdownV2")
