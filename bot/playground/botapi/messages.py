"""Bot API methods that send, change or react to messages.

Each method checks in Telegram's order: what can be read from the request (required fields,
markup, text markup) first, then the chat, then the replied or edited message, then text length
and callback data, then flood limits; only then does anything change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import CHAT_NOT_FOUND, NOT_MODIFIED, bad_request
from .formatting import Formatted, check_caption, read_formatted, require_text
from .markup import Markup, read_inline_markup, read_markup
from .media import PLACEHOLDER_PNG, document, photo_sizes
from .params import Params, UploadedFile
from .state import ChatItem, ChatState, StoredFile

if TYPE_CHECKING:
    from .api import FakeBotApi

_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_CAPTIONED = ("photo", "document", "voice", "video", "audio", "animation")
_UNEDITABLE_MARKUPS = ("keyboard", "remove", "force_reply")
_MAX_CALLBACK_ANSWER = 200
_MAX_DELETE = 100


# ----------------------------------------------------------------------- shared steps


def _text_body(formatted: Formatted, key: str, entities_key: str) -> dict[str, Any]:
    if formatted.is_blank():
        return {}
    body: dict[str, Any] = {key: formatted.text}
    if formatted.entities:
        body[entities_key] = formatted.entities
    return body


def _caption(p: Params) -> Formatted | None:
    caption = p.text("caption")
    if not caption:
        return None
    return read_formatted(caption, p.text("parse_mode"), p.get("caption_entities"))


def _reply_target(chat: ChatState, p: Params) -> ChatItem | None:
    """The replied message from ``reply_parameters`` or the older ``reply_to_message_id``."""
    parameters = p.get("reply_parameters")
    if parameters is not None:
        if not isinstance(parameters, dict) or "message_id" not in parameters:
            raise bad_request('can\'t find field "message_id"')
        message_id = parameters["message_id"]
        allow_missing = parameters.get("allow_sending_without_reply") is True
    else:
        message_id = p.integer("reply_to_message_id")
        allow_missing = p.flag("allow_sending_without_reply")
    if not message_id:
        return None
    item = chat.get(message_id)
    if item is None and not allow_missing:
        raise bad_request("message to be replied not found")
    return item


def _deliver(
    api: FakeBotApi,
    p: Params,
    chat_id: int | str,
    markup: Markup | None,
    body: dict[str, Any],
    late_checks: Callable[[], None] = lambda: None,
) -> ChatItem:
    """The common tail of every send: chat, reply, late checks, flood limit, store."""
    chat = api.sendable_chat(chat_id)
    reply_to = _reply_target(chat, p)
    late_checks()
    if markup is not None:
        markup.check_callback_data()
    api.acquire_send(chat)
    if p.flag("protect_content"):
        body = {**body, "has_protected_content": True}
    return api.post_message(chat, body, sender=api.bot_user, markup=markup, reply_to=reply_to)


def _input_file(api: FakeBotApi, p: Params, name: str, kind: str) -> StoredFile:
    """An uploaded file, a known ``file_id`` or an HTTP URL, as Telegram accepts them."""
    value = p.get(name)
    if isinstance(value, str) and value.startswith("attach://"):
        value = p.values.get(value[len("attach://") :])
    if isinstance(value, UploadedFile):
        return api.files.add(value.data, kind, value.filename, value.content_type)
    if isinstance(value, str) and value:
        stored = api.files.get(value)
        if stored is not None:
            known = api.files.kind(value)
            if (known == "photo") != (kind == "photo"):
                raise bad_request(
                    f"can't use file of type {known.title() if known else 'Unknown'} "
                    f"as {kind.title()}"
                )
            return stored
        if "://" in value or "." in value:
            file_name = value.rstrip("/").rsplit("/", 1)[-1] or None
            data = PLACEHOLDER_PNG if kind == "photo" else b"\0"
            return api.files.add(data, kind, file_name)
        raise bad_request("wrong file identifier/HTTP URL specified")
    raise bad_request(f"there is no {kind} in the request")


def _existing_chat(api: FakeBotApi, chat_id: int | str) -> ChatState:
    chat = api.chat_state(chat_id)
    if chat is None:
        raise bad_request(CHAT_NOT_FOUND)
    return chat


def _message_id(p: Params) -> int:
    message_id = p.integer("message_id")
    if not message_id:
        raise bad_request("message identifier is not specified")
    return message_id


# ----------------------------------------------------------------------- sending


async def send_message(api: FakeBotApi, p: Params) -> dict[str, Any]:
    chat_id = p.chat_id()
    markup = read_markup(p.get("reply_markup"))
    text = p.text("text")
    if not text:
        raise bad_request("message text is empty")
    formatted = read_formatted(text, p.text("parse_mode"), p.get("entities"))
    body = _text_body(formatted, "text", "entities")
    item = _deliver(api, p, chat_id, markup, body, lambda: require_text(formatted))
    return item.message


async def send_photo(api: FakeBotApi, p: Params) -> dict[str, Any]:
    chat_id = p.chat_id()
    markup = read_markup(p.get("reply_markup"))
    caption = _caption(p)
    stored = _input_file(api, p, "photo", "photo")
    sizes = api.files.photo(stored.file_id) or photo_sizes(api.files, stored)
    body = {
        "photo": sizes,
        **(_text_body(caption, "caption", "caption_entities") if caption else {}),
    }
    late = (lambda: check_caption(caption)) if caption else (lambda: None)
    return _deliver(api, p, chat_id, markup, body, late).message


async def send_document(api: FakeBotApi, p: Params) -> dict[str, Any]:
    chat_id = p.chat_id()
    markup = read_markup(p.get("reply_markup"))
    caption = _caption(p)
    stored = _input_file(api, p, "document", "document")
    body = {
        "document": document(stored),
        **(_text_body(caption, "caption", "caption_entities") if caption else {}),
    }
    late = (lambda: check_caption(caption)) if caption else (lambda: None)
    return _deliver(api, p, chat_id, markup, body, late).message


def _location(p: Params) -> dict[str, float]:
    latitude, longitude = p.number("latitude"), p.number("longitude")
    if latitude is None or longitude is None:
        raise bad_request("latitude and longitude must be specified")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("Invalid location specified")
    return {"latitude": latitude, "longitude": longitude}


async def send_location(api: FakeBotApi, p: Params) -> dict[str, Any]:
    chat_id = p.chat_id()
    markup = read_markup(p.get("reply_markup"))
    location: dict[str, Any] = _location(p)
    if p.number("horizontal_accuracy") is not None:
        location["horizontal_accuracy"] = p.number("horizontal_accuracy")
    if p.integer("live_period"):
        location["live_period"] = p.integer("live_period")
    return _deliver(api, p, chat_id, markup, {"location": location}).message


async def send_venue(api: FakeBotApi, p: Params) -> dict[str, Any]:
    chat_id = p.chat_id()
    markup = read_markup(p.get("reply_markup"))
    location = _location(p)
    venue: dict[str, Any] = {
        "location": location,
        "title": p.required("title"),
        "address": p.required("address"),
    }
    for optional in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
        if p.text(optional):
            venue[optional] = p.text(optional)
    body = {"venue": venue, "location": location}
    return _deliver(api, p, chat_id, markup, body).message


async def send_chat_action(api: FakeBotApi, p: Params) -> bool:
    chat_id = p.chat_id()
    action = p.text("action")
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    api.chat_action(api.sendable_chat(chat_id), action)
    return True


def _source(api: FakeBotApi, p: Params, missing: str) -> ChatItem:
    from_chat = _existing_chat(api, p.chat_id("from_chat_id"))
    item = from_chat.get(_message_id(p))
    if item is None:
        raise bad_request(missing)
    return item


async def copy_message(api: FakeBotApi, p: Params) -> dict[str, int]:
    chat_id = p.chat_id()
    markup = read_markup(p.get("reply_markup"))
    source = _source(api, p, "message to copy not found")
    body = source.content()
    caption = _caption(p)
    is_media = any(key in body for key in _CAPTIONED)
    if is_media and "caption" in p:
        body.pop("caption", None)
        body.pop("caption_entities", None)
        if caption:
            body.update(_text_body(caption, "caption", "caption_entities"))
    late = (lambda: check_caption(caption)) if caption and is_media else (lambda: None)
    item = _deliver(api, p, chat_id, markup, body, late)
    return {"message_id": item.message_id}


async def forward_message(api: FakeBotApi, p: Params) -> dict[str, Any]:
    chat_id = p.chat_id()
    source = _source(api, p, "message to forward not found")
    origin = source.message.get("forward_origin") or {
        "type": "user",
        "sender_user": source.message["from"],
        "date": source.date,
    }
    body = {**source.content(), "forward_origin": origin}
    return _deliver(api, p, chat_id, None, body).message


# ----------------------------------------------------------------------- changing


def _edit_target(api: FakeBotApi, p: Params) -> tuple[ChatState, ChatItem]:
    if p.text("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")  # inline-mode messages are not simulated
    chat = _existing_chat(api, p.chat_id())
    item = chat.get(_message_id(p))
    if item is None:
        raise bad_request("message to edit not found")
    editable = item.from_bot and "forward_origin" not in item.message
    if not editable or item.markup_kind in _UNEDITABLE_MARKUPS:
        raise bad_request("message can't be edited")
    return chat, item


def _finish_edit(
    api: FakeBotApi,
    chat: ChatState,
    item: ChatItem,
    changes: dict[str, Any],
    markup: Markup | None,
) -> dict[str, Any]:
    if markup is not None:
        markup.check_callback_data()
    unchanged = all(item.message.get(k) == (v or None) for k, v in changes.items())
    if unchanged and item.message.get("reply_markup") == (markup.data if markup else None):
        raise bad_request(NOT_MODIFIED)
    api.acquire_send(chat)
    api.edit_message(chat, item, changes, markup)
    return item.message


async def edit_message_text(api: FakeBotApi, p: Params) -> dict[str, Any]:
    markup = read_inline_markup(p.get("reply_markup"))
    text = p.text("text")
    if not text:
        raise bad_request("message text is empty")
    formatted = read_formatted(text, p.text("parse_mode"), p.get("entities"))
    chat, item = _edit_target(api, p)
    if item.text is None:
        raise bad_request("there is no text in the message to edit")
    require_text(formatted, too_long="MESSAGE_TOO_LONG")
    changes = {"text": formatted.text, "entities": formatted.entities}
    return _finish_edit(api, chat, item, changes, markup)


async def edit_message_caption(api: FakeBotApi, p: Params) -> dict[str, Any]:
    markup = read_inline_markup(p.get("reply_markup"))
    caption = _caption(p) or Formatted("")
    chat, item = _edit_target(api, p)
    if not any(key in item.message for key in _CAPTIONED):
        raise bad_request("there is no caption in the message to edit")
    check_caption(caption, too_long="MEDIA_CAPTION_TOO_LONG")
    shown = caption if not caption.is_blank() else Formatted("")
    changes = {"caption": shown.text, "caption_entities": shown.entities}
    return _finish_edit(api, chat, item, changes, markup)


async def edit_message_reply_markup(api: FakeBotApi, p: Params) -> dict[str, Any]:
    markup = read_inline_markup(p.get("reply_markup"))
    chat, item = _edit_target(api, p)
    return _finish_edit(api, chat, item, {}, markup)


async def delete_message(api: FakeBotApi, p: Params) -> bool:
    chat = _existing_chat(api, p.chat_id())
    item = chat.get(_message_id(p))
    if item is None:
        raise bad_request("message to delete not found")
    api.delete_message(chat, item)
    return True


async def delete_messages(api: FakeBotApi, p: Params) -> bool:
    chat_id = p.chat_id()
    ids = p.get("message_ids")
    if not isinstance(ids, list) or not ids:
        raise bad_request("message_ids must be non-empty")
    if len(ids) > _MAX_DELETE:
        raise bad_request("too many message identifiers specified")
    chat = _existing_chat(api, chat_id)
    for message_id in ids:
        item = chat.get(message_id) if isinstance(message_id, int) else None
        if item is not None:
            api.delete_message(chat, item)
    return True


async def answer_callback_query(api: FakeBotApi, p: Params) -> bool:
    text = p.text("text")
    if text and len(text) > _MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    answer = {"text": text or None, "show_alert": p.flag("show_alert"), "url": p.text("url")}
    if not api.answer_callback(p.text("callback_query_id"), answer):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    return True


async def set_message_reaction(api: FakeBotApi, p: Params) -> bool:
    chat = _existing_chat(api, p.chat_id())
    reaction = p.get("reaction") or []
    if not isinstance(reaction, list) or not all(isinstance(r, dict) for r in reaction):
        raise bad_request("expected an Array of ReactionType")
    if len(reaction) > 1:
        raise bad_request("REACTIONS_TOO_MANY")
    item = chat.get(_message_id(p))
    if item is None:
        raise bad_request("MESSAGE_ID_INVALID")
    api.set_reactions(chat, item, reaction)
    return True
