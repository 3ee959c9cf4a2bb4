"""Stairway: every migration goes up, comes down and goes up again on each backend."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from bot import migrations
from bot.db import create_engine
from tests.support.databases import Templates


async def _tables(engine) -> set[str]:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_stairway(templates: Templates, backend: str, tmp_path: Path) -> None:
    url = await templates.empty(backend, tmp_path)
    engine = create_engine(url)
    try:
        await migrations.upgrade(engine)
        assert await migrations.current_revision(engine) == migrations.head_revision()
        assert {"members", "regions", "groups"} <= await _tables(engine)
        await migrations.downgrade(engine, "base")
        assert await migrations.current_revision(engine) is None
        assert await _tables(engine) <= {"alembic_version"}
        await migrations.upgrade(engine)
        assert await migrations.current_revision(engine) == migrations.head_revision()
    finally:
        await engine.dispose()
        await templates.discard(url)


async def test_each_step_downgrades(templates: Templates, backend: str, tmp_path: Path) -> None:
    """Walk down one revision at a time, so a broken middle downgrade cannot hide."""
    url = await templates.empty(backend, tmp_path)
    engine = create_engine(url)
    try:
        await migrations.upgrade(engine)
        while await migrations.current_revision(engine) is not None:
            await migrations.downgrade(engine, "-1")
        await migrations.upgrade(engine)
    finally:
        await engine.dispose()
        await templates.discard(url)


async def test_migrations_match_the_models(engine) -> None:  # type: ignore[no-untyped-def]
    """A column added to a model without a migration (or the reverse) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from models import Base

    def differences(connection) -> list:  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(differences) == []
