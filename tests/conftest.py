"""Shared fixtures: settings and a fresh database per test on every configured backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.services import regions
from tests.support.clock import Clock
from tests.support.databases import BACKENDS, Templates

if TYPE_CHECKING:
    from bot.playground.botapi import FakeBotApi
    from tests.support.harness import BotHarness

SHARED = Path(__file__).resolve().parents[2] / "shared"
SPEC = SHARED / "reference" / "telegram-bot-api-10.0.json"


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    built = Templates(tmp_path_factory.mktemp("templates"))
    built.build()
    yield built
    built.drop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def database_url(templates: Templates, backend: str, tmp_path: Path) -> AsyncIterator[str]:
    url = await templates.fresh(backend, tmp_path)
    yield url
    await templates.discard(url)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> SessionMaker:
    return create_sessionmaker(engine)


@pytest.fixture
async def seeded(sessionmaker: SessionMaker) -> SessionMaker:
    """A database holding the shipped Merangin regions."""
    await regions.seed_regions(
        sessionmaker, regions.parse_regions(regions.default_region_text())
    )
    return sessionmaker


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database={"url": database_url})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """The local Bot API; every call the bot makes is checked against the official spec."""
    from bot.app import PLACEHOLDER_TOKEN
    from bot.playground.botapi import FakeBotApi

    fake = FakeBotApi(token=PLACEHOLDER_TOKEN, spec_path=SPEC if SPEC.exists() else None)
    await fake.start()
    yield fake
    await fake.stop()
    assert not fake.spec_problems, "calls that break the Bot API spec:\n" + "\n".join(
        fake.spec_problems
    )


@pytest.fixture
async def harness(
    api: FakeBotApi, settings: Settings, seeded: SessionMaker, clock: Clock
) -> AsyncIterator[BotHarness]:
    """The real bot, polling the local Bot API, on a fresh database with the regions loaded."""
    from tests.support.harness import BotHarness

    bot = BotHarness(api, settings, seeded, clock=clock)
    await bot.start()
    yield bot
    await bot.stop()
