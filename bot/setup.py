"""Start-up work shared by `berdaya run`, `db upgrade` and the playground."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import migrations
from bot.config import Settings
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.services import members, regions

log = logging.getLogger(__name__)


class DatabaseUnavailable(Exception):
    """The database could not be reached or opened; the message is meant for the operator."""


def describe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


async def upgrade_database(engine: AsyncEngine, url: str) -> None:
    try:
        await migrations.upgrade(engine)
    except (OSError, DBAPIError, InterfaceError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise DatabaseUnavailable(f"cannot reach the database {describe(url)}: {reason}") from None


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[SessionMaker]:
    """A migrated database for one CLI command; the engine is gone when the command ends."""
    engine = create_engine(settings.database.url)
    try:
        await upgrade_database(engine, settings.database.url)
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def prepare_database(settings: Settings, *, seed: bool = True) -> None:
    """Migrate to head; load the shipped regions into an empty table; make configured admins."""
    async with open_database(settings) as sessionmaker:
        if seed and await regions.region_count(sessionmaker) == 0:
            result = await regions.seed_regions(
                sessionmaker, regions.parse_regions(regions.default_region_text(), "built-in")
            )
            log.info("loaded %d regions into an empty table", result.added)
        await members.ensure_admins(sessionmaker, settings.program.admins)
