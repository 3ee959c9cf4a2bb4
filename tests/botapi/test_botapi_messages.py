"""Sending, editing and deleting through the real PTB ``Bot``, refused where Telegram refuses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken

from bot.playground.botapi import FakeBotApi

RawCall = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]


def _keyboard(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(buttons)])


async def _started(api: FakeBotApi, user_id: int = 1001) -> None:
    """A user who has written to the bot, which Telegram requires before the bot may write."""
    await api.user(user_id).send("/start")


async def test_send_message_returns_a_parsed_message(api: FakeBotApi, bot: telegram.Bot) -> None:
    await _started(api)
    sent = await bot.send_message(
        1001,
        "\n<b>Halo</b>, Siti &amp; teman!  \n",
        parse_mode="HTML",
        reply_markup=_keyboard(InlineKeyboardButton("Kopi", callback_data="kopi")),
    )
    assert sent.text == "Halo, Siti & teman!"  # trimmed as Telegram trims
    assert sent.from_user.username == "BerdayaBot"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "kopi"
    item = api.user(1001).last_reply
    assert (item.message_id, item.html) == (sent.message_id, "<b>Halo</b>, Siti &amp; teman!")
    assert item.inline_keyboard == [[{"text": "Kopi", "callback_data": "kopi"}]]


async def test_message_ids_increase_per_chat(api: FakeBotApi, bot: telegram.Bot) -> None:
    await _started(api, 1001)
    await _started(api, 1002)
    first = await bot.send_message(1001, "a")
    other = await bot.send_message(1002, "b")
    second = await bot.send_message(1001, "c")
    assert (first.message_id, other.message_id, second.message_id) == (2, 2, 3)


async def test_text_limit_counts_parsed_text(api: FakeBotApi, bot: telegram.Bot) -> None:
    await _started(api)
    fits = "<b>" + "x" * 4096 + "</b>"  # 4103 raw characters, 4096 after parsing
    assert len((await bot.send_message(1001, fits, parse_mode="HTML")).text) == 4096
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(1001, "x" * 4097)
    with pytest.raises(BadRequest, match="Text must be non-empty"):
        await bot.send_message(1001, "<b> </b>", parse_mode="HTML")


async def test_html_refusals(api: FakeBotApi, bot: telegram.Bot) -> None:
    await _started(api)
    with pytest.raises(BadRequest, match='unsupported start tag "script" at byte offset 0'):
        await bot.send_message(1001, "<script>alert(1)</script>", parse_mode="HTML")
    with pytest.raises(BadRequest, match='find end tag corresponding to start tag "b"'):
        await bot.send_message(1001, "<b>tebal", parse_mode="HTML")
    assert api.find_calls("sendMessage", ok=False)[-1].description == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )


async def test_caption_limit(api: FakeBotApi, bot: telegram.Bot) -> None:
    await _started(api)
    sent = await bot.send_photo(1001, b"\x89PNG\r\n\x1a\n", caption="c" * 1024)
    assert len(sent.caption) == 1024
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(1001, sent.photo[-1].file_id, caption="c" * 1025)


async def test_callback_data_is_limited_to_64_bytes(api: FakeBotApi, bot: telegram.Bot) -> None:
    await _started(api)
    max_ascii, max_utf8 = "x" * 64, "é" * 32  # both exactly 64 bytes
    for data in (max_ascii, max_utf8):
        await bot.send_message(
            1001, "ok", reply_markup=_keyboard(InlineKeyboardButton("b", callback_data=data))
        )
    for data in ("x" * 65, "é" * 32 + "x"):
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(
                1001, "no", reply_markup=_keyboard(InlineKeyboardButton("b", callback_data=data))
            )


async def test_inline_button_rules(api: FakeBotApi, raw: RawCall) -> None:
    await _started(api)
    cases = {
        '{"inline_keyboard": [[{"text": "t"}]]}': "Bad Request: can't parse inline keyboard "
        "button: Text buttons are unallowed in the inline keyboard",
        '{"inline_keyboard": [[{"callback_data": "x"}]]}': "Bad Request: can't parse inline "
        'keyboard button: Can\'t find field "text"',
        '{"inline_keyboard": [[{"text": "t", "url": "ftp://x.org"}]]}': "Bad Request: inline "
        "keyboard button URL 'ftp://x.org' is invalid: Unsupported URL protocol",
        '{"inline_keyboard": [[{"text": "t", "url": "nowhere"}]]}': "Bad Request: inline "
        "keyboard button URL 'nowhere' is invalid: Wrong HTTP URL",
        '{"keyboard": [["a"]], "resize_keyboard": "yes"}': 'Bad Request: field "resize_keyboard" '
        "must be of type Boolean",
        '{"inline_keyboard": [[{"text": "t", callback_data: 1}]]}': "Bad Request: can't parse "
        "reply keyboard markup JSON object",
    }
    for markup, description in cases.items():
        status, body = await raw(
            "sendMessage", {"chat_id": "1001", "text": "x", "reply_markup": markup}
        )
        assert (status, body["description"]) == (400, description)
    api.spec_problems.clear()  # deliberately malformed calls


async def test_required_fields_and_unknown_chats(api: FakeBotApi, raw: RawCall) -> None:
    assert await raw("sendMessage", {"text": "x"}) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"},
    )
    status, body = await raw("sendMessage", {"chat_id": "1001"})
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await raw("sendMessage", {"chat_id": "424242", "text": "x"})
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    api.spec_problems.clear()  # deliberately incomplete calls


async def test_spec_problems_record_what_the_bot_got_wrong(
    spec_path: Path, api: FakeBotApi, raw: RawCall
) -> None:
    await raw("sendMessage", {"text": "x"})
    assert api.spec_problems == ["sendMessage.chat_id: required field missing"]
    api.spec_problems.clear()


async def test_wrong_token_and_unknown_method(api: FakeBotApi, raw: RawCall) -> None:
    status, body = await raw("getMe", token="999:WRONG")
    assert (status, body["description"]) == (401, "Unauthorized")
    status, body = await raw("sendTelepathy", {})
    assert (status, body["description"]) == (404, "Not Found")
    api.spec_problems.clear()
    with pytest.raises(InvalidToken):
        await telegram.Bot("999:WRONG", base_url=api.base_url).get_me()


async def test_bot_must_be_started_and_not_blocked(api: FakeBotApi, bot: telegram.Bot) -> None:
    siti = api.user(1001)
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(1001, "halo")
    await siti.send("/start")
    await siti.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "halo")
    await siti.unblock()
    await bot.send_message(1001, "halo lagi")
    updates = await bot.get_updates()
    changes = [u.my_chat_member.new_chat_member.status for u in updates if u.my_chat_member]
    assert changes == ["kicked", "member"]


async def test_edits_and_deletes_show_in_the_chat(api: FakeBotApi, bot: telegram.Bot) -> None:
    await _started(api)
    siti = api.user(1001)
    keyboard = _keyboard(InlineKeyboardButton("Ya", callback_data="ya"))
    sent = await bot.send_message(1001, "Tanya?", reply_markup=keyboard)
    edited = await bot.edit_message_text("<i>Jawab</i>", 1001, sent.message_id, parse_mode="HTML")
    assert edited.edit_date is not None
    item = siti.last_reply
    assert (item.text, item.html, item.edited, item.inline_keyboard) == (
        "Jawab",
        "<i>Jawab</i>",
        True,
        [],  # an edit without reply_markup removes the keyboard
    )
    with pytest.raises(BadRequest, match="Message is not modified: specified new message content"):
        await bot.edit_message_text("Jawab", 1001, sent.message_id, entities=item.entities)
    await bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=keyboard)
    assert siti.buttons == ["Ya"]
    assert await bot.delete_message(1001, sent.message_id)
    assert siti.chat[-1].deleted
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("lagi", 1001, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(1001, sent.message_id)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("bukan punyaku", 1001, siti.chat[0].message_id)


async def test_caption_edit_and_media(api: FakeBotApi, bot: telegram.Bot) -> None:
    await _started(api)
    text = await bot.send_message(1001, "teks")
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(1001, text.message_id, caption="x")
    doc = await bot.send_document(1001, b"isi,data\n1,2\n", filename="data.csv", caption="awal")
    edited = await bot.edit_message_caption(
        1001, doc.message_id, caption="<b>akhir</b>", parse_mode="HTML"
    )
    assert (edited.caption, api.user(1001).last_reply.html) == ("akhir", "<b>akhir</b>")
    assert doc.document.file_name == "data.csv"
    file = await bot.get_file(doc.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"isi,data\n1,2\n"
    place = await bot.send_venue(1001, -2.08, 102.28, "Pasar Bangko", "Jl. Lintas Sumatera")
    assert place.venue.title == "Pasar Bangko" and place.location.latitude == -2.08
    await bot.send_location(1001, -2.1, 102.3)
    copied = await bot.copy_message(1001, 1001, doc.message_id, caption="salinan")
    assert api.user(1001).chat_state.get(copied.message_id).caption == "salinan"
    forwarded = await bot.forward_message(1001, 1001, api.user(1001).chat[0].message_id)
    assert forwarded.forward_origin.sender_user.id == 1001
    await bot.send_chat_action(1001, "typing")
    assert api.user(1001).chat_state.last_action == "typing"


async def test_tap_inline_button_sends_a_callback_query(api: FakeBotApi, bot: telegram.Bot) -> None:
    siti = api.user(1001)
    await siti.send("/menu")
    menu = await bot.send_message(
        1001,
        "Pilih",
        reply_markup=InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("☕ Kopi", callback_data="beli:kopi")],
                [InlineKeyboardButton("Situs", url="https://example.org")],
            ]
        ),
    )
    update_id = await siti.tap("kopi")  # unique case-insensitive substring
    query = (await bot.get_updates(offset=update_id))[0].callback_query
    assert (query.data, query.message.message_id, query.from_user.id) == (
        "beli:kopi",
        menu.message_id,
        1001,
    )
    await query.answer("Dicatat", show_alert=True)
    assert [(a.text, a.show_alert, a.data) for a in siti.callback_answers] == [
        ("Dicatat", True, "beli:kopi")
    ]
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer("lagi")
    with pytest.raises(AssertionError, match="is a url button"):
        await siti.tap("Situs")
    with pytest.raises(AssertionError, match=r"no button 'Teh'.*Kopi"):
        await siti.tap("Teh")
    tampered = await siti.tap_data(menu.message_id, "beli:emas")
    assert (await bot.get_updates(offset=tampered))[0].callback_query.data == "beli:emas"


async def test_reply_keyboard_taps_send_text_contact_and_location(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    siti = api.user(1001)
    await siti.send("/daftar")
    await bot.send_message(
        1001,
        "Bagikan nomor",
        reply_markup=ReplyKeyboardMarkup(
            [[telegram.KeyboardButton("📱 Kirim nomor", request_contact=True)], ["Lewati"]],
            one_time_keyboard=True,
        ),
    )
    assert siti.keyboard == [["📱 Kirim nomor"], ["Lewati"]]
    await siti.tap("Kirim nomor")
    assert siti.keyboard is None  # one-time keyboards hide after use
    contact = siti.chat[-1].contact
    assert (contact["user_id"], contact["phone_number"]) == (1001, "+6281234567890")
    await bot.send_message(
        1001,
        "Lokasi?",
        reply_markup=ReplyKeyboardMarkup(
            [[telegram.KeyboardButton("Lokasi", request_location=True), "Batal"]]
        ),
    )
    await siti.tap("Lokasi")
    assert siti.chat[-1].location == {"latitude": -2.0833, "longitude": 102.2833}
    await siti.tap("Batal")
    assert siti.chat[-1].text == "Batal"
    await bot.send_message(1001, "Selesai", reply_markup=telegram.ReplyKeyboardRemove())
    assert siti.keyboard is None
    reply_keyboard_message = siti.chat[-4]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", 1001, reply_keyboard_message.message_id)


async def test_user_media_and_replies_since(api: FakeBotApi, bot: telegram.Bot) -> None:
    siti = api.user(1001, "Siti")
    photo_update = await siti.send_photo(caption="panen")
    await siti.send_voice()
    await siti.send_sticker()
    await siti.send_document(file_name="ktp.pdf")
    updates = await bot.get_updates()
    photo = updates[0].message.photo[-1]
    assert (photo.width, photo.height, updates[0].message.caption) == (1280, 960, "panen")
    assert updates[1].message.voice.mime_type == "audio/ogg"
    assert updates[3].message.document.file_name == "ktp.pdf"
    assert len(await (await bot.get_file(photo.file_id)).download_as_bytearray()) > 0
    assert siti.replies_since(photo_update) == []
    await bot.send_message(1001, "Terima kasih", reply_to_message_id=updates[0].message.message_id)
    replies = siti.replies_since(photo_update)
    assert [r.text for r in replies] == ["Terima kasih"]
    assert replies[0].message["reply_to_message"]["message_id"] == updates[0].message.message_id
