"""The playground's own database: demo data once, kept across restarts, reset by --fresh."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.playground.personas import PERSONAS_BY_KEY
from bot.playground.runner import playground_settings
from models import Member, Region
from tests.support.webchat import running_playground


async def count_members(database: Path, external_id: str) -> int:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with create_sessionmaker(engine)() as session:
            return await session.scalar(
                select(func.count()).select_from(Member).where(Member.external_id == external_id)
            ) or 0
    finally:
        await engine.dispose()


async def add_member(database: Path, external_id: str) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            session.add(Member(channel="telegram", external_id=external_id, full_name="Tamu"))
    finally:
        await engine.dispose()


@pytest.fixture
def demo_calls(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """A journey's demo module, as `bot/playground/demo_<journey>.py` provides one."""
    calls: list[datetime] = []
    module = ModuleType("bot.playground.demo_menu")

    async def load(sessionmaker: SessionMaker, now: datetime) -> None:
        assert now.tzinfo is not None
        async with sessionmaker() as session:  # the database is migrated and seeded by now
            assert await session.scalar(select(func.count()).select_from(Region))
        calls.append(now)

    module.load = load  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return calls


async def test_restart_keeps_data_and_fresh_starts_over(
    tmp_path: Path, demo_calls: list[datetime]
) -> None:
    database = tmp_path / "playground.db"
    farmer = str(PERSONAS_BY_KEY["farmer"].user_id)
    async with running_playground(database, fresh=False) as first:
        assert first.demo_loaded and first.demo_journeys[-1] == "menu"  # in journey order
    await add_member(database, "4242")

    async with running_playground(database, fresh=False) as again:
        assert not again.demo_loaded
    assert await count_members(database, "4242") == 1  # what people did is still there
    assert await count_members(database, farmer) == 1  # and demo data was not loaded twice
    assert len(demo_calls) == 1

    async with running_playground(database, fresh=True) as fresh:
        assert fresh.demo_loaded
    assert await count_members(database, "4242") == 0
    assert await count_members(database, farmer) == 1
    assert len(demo_calls) == 2


def test_the_playground_never_uses_the_configured_database_or_token(tmp_path: Path) -> None:
    configured = Settings(
        telegram={"token": "123456789:real-token-from-botfather-xxxxxxxx", "mode": "webhook"},
        database={"url": "postgresql+asyncpg://prod@db.example.org/berdaya"},
        program={"default_language": "en"},
    )
    settings = playground_settings(configured, tmp_path / "p.db")
    assert settings.database.url == f"sqlite+aiosqlite:///{(tmp_path / 'p.db').resolve()}"
    assert settings.telegram.token.get_secret_value() == ""
    assert settings.telegram.mode == "polling"
    assert settings.program.default_language == "en"  # the rest of the config still applies
