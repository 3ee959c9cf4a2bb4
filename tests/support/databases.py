"""Fresh, migrated databases per test: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.

Migrating once into a template and copying it per test keeps the suite fast on both backends.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bot import migrations
from bot.db import create_engine

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def postgres_server_url() -> str:
    return os.environ["TEST_DATABASE_URL"]


def _asyncpg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url)
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin_execute(statement: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(postgres_server_url()))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrations.upgrade(engine)
    finally:
        await engine.dispose()


class Templates:
    """One migrated template per backend for the whole session."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.sqlite_template = workdir / "template.db"
        self.pg_template = f"berdaya_tpl_{uuid.uuid4().hex[:8]}"

    def build(self) -> None:
        asyncio.run(migrate(f"sqlite+aiosqlite:///{self.sqlite_template}"))
        if "postgresql" in BACKENDS:
            asyncio.run(_admin_execute(f'CREATE DATABASE "{self.pg_template}"'))
            url = make_url(postgres_server_url()).set(database=self.pg_template)
            asyncio.run(migrate(url.render_as_string(hide_password=False)))

    def drop(self) -> None:
        if "postgresql" in BACKENDS:
            asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{self.pg_template}" '
                                       "WITH (FORCE)"))

    async def fresh(self, backend: str, tmp_path: Path) -> str:
        if backend == "sqlite":
            target = tmp_path / "berdaya.db"
            shutil.copyfile(self.sqlite_template, target)
            return f"sqlite+aiosqlite:///{target}"
        name = f"berdaya_t_{uuid.uuid4().hex[:12]}"
        await _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_template}"')
        return make_url(postgres_server_url()).set(database=name).render_as_string(
            hide_password=False)

    async def empty(self, backend: str, tmp_path: Path) -> str:
        """An unmigrated database, for migration tests."""
        if backend == "sqlite":
            return f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        name = f"berdaya_e_{uuid.uuid4().hex[:12]}"
        await _admin_execute(f'CREATE DATABASE "{name}"')
        return make_url(postgres_server_url()).set(database=name).render_as_string(
            hide_password=False)

    @staticmethod
    async def discard(url: str) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "postgresql":
            await _admin_execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
