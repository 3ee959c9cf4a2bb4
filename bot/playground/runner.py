"""`berdaya playground`: the local Bot API, the real bot polling it and the web chat, one process.

The bot is built by the same `build_application` as production; only where its updates come from
differs. The playground keeps its own SQLite file so trying things never touches real data.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from pydantic import SecretStr

from bot.app import PLACEHOLDER_TOKEN, build_application
from bot.config import Settings
from bot.db import create_engine, create_sessionmaker
from bot.playground import personas, webchat
from bot.playground.botapi import FakeBotApi, SimUser
from bot.polling import start_polling, stop_polling
from bot.setup import prepare_database
from bot.updates import BerdayaApplication
from models import utcnow

log = logging.getLogger(__name__)

DEFAULT_DATABASE = Path("berdaya-playground.db")
BOT_USERNAME = "BerdayaPlaygroundBot"


class PortInUse(Exception):
    """The web chat's port is taken; the message is the one line the operator reads."""


@dataclass
class Playground:
    """Everything one running playground holds, so that `stop` can undo it in order."""

    api: FakeBotApi
    web_runner: web.AppRunner
    url: str
    database: Path
    demo_loaded: bool = False
    demo_journeys: list[str] = field(default_factory=list)
    application: BerdayaApplication | None = None
    users: dict[str, SimUser] = field(default_factory=dict)

    async def stop(self) -> None:
        application, self.application = self.application, None
        if application is not None:
            await stop_polling(application)
        await self.web_runner.cleanup()
        await self.api.stop()


def playground_settings(settings: Settings, database: Path) -> Settings:
    """The operator's settings (language, time zone), but the playground's database and no token.

    A real token must never be sent to the local Bot API, and real data never mixed with demo data.
    """
    return settings.model_copy(update={
        "database": settings.database.model_copy(
            update={"url": f"sqlite+aiosqlite:///{database.resolve()}"}),
        "telegram": settings.telegram.model_copy(
            update={"token": SecretStr(""), "mode": "polling", "bot_username": BOT_USERNAME}),
    })


def remove_database(database: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)


async def start_playground(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 8080,
    database: Path = DEFAULT_DATABASE, fresh: bool = False,
) -> Playground:
    """Start everything; the web port is claimed first so a busy port fails before any work."""
    api = FakeBotApi(token=PLACEHOLDER_TOKEN, bot_username=BOT_USERNAME)
    await api.start()
    users = {
        p.key: api.user(user_id=p.user_id, first_name=p.first_name, language_code="id")
        for p in personas.PERSONAS
    }
    web_runner = web.AppRunner(webchat.build_app(api, users), access_log=None,
                               shutdown_timeout=1.0)
    await web_runner.setup()
    try:
        await web.TCPSite(web_runner, host, port).start()
    except OSError as exc:
        await web_runner.cleanup()
        await api.stop()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is already in use; "
                            f"choose another with --port (e.g. --port {port + 1})") from None
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    bound_host, bound_port = web_runner.addresses[0][:2]
    playground = Playground(api, web_runner, f"http://{bound_host}:{bound_port}", database,
                            users=users)
    try:
        await _start_bot(playground, playground_settings(settings, database), fresh)
    except BaseException:
        await playground.stop()
        raise
    return playground


async def _start_bot(playground: Playground, settings: Settings, fresh: bool) -> None:
    if fresh:
        remove_database(playground.database)
    await prepare_database(settings)
    engine = create_engine(settings.database.url)
    sessionmaker = create_sessionmaker(engine)
    try:
        if not await personas.has_demo_data(sessionmaker):
            playground.demo_journeys = await personas.load_demo_data(sessionmaker, utcnow())
            playground.demo_loaded = True
    finally:
        await engine.dispose()
    application = build_application(settings, base_url=playground.api.base_url)
    assert isinstance(application, BerdayaApplication)
    playground.application = application
    await start_polling(application)


def banner(playground: Playground) -> str:
    if playground.demo_loaded:
        extra = ", ".join(playground.demo_journeys)
        data = "new, with the demo personas" + (f" and {extra} demo data" if extra else "")
    else:
        data = "kept from last time; --fresh starts over"
    return "\n".join(
        [
            f"Berdaya playground: open {playground.url} in your browser",
            f"  database: {playground.database.resolve()} ({data})",
            "  personas: villager (not registered yet), farmer (member), facilitator (admin)",
            "Press Ctrl-C to stop.",
        ]
    )


async def serve(settings: Settings, *, host: str, port: int, database: Path, fresh: bool,
                announce: Callable[[str], None] = print) -> None:
    """Run until Ctrl-C or SIGTERM, then stop bot, web chat and Bot API in that order."""
    playground = await start_playground(settings, host=host, port=port, database=database,
                                        fresh=fresh)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):
        loop.add_signal_handler(signal.SIGTERM, stopping.set)
    try:
        announce(banner(playground))
        await stopping.wait()
    finally:
        await playground.stop()
