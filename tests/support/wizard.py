"""Walking the registration wizard in end-to-end tests, and reading back what it stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import selectinload

from bot.db import SessionMaker
from models import Base, Member
from tests.support.harness import BotHarness, TestUser


async def register(
    user: TestUser,
    name: str = "Siti Aminah",
    kecamatan: str = "Bangko",
    desa: str = "Pasar Bangko",
    groups: tuple[str, ...] = ("Petani kecil",),
    disability: str = "Tidak",
    phone: str | None = "+6281234567890",
) -> None:
    """The Indonesian happy path, by buttons, for a user whose phone says `id`."""
    await user.send("/start")
    await user.tap("Setuju")
    await user.send(name)
    await user.tap_data(user.last_reply.message_id, _data(user, kecamatan))
    await user.tap_data(user.last_reply.message_id, _data(user, desa))
    for group in groups:
        await user.tap(group)
    await user.tap("Selesai")
    await user.tap(disability)
    if phone is None:
        await user.tap("Lewati")
    else:
        await user.share_contact(phone)
    await user.tap("Benar")


def _data(user: TestUser, label: str) -> str:
    """Exact label match: kecamatan and desa names contain each other ("Bangko", "Pasar …")."""
    for row in user.last_reply.inline_keyboard:
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} in {user.last_reply.inline_buttons}")


async def tap_exact(user: TestUser, label: str) -> None:
    await user.tap_data(user.last_reply.message_id, _data(user, label))


async def stored(sessionmaker: SessionMaker, telegram_id: int) -> Member | None:
    async with sessionmaker() as session:
        return await session.scalar(
            select(Member).options(selectinload(Member.groups))
            .where(Member.external_id == str(telegram_id))
        )


async def all_text(sessionmaker: SessionMaker) -> list[tuple[str, str, Any]]:
    """Every string and JSON value in every table: for "is this person really gone" checks."""
    found: list[tuple[str, str, Any]] = []
    async with sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in (await session.execute(select(*columns))).all():
                found += [(table.name, c.name, v) for c, v in zip(columns, row, strict=True)
                          if v is not None]
    return found


async def flush(harness: BotHarness) -> None:
    """Write PTB's in-memory conversation states and user_data now (it does so every second)."""
    await harness.app.update_persistence()
