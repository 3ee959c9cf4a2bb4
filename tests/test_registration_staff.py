"""/fasilitator: only admins promote, after finding and confirming; the new facilitator's
command list grows at once."""

from __future__ import annotations

from models import Role
from tests.support.harness import BotHarness
from tests.support.members import make_member
from tests.support.wizard import stored


async def test_members_and_facilitators_cannot_promote(harness: BotHarness) -> None:
    await make_member(harness.sessionmaker, 1001, "Siti Aminah")
    await make_member(harness.sessionmaker, 1002, "Bu Fasil", role=Role.FACILITATOR)
    for user_id in (1001, 1002):
        user = harness.user(user_id, "X")
        await user.send("/fasilitator Siti")
        assert "hanya untuk admin program" in user.text
        await user.tap_data(user.last_reply.message_id, "st.y:1")
        assert "admin" in (user.sim.callback_answers[-1].text or "")
    stranger = harness.user(1003, "Y")
    await stranger.send("/fasilitator 1001")
    assert "admin" in stranger.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.role == Role.MEMBER


async def test_admin_promotes_after_confirming(harness: BotHarness) -> None:
    siti = await make_member(harness.sessionmaker, 1001, "Siti Aminah", language="en")
    sitti = await make_member(harness.sessionmaker, 1002, "Sitti Rohani")
    await make_member(harness.sessionmaker, 2001, "Pak Admin", role=Role.ADMIN)
    siti_user = harness.user(1001, "Siti")
    await siti_user.send("/start")
    admin = harness.user(2001, "Admin")
    await admin.send("/fasilitator")
    assert "/fasilitator Siti" in admin.text
    await admin.send("/fasilitator <b>nobody</b>")
    assert "“<b>nobody</b>”" in admin.text
    await admin.send("sit")
    assert "Silakan pilih dari menu" in admin.text
    await admin.send("/fasilitator sit")
    assert admin.sim.inline_buttons == [f"Siti Aminah (Pasar Bangko, Bangko, #{siti.id})",
                             f"Sitti Rohani (Pasar Bangko, Bangko, #{sitti.id})"]
    await admin.tap("Siti Aminah")
    assert "Jadikan Siti Aminah (Pasar Bangko, Bangko" in admin.text
    await admin.tap("Tidak")
    assert "tidak ada yang berubah" in admin.text
    await admin.send(f"/fasilitator {siti.id}")
    await admin.tap("Siti Aminah")
    await admin.tap("Ya, jadikan fasilitator")
    assert "sekarang fasilitator" in admin.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.role == Role.FACILITATOR
    assert "You are now a Berdaya facilitator" in siti_user.text
    commands = harness.api.bot_commands({"type": "chat", "chat_id": 1001})
    names = [c["command"] for c in commands]
    assert "pelatihan_baru" in names and "fasilitator" not in names and "audit" not in names
    assert "Publish a new training" in [c["description"] for c in commands]
    await admin.send("/fasilitator 1001")
    await admin.tap("Siti Aminah")
    assert "sudah menjadi petugas" in admin.text
