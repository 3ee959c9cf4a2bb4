"""The web chat: a phone-sized page that plays a Telegram app for the playground's personas.

The server only relays: actions become simulated-user updates on the local Bot API, and every
chat change is pushed to the page by Server-Sent Events. Nothing here builds HTML from chat
text; the page renders text and entities as DOM nodes itself.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.playground.botapi import ChatState, FakeBotApi, SimUser
from bot.playground.personas import PERSONAS_BY_KEY

WEB = Path(__file__).parent / "web"
MAX_TEXT = 4096
MAX_CAPTION = 1024
PING_SECONDS = 20.0
QUEUE_LIMIT = 1000
SECURITY_HEADERS = {
    # Defence in depth: even if chat text reached the DOM as markup, no script could run.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class BadAction(web.HTTPBadRequest):
    """A request the page should not have sent; the reason is returned as JSON."""

    def __init__(self, reason: str) -> None:
        super().__init__(text=json.dumps({"error": reason}), content_type="application/json")


def keyboard_of(chat: ChatState) -> dict[str, Any] | None:
    """The reply keyboard on the user's screen, with what each button asks for."""
    if chat.keyboard is None or chat.keyboard_hidden:
        return None
    rows = [
        [{"text": b["text"], "request_contact": bool(b.get("request_contact")),
          "request_location": bool(b.get("request_location"))} for b in row]
        for row in chat.keyboard["keyboard"]
    ]
    return {"rows": rows, "placeholder": chat.keyboard.get("input_field_placeholder")}


class EventHub:
    """Fans the fake's chat events out to every open page, tagged with the persona they concern."""

    def __init__(self, api: FakeBotApi, personas_by_chat: dict[int, str]) -> None:
        self.api = api
        self.personas_by_chat = personas_by_chat
        self.queues: set[asyncio.Queue[dict[str, Any] | None]] = set()

    def __call__(self, event: dict[str, Any]) -> None:
        persona = self.personas_by_chat.get(event.get("chat_id"))  # type: ignore[arg-type]
        if persona is None:
            return
        event = {**event, "persona": persona}
        if event["type"] == "keyboard":
            chat = self.api.chat_state(event["chat_id"])
            event["keyboard"] = keyboard_of(chat) if chat else None
        for queue in list(self.queues):
            if queue.qsize() >= QUEUE_LIMIT:  # a page that stopped reading: let it reconnect
                self.queues.discard(queue)
                queue.put_nowait(None)
            else:
                queue.put_nowait(event)

    def join(self) -> asyncio.Queue[dict[str, Any] | None]:
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.queues.add(queue)
        return queue

    def leave(self, queue: asyncio.Queue[dict[str, Any] | None]) -> None:
        self.queues.discard(queue)

    def close(self) -> None:
        for queue in self.queues:
            queue.put_nowait(None)
        self.queues.clear()


class WebChat:
    """Request handlers bound to one fake Bot API and its persona users."""

    def __init__(self, api: FakeBotApi, users: dict[str, SimUser]) -> None:
        self.api = api
        self.users = users
        self.hub = EventHub(api, {user.id: key for key, user in users.items()})

    def user(self, request: web.Request) -> SimUser:
        user = self.users.get(request.match_info["persona"])
        if user is None:
            raise web.HTTPNotFound(text=json.dumps({"error": "unknown persona"}),
                                   content_type="application/json")
        return user

    # ------------------------------------------------------------------ reading

    async def index(self, _request: web.Request) -> web.FileResponse:
        return web.FileResponse(WEB / "index.html")

    async def personas(self, _request: web.Request) -> web.Response:
        return web.json_response({
            "bot": {"name": self.api.bot_user["first_name"],
                    "username": self.api.bot_user["username"]},
            "personas": [
                {"key": key, "name": PERSONAS_BY_KEY[key].full_name,
                 "title": PERSONAS_BY_KEY[key].title, "user_id": user.id}
                for key, user in self.users.items()
            ],
        })

    async def chat(self, request: web.Request) -> web.Response:
        """Everything a page needs when it opens or switches to a persona."""
        user = self.user(request)
        return web.json_response({
            "messages": [item.to_dict() for item in user.chat if not item.deleted],
            "keyboard": keyboard_of(user.chat_state),
        })

    async def commands(self, request: web.Request) -> web.Response:
        """The "/" menu as Telegram apps resolve it: chat scope first, then default; own language
        first, then the list without a language."""
        user = self.user(request)
        language = user.language_code or ""
        for scope in ({"type": "chat", "chat_id": user.id}, {"type": "default"}):
            for code in dict.fromkeys((language, "")):
                found = self.api.bot_commands(scope, code)
                if found:
                    return web.json_response({"commands": found})
        return web.json_response({"commands": []})

    async def media(self, request: web.Request) -> web.Response:
        stored = self.api.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        headers = {"Cache-Control": "private, max-age=3600"}
        if stored.file_name:
            name = quote(stored.file_name, safe="")
            headers["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
        return web.Response(body=stored.data, headers=headers,
                            content_type=stored.mime_type or "application/octet-stream")

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-Sent Events: one JSON object per chat change, for every persona."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                               "Cache-Control": "no-cache"})
        await response.prepare(request)
        queue = self.hub.join()
        try:
            await response.write(b"retry: 1000\n\n")
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), PING_SECONDS)
                except TimeoutError:
                    await response.write(b": ping\n\n")
                    continue
                if event is None:
                    break
                await response.write(f"data: {json.dumps(event)}\n\n".encode())
        except ConnectionResetError:
            pass  # the page went away
        finally:
            self.hub.leave(queue)
        return response

    # ------------------------------------------------------------------ acting

    async def act(self, request: web.Request) -> web.Response:
        """One user action; the bot's answer arrives later through the event stream."""
        user = self.user(request)
        body = await _json_body(request)
        action = request.match_info["action"]
        try:
            update_id = await self._perform(user, request.match_info["persona"], action, body)
        except (AssertionError, ValueError) as exc:  # how the fake refuses impossible actions
            raise BadAction(str(exc)) from None
        return web.json_response({"ok": True, "update_id": update_id})

    async def _perform(
        self, user: SimUser, key: str, action: str, body: dict[str, Any]
    ) -> int | None:
        phone = PERSONAS_BY_KEY[key].phone
        if action == "send":
            return await user.send(_text(body, "text", MAX_TEXT))
        if action == "press":
            label = _text(body, "label", MAX_TEXT)
            button = _keyboard_button(user.chat_state, label)
            if button.get("request_contact"):
                _hide_one_time_keyboard(self.api, user.chat_state)
                return await user.share_contact(phone)
            return await user.tap(label)
        if action == "tap":
            message_id, data = body.get("message_id"), body.get("data")
            if not isinstance(message_id, int) or not isinstance(data, str):
                raise BadAction("tap needs message_id (number) and data (text)")
            return await user.tap_data(message_id, data)
        if action == "contact":
            return await user.share_contact(phone)
        if action == "location":
            latitude, longitude = body.get("latitude"), body.get("longitude")
            if latitude is None and longitude is None:
                return await user.send_location(*user.location)
            if not (isinstance(latitude, int | float) and isinstance(longitude, int | float)
                    and -90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise BadAction("latitude and longitude must be numbers on Earth")
            return await user.send_location(float(latitude), float(longitude))
        if action == "photo":
            caption = body.get("caption")
            return await user.send_photo(None if not caption else _text(body, "caption",
                                                                          MAX_CAPTION))
        if action == "sticker":
            return await user.send_sticker()
        raise web.HTTPNotFound(text=json.dumps({"error": f"unknown action {action!r}"}),
                               content_type="application/json")


def _keyboard_button(chat: ChatState, label: str) -> dict[str, Any]:
    if chat.keyboard is None or chat.keyboard_hidden:
        raise BadAction("there is no reply keyboard on screen")
    for row in chat.keyboard["keyboard"]:
        for button in row:
            if button["text"] == label:
                return dict(button)
    raise BadAction(f"the reply keyboard has no button {label!r}")


def _hide_one_time_keyboard(api: FakeBotApi, chat: ChatState) -> None:
    """What a Telegram app does after a one-time keyboard's contact button is pressed."""
    if chat.keyboard and chat.keyboard.get("one_time_keyboard"):
        chat.keyboard_hidden = True
        api.emit_keyboard(chat)


async def _json_body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        body = json.loads(await request.text())
    except ValueError:
        raise BadAction("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadAction("the body must be a JSON object")
    return body


def _text(body: dict[str, Any], name: str, limit: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadAction(f"{name} must be non-empty text")
    if len(value.encode("utf-16-le")) // 2 > limit:
        raise BadAction(f"{name} is longer than Telegram allows ({limit} characters)")
    return value


async def _security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)


def build_app(api: FakeBotApi, users: dict[str, SimUser]) -> web.Application:
    chat = WebChat(api, users)
    app = web.Application()
    app.on_response_prepare.append(_security_headers)
    api.subscribe(chat.hub)

    async def on_shutdown(_app: web.Application) -> None:
        api.unsubscribe(chat.hub)
        chat.hub.close()  # ends open event streams, so shutting down never waits on them

    app.on_shutdown.append(on_shutdown)
    app.router.add_get("/", chat.index)
    app.router.add_static("/static/", WEB, show_index=False)
    app.router.add_get("/api/personas", chat.personas)
    app.router.add_get("/api/events", chat.events)
    app.router.add_get("/api/chat/{persona}", chat.chat)
    app.router.add_get("/api/chat/{persona}/commands", chat.commands)
    app.router.add_post("/api/chat/{persona}/{action}", chat.act)
    app.router.add_get("/media/{file_id}", chat.media)
    return app
