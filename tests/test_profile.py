"""/profil, its change buttons, /bahasa and /bantuan, end to end."""

from __future__ import annotations

import handlers
from models import Role
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.wizard import stored, tap_exact


async def _member(harness: BotHarness, **details: object) -> TestUser:
    await make_member(harness.sessionmaker, 1001, "Siti Aminah", phone="+6281234567890",
                      groups=("petani",), **details)  # type: ignore[arg-type]
    return harness.user(1001, "Siti")


async def test_profile_shows_what_is_stored(harness: BotHarness) -> None:
    user = await _member(harness)
    await user.send("/profil")
    for expected in ("Profil Anda", "Nama: Siti Aminah", "Pasar Bangko, Kecamatan Bangko",
                     "Kelompok: Petani kecil", "+6281234567890", "Bahasa Indonesia"):
        assert expected in user.text
    assert user.buttons[:5] == ["✏️ Nama", "🏠 Desa", "👥 Kelompok", "📱 Nomor HP", "🌐 Bahasa"]
    await user.send("👤 Profil")
    assert "Profil Anda" in user.text


async def test_change_each_detail(harness: BotHarness) -> None:
    user = await _member(harness)
    await user.send("/profil")
    await user.tap("Nama")
    await user.send("1234")
    assert "tidak memakai angka" in user.text
    await user.send("Siti Rahmawati")
    assert "Tersimpan." in user.chat[-2].text and "Nama: Siti Rahmawati" in user.text
    await user.tap("Desa")
    await user.send("rejo sari")
    await user.tap("Rejo Sari, Kecamatan Pamenang")
    assert "Rejo Sari, Kecamatan Pamenang" in user.text
    await user.tap("Kelompok")
    assert "✓ Petani kecil" in user.buttons
    await user.tap("Petani kecil")
    await user.tap("Pemuda")
    await user.tap("Selesai")
    await user.tap("Ya")
    assert "Kelompok: Penyandang disabilitas, Pemuda" in user.text
    await user.tap("Nomor HP")
    assert user.keyboard == [["📱 Kirim nomor saya"], ["🚫 Hapus nomor saya"]]
    await user.send("0812")
    assert "/batal" in user.text
    await user.tap("Hapus nomor saya")
    assert "Nomor HP: tidak diisi" in user.text
    assert user.keyboard is not None and ["💡 Tips", "👤 Profil"] in user.keyboard
    await user.tap("Nomor HP")
    await user.share_contact("628129999000")
    assert "+628129999000" in user.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None
    assert (member.full_name, member.desa_code, member.phone) == (
        "Siti Rahmawati", "15.02.06.2007", "+628129999000")
    assert sorted(g.code for g in member.groups) == ["disabilitas", "pemuda"]


async def test_cancel_a_change(harness: BotHarness) -> None:
    user = await _member(harness)
    await user.send("/profil")
    await user.tap("Desa")
    await tap_exact(user, "Tabir")
    await user.send("/batal")
    assert "tidak ada yang diubah" in user.text and user.keyboard is not None
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.desa_code == "15.02.02.1010"


async def test_language_switches_at_once(harness: BotHarness) -> None:
    user = await _member(harness)
    await user.send("/bahasa")
    assert user.buttons[:2] == ["✓ Bahasa Indonesia", "English"]
    await user.tap("English")
    assert "I will speak English" in user.text
    assert user.keyboard == [["📅 Training schedule", "💰 Market prices"],
                             ["💡 Tips", "👤 Profile"], ["❓ Help"]]
    await user.send("👤 Profil")
    assert "Your profile" in user.text and "Language: English" in user.text
    await user.tap("🌐 Language")
    await user.tap("Bahasa Indonesia")
    assert "memakai Bahasa Indonesia" in user.text
    await user.send("/bahasa en")
    assert "I will speak English" in user.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.language == "en"


async def test_unregistered_people_are_sent_to_register(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti")
    for command in ("/profil", "/bahasa", "/data_saya", "/hapus_data", "/berhenti"):
        await user.send(command)
        assert "/daftar" in user.text, command


async def test_help_explains_every_command_in_the_members_language(harness: BotHarness) -> None:
    user = await _member(harness, language="en")
    await user.send("/bantuan")
    member_commands = [c for c in handlers.COMMANDS if c.shown_to(None)]
    assert member_commands and not all(c.shown_to(None) for c in handlers.COMMANDS)
    for command in member_commands:
        assert f"/{command.name} — " in user.text, command.name
    assert "See and change your details" in user.text
    assert "For facilitators" not in user.text and "/fasilitator" not in user.text
    await user.send("❓ Help")
    assert "/profil" in user.text


async def test_staff_see_staff_commands_in_help(harness: BotHarness) -> None:
    await make_member(harness.sessionmaker, 2001, "Bu Admin", role=Role.ADMIN)
    admin = harness.user(2001, "Admin")
    await admin.send("/bantuan")
    assert "Untuk fasilitator" in admin.text
    for command in handlers.COMMANDS:
        assert f"/{command.name} — " in admin.text, command.name
    assert "Jadikan anggota sebagai fasilitator" in admin.text
    assert "Untuk admin" in admin.text


async def test_facilitators_do_not_see_admin_commands(harness: BotHarness) -> None:
    await make_member(harness.sessionmaker, 2002, "Bu Rina", role=Role.FACILITATOR)
    rina = harness.user(2002, "Rina")
    await rina.send("/bantuan")
    assert "Untuk fasilitator" in rina.text and "/pelatihan_baru" in rina.text
    for command in ("/audit", "/fasilitator", "/wilayah_fasilitator"):
        assert f"{command} — " not in rina.text
    assert "Untuk admin" not in rina.text


async def test_unknown_input_from_a_member_gets_an_answer(harness: BotHarness) -> None:
    user = await _member(harness)
    await user.send("halo")
    assert "tidak mengerti" in user.text and user.keyboard is not None
    await user.send("/entahlah")
    assert "/bantuan" in user.text
    await user.send("/batal")
    assert "Tidak ada yang perlu dibatalkan" in user.text


async def test_a_change_left_half_done_does_not_swallow_later_text(harness: BotHarness) -> None:
    user = await _member(harness)
    for leave in ("/bantuan", "💡 Tips", "📅 Jadwal Pelatihan"):
        await user.send("/profil")
        await user.tap("Nama")
        await user.send(leave)
        await user.send("Budi Santoso")
        assert "Tersimpan" not in user.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.full_name == "Siti Aminah"
    await user.send("/profil")
    await user.tap("Nama")
    await user.send("/bahasa")
    await user.tap("Bahasa Indonesia")
    await user.send("Siti Rahma")
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.full_name == "Siti Rahma"
