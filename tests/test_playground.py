"""`berdaya playground` in-process: the web chat drives the real bot through the local Bot API."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.db import create_engine, create_sessionmaker
from bot.playground.personas import PERSONAS_BY_KEY
from bot.playground.runner import Playground
from bot.playground.webchat import WEB
from models import Member, Role
from models.registration import ConsentEvent
from tests.support.webchat import WebChatClient, running_playground, web_client


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[Playground]:
    async with running_playground(tmp_path / "playground.db") as running:
        yield running


@pytest.fixture
async def web(playground: Playground) -> AsyncIterator[WebChatClient]:
    async with web_client(playground) as client:
        yield client


async def test_the_page_and_its_files_are_served(web: WebChatClient) -> None:
    page = await web.http.get(web.url + "/")
    assert page.status == 200
    assert "<title>" in await page.text()
    assert "script-src" not in page.headers["Content-Security-Policy"]  # 'self' by default-src
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    for name, kind in (("app.js", "javascript"), ("app.css", "text/css")):
        served = await web.http.get(f"{web.url}/static/{name}")
        assert served.status == 200 and kind in served.headers["Content-Type"]
    missing = await web.http.get(web.url + "/static/../runner.py")
    assert missing.status in (403, 404)


async def test_start_is_answered_live(web: WebChatClient) -> None:
    await web.act("villager", "send", {"text": "/start"})
    own = await web.wait_event(lambda e: e["type"] == "message" and not e["message"]["from_bot"])
    assert own["persona"] == "villager" and own["message"]["text"] == "/start"
    answer = await web.bot_message("villager")
    assert answer["text"]
    assert "Berdaya" in answer["text"]
    chat = await web.chat("villager")
    assert [m["text"] for m in chat["messages"]][:2] == ["/start", answer["text"]]
    assert (await web.chat("farmer"))["messages"] == []  # personas have separate chats


async def test_a_button_tap_reaches_the_bot(web: WebChatClient) -> None:
    """Whatever /start offers first (inline button or reply keyboard), pressing it is answered."""
    await web.act("villager", "send", {"text": "/start"})
    first = await web.bot_message("villager")
    chat = await web.chat("villager")
    seen = len(web.events)
    newest = chat["messages"][-1]
    if newest["inline_keyboard"]:
        button = newest["inline_keyboard"][0][0]
        await web.act("villager", "tap", {"message_id": newest["message_id"],
                                          "data": button["callback_data"]})
        answered = await web.wait_event(
            lambda e: e["type"] in ("message", "edit", "callback_answer")
            and e["persona"] == "villager" and e.get("message") is not None
            and e["message"]["from_bot"], seen)
    else:
        assert chat["keyboard"], first
        label = chat["keyboard"]["rows"][0][0]["text"]
        await web.act("villager", "press", {"label": label})
        pressed = await web.wait_event(
            lambda e: e["type"] == "message" and not e["message"]["from_bot"], seen)
        assert pressed["message"]["text"] == label
        answered = await web.wait_event(
            lambda e: e["type"] == "message" and e["message"]["from_bot"], seen)
    assert answered["message"]["text"] or answered["message"]["caption"]


async def test_html_typed_in_the_chat_comes_back_as_text(web: WebChatClient) -> None:
    typed = '<script>alert("x")</script><b>tebal</b> & <img src=x onerror=alert(1)>'
    await web.act("villager", "send", {"text": typed})
    event = await web.wait_event(lambda e: e["type"] == "message")
    message = event["message"]
    assert message["text"] == typed  # the raw characters, for the page to show as text
    assert not message["entities"]  # no formatting was derived from the markup
    assert "<script>" not in message["html"] and "&lt;script&gt;" in message["html"]


def test_the_page_never_parses_chat_text_as_html() -> None:
    """The code path that shows messages builds text nodes; no HTML sink exists in the page."""
    scripts = {path.name: path.read_text() for path in WEB.glob("*.js")}
    assert {"app.js", "entities.js", "messages.js"} <= set(scripts)
    for name, script in scripts.items():
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                     "new Function", "DOMParser", "createContextualFragment"):
            assert sink not in script, f"{name} uses {sink}"
    assert "createTextNode" in scripts["entities.js"]
    # the user's own words are rendered without entities, the bot's with theirs
    assert re.search(r"message\.from_bot\s*\?\s*formattedText\(text, message\.entities, "
                     r"actions\.command\)\s*:\s*formattedText\(text, \[\], actions\.command\)",
                     scripts["messages.js"])


@pytest.mark.parametrize(("persona", "action", "body", "status", "reason"), [
    ("villager", "send", "not json", 400, "not valid JSON"),
    ("villager", "send", ["a list"], 400, "JSON object"),
    ("villager", "send", {}, 400, "text must be non-empty"),
    ("villager", "send", {"text": "   "}, 400, "text must be non-empty"),
    ("villager", "send", {"text": "x" * 4097}, 400, "longer than Telegram allows"),
    ("villager", "tap", {"message_id": 999, "data": "x"}, 400, "not in"),
    ("villager", "tap", {"message_id": "1"}, 400, "message_id"),
    ("villager", "press", {"label": "Tidak ada"}, 400, "no reply keyboard"),
    ("villager", "location", {"latitude": 200, "longitude": 0}, 400, "latitude"),
    ("villager", "dance", {}, 404, "unknown action"),
    ("nobody", "send", {"text": "halo"}, 404, "unknown persona"),
])
async def test_bad_requests_get_a_clear_json_error(
    web: WebChatClient, persona: str, action: str, body: object, status: int, reason: str
) -> None:
    url = f"{web.url}/api/chat/{persona}/{action}"
    if isinstance(body, str):
        response = await web.http.post(url, data=body,
                                       headers={"Content-Type": "application/json"})
    else:
        response = await web.http.post(url, json=body)
    assert response.status == status
    assert reason in (await response.json())["error"]


async def test_media_contact_and_location_reach_the_chat(web: WebChatClient) -> None:
    await web.act("farmer", "photo", {"caption": "Kebun kopi saya"})
    photo = (await web.wait_event(lambda e: e["type"] == "message"))["message"]
    assert photo["caption"] == "Kebun kopi saya"
    largest = photo["photo"][-1]["file_id"]
    image = await web.http.get(f"{web.url}/media/{largest}")
    assert image.status == 200 and image.headers["Content-Type"].startswith("image/")
    assert (await web.http.get(f"{web.url}/media/nope")).status == 404

    seen = len(web.events)
    await web.act("farmer", "contact")
    contact = (await web.wait_event(lambda e: e["type"] == "message", seen))["message"]
    assert contact["contact"]["phone_number"] == PERSONAS_BY_KEY["farmer"].phone
    assert contact["contact"]["user_id"] == PERSONAS_BY_KEY["farmer"].user_id

    seen = len(web.events)
    await web.act("farmer", "location", {"latitude": -2.08, "longitude": 102.28})
    location = (await web.wait_event(lambda e: e["type"] == "message", seen))["message"]
    assert location["location"] == {"latitude": -2.08, "longitude": 102.28}


async def test_personas_are_ready_in_the_database(playground: Playground, tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'playground.db'}")
    try:
        async with create_sessionmaker(engine)() as session:
            members = {
                m.external_id: m for m in await session.scalars(
                    select(Member).options(selectinload(Member.groups)))
            }
            consents = await session.scalar(select(func.count()).select_from(ConsentEvent))
    finally:
        await engine.dispose()
    assert str(PERSONAS_BY_KEY["villager"].user_id) not in members  # registers in the chat
    farmer = members[str(PERSONAS_BY_KEY["farmer"].user_id)]
    assert farmer.is_registered and farmer.role == Role.MEMBER
    assert [g.code for g in farmer.groups] == ["petani"]
    assert farmer.desa_code is not None and farmer.desa_code.startswith("15.02.")
    facilitator = members[str(PERSONAS_BY_KEY["facilitator"].user_id)]
    assert facilitator.is_registered and facilitator.role == Role.ADMIN
    assert consents == 2
    assert playground.demo_loaded


async def test_staff_see_more_commands_than_members(web: WebChatClient) -> None:
    async def commands(persona: str) -> set[str]:
        response = await web.http.get(f"{web.url}/api/chat/{persona}/commands")
        return {c["command"] for c in (await response.json())["commands"]}

    member, staff = await commands("farmer"), await commands("facilitator")
    assert "start" in member
    assert member <= staff


async def test_personas_are_listed_with_safe_headers(web: WebChatClient) -> None:
    response = await web.http.get(f"{web.url}/api/personas")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = await response.json()
    assert [p["key"] for p in body["personas"]] == ["villager", "farmer", "facilitator"]


async def test_stopping_ends_open_event_streams(tmp_path: Path) -> None:
    async with aiohttp.ClientSession() as http:
        async with running_playground(tmp_path / "p.db") as playground:
            stream = await http.get(f"{playground.url}/api/events")
            assert (await stream.content.readline()).startswith(b"retry:")
        async with asyncio.timeout(5):  # ended by the shutdown, not left hanging
            await stream.content.read()
        assert stream.content.at_eof()
