"""Personal data end to end: export, erasure (nothing left anywhere), pausing, blocking."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import privacy
from models import Member, Status
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.wizard import all_text, flush, register, stored

NAME, PHONE = "Siti Aminah", "+6281234567890"


def _contains(value: Any, needle: str) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return needle.lower() in text.lower() or needle.removeprefix("+") in text


async def _registered(harness: BotHarness) -> TestUser:
    user = harness.user(1001, "Siti")
    await register(user, name=NAME, phone=PHONE, groups=("Petani kecil", "Pemuda"))
    return user


@pytest.fixture
def extra_section() -> Iterator[list[int]]:
    """A journey's personal data, registered through the public hook as journeys do."""
    erased: list[int] = []

    async def export(_session: AsyncSession, member_id: int) -> list[dict[str, Any]]:
        return [{"member_id": member_id, "note": "enrolled in Menjahit"}]

    async def erase(_session: AsyncSession, member_id: int) -> None:
        erased.append(member_id)

    privacy.register_personal_data("test_section", export, erase,
                                   label="Things from a test journey")
    yield erased
    privacy._sections.pop("test_section")


async def test_export_sends_a_message_and_a_json_file(
    harness: BotHarness, extra_section: list[int]
) -> None:
    user = await _registered(harness)
    await user.send("/data_saya")
    message, document = user.chat[-2], user.chat[-1]
    for expected in ("Semua data Anda", NAME, "Pasar Bangko", "Petani kecil, Pemuda", PHONE,
                     "versi 2026-11", "Things from a test journey: 1"):
        assert expected in (message.text or ""), expected
    assert document.document is not None
    assert document.document["file_name"] == "berdaya-data-saya.json"
    stored_file = harness.api.files.get(document.document["file_id"])
    assert stored_file is not None
    data = json.loads(stored_file.data)
    assert data["member"]["full_name"] == NAME and data["member"]["phone"] == PHONE
    assert data["member"]["desa_code"] == "15.02.02.1010"
    assert data["member"]["consents"][0]["version"] == "2026-11"
    assert data["test_section"] == [{"member_id": data["member"]["id"],
                                     "note": "enrolled in Menjahit"}]
    await user.send("👤 Profil")
    await user.tap("📄 Data saya")
    assert user.last_reply.document is not None


async def test_erasure_leaves_no_name_or_phone_anywhere(
    harness: BotHarness, extra_section: list[int]
) -> None:
    user = await _registered(harness)
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None
    await user.send("/profil")
    await user.tap("Nama")
    await user.send("Siti Aminah Rahmawati")
    await user.tap("Desa")
    await flush(harness)
    before = await all_text(harness.sessionmaker)
    assert any(_contains(v, "Rahmawati") for _, _, v in before)
    assert any(table == "conversation_states" for table, _, _ in before)
    await user.send("/hapus_data")
    assert "Hapus data Anda?" in user.text
    await user.tap("Ya, hapus data saya")
    assert "sudah dihapus" in user.text and user.keyboard is None
    await flush(harness)
    assert extra_section == [member.id]
    leftovers = [(table, column) for table, column, value in await all_text(harness.sessionmaker)
                 for needle in (NAME, PHONE, "1001") if _contains(value, needle)]
    assert leftovers == []
    async with harness.sessionmaker() as session:
        tombstone = await session.get(Member, member.id)
    assert tombstone is not None and tombstone.status == Status.DELETED
    assert tombstone.desa_code is None and not tombstone.is_registered

    await user.send("/profil")
    assert "/daftar" in user.text
    await register(user, name="Siti Baru", phone=None)
    again = await stored(harness.sessionmaker, 1001)
    assert again is not None and again.id != member.id and again.full_name == "Siti Baru"


async def test_erasure_needs_confirmation(harness: BotHarness) -> None:
    user = await _registered(harness)
    await user.send("👤 Profil")
    await user.tap("Hapus data saya")
    await user.tap("Tidak, simpan saja")
    assert "tetap seperti semula" in user.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.full_name == NAME


async def test_stop_and_resume_announcements(harness: BotHarness) -> None:
    user = await _registered(harness)
    await user.send("/berhenti")
    assert "tidak akan menerima pengumuman" in user.text
    await user.send("/berhenti")
    assert "memang sedang dihentikan" in user.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.status == Status.STOPPED
    await user.send("/start")
    assert "/langganan" in user.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.status == Status.STOPPED
    await user.send("/langganan")
    assert "menerima pengumuman lagi" in user.text
    await user.send("/langganan")
    assert "sudah menerima" in user.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.status == Status.ACTIVE


async def test_blocking_and_coming_back(harness: BotHarness) -> None:
    await make_member(harness.sessionmaker, 1001, NAME)
    user = harness.user(1001, "Siti")

    async def status() -> str:
        async with harness.sessionmaker() as session:
            return str(await session.scalar(select(Member.status)
                                             .where(Member.external_id == "1001")))

    await user.block()
    assert await status() == Status.BLOCKED
    await user.unblock()
    assert await status() == Status.ACTIVE
    await user.block()
    await user.unblock()
    await user.block()
    await user.sim.unblock()
    await user.send("/start")
    assert await status() == Status.ACTIVE
    await user.send("/berhenti")
    await user.block()
    assert await status() == Status.STOPPED
    await user.unblock()
    assert await status() == Status.STOPPED


async def test_block_of_an_unknown_person_is_harmless(harness: BotHarness) -> None:
    user = harness.user(1009, "Anon")
    await user.block()
    await user.unblock()
    async with harness.sessionmaker() as session:
        assert (await session.scalars(select(Member))).all() == []
