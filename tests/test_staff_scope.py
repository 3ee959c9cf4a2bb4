"""Facilitators limited to one kecamatan: set by an admin in chat or on the command line, and
kept to it when they broadcast."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import SessionMaker
from bot.services import audit, broadcasts, places, staff
from bot.services.broadcasts import BroadcastRefused, Problem
from bot.services.broadcasts_audience import Audience
from bot.services.staff import ScopeRefused
from models import Member, Role
from models.broadcast import Broadcast
from tests.support.broadcasts import crowd, facilitator, reachable
from tests.support.clock import Clock
from tests.support.harness import BotHarness
from tests.support.members import make_member
from tests.test_cli import berdaya, one_line_error

BANGKO = "15.02.02"
PASAR_BANGKO = "15.02.02.1010"
TABIR = "15.02.05"


async def stored_scope(sessionmaker: SessionMaker, member_id: int) -> str | None:
    async with sessionmaker() as session:
        return await session.scalar(
            select(Member.scope_kecamatan).where(Member.id == member_id))


async def test_an_admin_limits_a_facilitator_in_chat(harness: BotHarness,
                                                     seeded: SessionMaker) -> None:
    admin = await reachable(harness.api, seeded, 800, "Pak Admin", role=Role.ADMIN)
    helper = await facilitator(harness.api, seeded, 900)
    boss = harness.user(800)
    await boss.send("/wilayah_fasilitator")
    assert boss.text.startswith("Fasilitator yang mana?")
    assert boss.buttons == [f"Bu Fasilitator (#{helper.id}) · seluruh Merangin"]
    await boss.tap(boss.buttons[0])
    assert boss.text == "Di mana Bu Fasilitator bertugas? Sekarang: seluruh Merangin."
    assert boss.buttons[0] == "✅ 🌐 Seluruh Merangin" and "Bangko" in boss.buttons
    await boss.tap("Bangko")
    assert boss.text == "Selesai: Bu Fasilitator sekarang bertugas di kecamatan Bangko."
    assert await stored_scope(seeded, helper.id) == BANGKO
    told = harness.user(900)
    await harness.wait_for(lambda: "wilayah tugas Anda: kecamatan Bangko" in told.text)
    [entry] = await audit.entries(seeded)
    assert (entry.action, entry.actor_id, entry.subject, entry.details) == (
        "scope.changed", admin.id, f"member:{helper.id}", {"from": None, "to": BANGKO})

    await boss.send("/wilayah_fasilitator")
    assert boss.buttons == [f"Bu Fasilitator (#{helper.id}) · kecamatan Bangko"]
    await boss.tap(boss.buttons[0])
    await boss.tap("✅ Bangko")
    assert boss.text == ("Tidak ada yang berubah: Bu Fasilitator memang bertugas di "
                         "kecamatan Bangko.")
    await boss.send("/wilayah_fasilitator")
    await boss.tap(boss.buttons[0])
    await boss.tap("🌐 Seluruh Merangin")
    assert await stored_scope(seeded, helper.id) is None
    assert len(await audit.entries(seeded)) == 2


async def test_only_admins_and_only_valid_choices(harness: BotHarness,
                                                  seeded: SessionMaker) -> None:
    await reachable(harness.api, seeded, 800, "Pak Admin", role=Role.ADMIN)
    boss = harness.user(800)
    await boss.send("/wilayah_fasilitator")
    assert boss.text.startswith("Belum ada fasilitator.")
    helper = await facilitator(harness.api, seeded, 900)
    await harness.user(900).send("/wilayah_fasilitator")
    assert harness.user(900).text == "Maaf, fitur ini hanya untuk admin program."
    await boss.send("/wilayah_fasilitator")
    message_id = boss.last_reply.message_id
    for data in (f"sc.k:{helper.id}:99.99.99", f"sc.k:{helper.id}:{PASAR_BANGKO}",
                 f"sc.k:{helper.id + 50}:{BANGKO}", "sc.k:x:y", f"sc.k:{boss.id}:{BANGKO}"):
        await boss.tap_data(message_id, data)
    assert await stored_scope(seeded, helper.id) is None
    assert await audit.entries(seeded) == []


async def test_scope_rules_in_the_service(seeded: SessionMaker) -> None:
    villager = await make_member(seeded, 1001, "Siti")
    admin = await make_member(seeded, 1002, "Pak Admin", role=Role.ADMIN)
    helper = await make_member(seeded, 1003, "Bu Fasil", role=Role.FACILITATOR)
    for member_id, code in ((villager.id, BANGKO), (admin.id, BANGKO), (helper.id, PASAR_BANGKO),
                            (helper.id, "15.99.99"), (9999, BANGKO)):
        with pytest.raises(ScopeRefused):
            await staff.set_scope(seeded, member_id, code, actor=admin)
    assert await staff.set_scope(seeded, helper.id, BANGKO, actor=admin)
    assert not await staff.set_scope(seeded, helper.id, BANGKO, actor=admin)
    assert [f.scope_name for f in await staff.facilitators(seeded)] == ["Bangko"]


async def test_a_limited_facilitator_broadcasts_only_inside_their_kecamatan(
    harness: BotHarness, seeded: SessionMaker, clock: Clock,
) -> None:
    api = harness.api
    helper = await facilitator(api, seeded, 900)
    await staff.set_scope(seeded, helper.id, BANGKO, actor=None)
    await crowd(api, seeded, 2, desa_code=PASAR_BANGKO)  # and the facilitator: 3
    tabir_desa = (await places.desa_list(seeded, TABIR))[0].code
    await crowd(api, seeded, 3, first=6000, desa_code=tabir_desa)
    person = harness.user(900)
    await person.send("/siaran")
    await person.send("Rapat kelompok")
    await person.tap("Tanpa tombol")
    assert "Kecamatan: Bangko" in person.text
    assert "3 anggota</b> akan menerima" in person.last_reply.html
    assert "↺ Semua anggota aktif" not in person.buttons
    await person.tap("📍 Kecamatan")
    kecamatan = [label for label in person.buttons if "Bangko" in label or "Tabir" in label]
    assert kecamatan == ["✓ Bangko"]
    await person.tap_data(person.last_reply.message_id, f"bs.v:k:0:{TABIR}")
    assert "3 anggota</b> akan menerima" in person.last_reply.html
    await person.tap("✓ Bangko")  # unchoosing their own kecamatan keeps it
    assert "3 anggota</b> akan menerima" in person.last_reply.html

    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.create_broadcast(seeded, sender_member_id=helper.id, text="x",
                                          audience=Audience(kecamatan=(TABIR,)), now=clock())
    assert refused.value.problem == Problem.OUT_OF_SCOPE
    with pytest.raises(BroadcastRefused):
        await broadcasts.create_broadcast(seeded, sender_member_id=helper.id, text="x",
                                          audience=Audience(desa=(tabir_desa,)), now=clock())
    made = await broadcasts.create_broadcast(seeded, sender_member_id=helper.id, text="x",
                                             audience=Audience(), now=clock())
    async with seeded() as session:
        stored = await session.get(Broadcast, made.id)
        assert stored is not None and stored.audience == {"kecamatan": [BANGKO]}


def test_the_command_line_sets_and_lifts_the_limit(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"
    env = {"BERDAYA_DATABASE__URL": f"sqlite:///{database}"}
    assert berdaya("db", "seed", cwd=tmp_path, env=env).returncode == 0
    assert berdaya("admin", "add", "777", cwd=tmp_path, env=env).returncode == 0
    done = berdaya("admin", "scope", "777", "bangko", cwd=tmp_path, env=env)
    assert done.stdout.strip() == f"777 now works in kecamatan Bangko ({BANGKO})", done.stderr
    assert f"777\tfacilitator\t(not registered)\tkecamatan {BANGKO}" in berdaya(
        "admin", "list", cwd=tmp_path, env=env).stdout
    assert "no kecamatan 'Atlantis'" in one_line_error(
        berdaya("admin", "scope", "777", "Atlantis", cwd=tmp_path, env=env))
    assert "888 is not a facilitator" in one_line_error(
        berdaya("admin", "scope", "888", "Bangko", cwd=tmp_path, env=env))
    assert "either a KECAMATAN or --all" in one_line_error(
        berdaya("admin", "scope", "777", cwd=tmp_path, env=env))
    lifted = berdaya("admin", "scope", "777", "--all", cwd=tmp_path, env=env)
    assert lifted.stdout.strip() == "777 now works in the whole kabupaten"
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT action, actor_role, details FROM audit_log ORDER BY id"
                          ).fetchall()
    assert [(action, role) for action, role, _ in rows] == [
        ("role.changed", "cli"), ("scope.changed", "cli"), ("scope.changed", "cli")]
