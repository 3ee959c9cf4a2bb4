"""The registration wizard end to end: both languages, consent, cancel, restart, returning."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.services.registration import CONSENT_VERSION
from models import ConversationState, Member, Status, UserData
from models.registration import ConsentEvent
from tests.support.clock import START
from tests.support.harness import BotHarness
from tests.support.wizard import flush, register, stored, tap_exact

MENU_ID = [["📅 Jadwal Pelatihan", "💰 Harga Pasar"], ["💡 Tips", "👤 Profil"], ["❓ Bantuan"]]
MENU_EN = [["📅 Training schedule", "💰 Market prices"], ["💡 Tips", "👤 Profile"], ["❓ Help"]]


async def _count(harness: BotHarness, model: type) -> int:
    async with harness.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_happy_path_in_indonesian(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti", language_code="id")
    await user.send("/start")
    intro = user.chat[-2]
    assert "Berdaya" in (intro.text or "") and len((intro.text or "").splitlines()) == 2
    assert "Setuju" in user.buttons[0] and "Tidak" in user.buttons[1]
    assert CONSENT_VERSION in user.text and "/hapus_data" in user.text
    await user.tap("Setuju")
    assert "nama lengkap" in user.text and user.keyboard is None
    await user.send("  Siti   Aminah ")
    assert "kecamatan" in user.text and len(user.buttons) == 24
    assert all(len(row) == 2 for row in user.last_reply.inline_keyboard)
    await tap_exact(user, "Muara Siau")
    assert "Halaman 1 dari 2" in user.text and "▶" in user.buttons and "◀" not in user.buttons
    assert "↩ Kembali" in user.buttons
    await user.tap("▶")
    assert "Halaman 2 dari 2" in user.text and "◀" in user.buttons
    await user.tap("◀")
    await user.tap("Kembali")
    assert len(user.buttons) == 24
    await tap_exact(user, "Bangko")
    await tap_exact(user, "Pasar Bangko")
    assert "Pasar Bangko, Kecamatan Bangko" in user.chat[-2].text
    assert "Penyandang disabilitas" not in user.buttons
    await user.tap("Petani kecil")
    await user.tap("Perempuan")
    await user.tap("Petani kecil")
    await user.tap("Pelaku usaha")
    assert "✓ Perempuan/ibu rumah tangga" in user.buttons and "Petani kecil" in user.buttons
    await user.tap("Selesai")
    assert "tangga" in user.text and "Lebih baik tidak menjawab" in user.buttons
    await user.tap("Ya")
    assert user.keyboard == [["📱 Kirim nomor saya"], ["Lewati"]]
    await user.share_contact("0812-3456-7890")
    summary = user.text
    for expected in ("Siti Aminah", "Pasar Bangko, Kecamatan Bangko",
                     "Penyandang disabilitas, Perempuan/ibu rumah tangga, Pelaku usaha kecil",
                     "+6281234567890", "Bahasa Indonesia"):
        assert expected in summary
    assert user.buttons == ["✅ Benar", "✏️ Ubah"]
    assert await stored(harness.sessionmaker, 1001) is None
    await user.tap("Benar")
    assert "Terima kasih, Siti Aminah" in user.text and user.keyboard == MENU_ID

    member = await stored(harness.sessionmaker, 1001)
    assert member is not None
    assert (member.full_name, member.desa_code, member.phone, member.language, member.chat_id) == (
        "Siti Aminah", "15.02.02.1010", "+6281234567890", "id", 1001)
    assert sorted(g.code for g in member.groups) == ["disabilitas", "perempuan", "usaha"]
    assert (member.consent_version, member.consent_at) == (CONSENT_VERSION, START)
    assert member.status == Status.ACTIVE
    await flush(harness)
    assert await _count(harness, UserData) == 0
    assert await _count(harness, ConversationState) == 0


async def test_happy_path_in_english(harness: BotHarness) -> None:
    user = harness.user(1002, "John", language_code="en")
    await user.send("/start")
    assert user.buttons == ["Bahasa Indonesia", "English"]
    assert "Welcome to Berdaya" in user.chat[-2].text
    await user.tap("English")
    assert "I agree" in user.buttons[0] and "Do you agree?" in user.text
    await user.tap("I agree")
    await user.send("John O'Brien")
    await tap_exact(user, "Tabir")
    await user.tap(user.buttons[0])
    await user.tap("Small farmer")
    await user.tap("Done")
    await user.tap("I prefer not to answer")
    assert user.keyboard == [["📱 Send my number"], ["Skip"]]
    await user.tap("Skip")
    assert "not given" in user.text and "Disability: I prefer not to answer" in user.text
    assert "English" in user.text
    await user.tap("Correct")
    assert "Thank you, John O'Brien" in user.text and user.keyboard == MENU_EN
    member = await stored(harness.sessionmaker, 1002)
    assert member is not None and member.language == "en" and member.phone is None
    assert [g.code for g in member.groups] == ["petani"]


async def test_an_unknown_phone_language_is_asked_and_indonesian_can_be_chosen(
    harness: BotHarness,
) -> None:
    user = harness.user(1003, "Rahmat", language_code=None)
    await user.send("/start")
    assert user.buttons == ["Bahasa Indonesia", "English"]
    await user.tap("Bahasa Indonesia")
    assert "Setuju" in user.buttons[0]
    user_ms = harness.user(1004, "Aminah", language_code="ms")
    await user_ms.send("/start")
    await user_ms.tap("English")
    assert "I agree" in user_ms.buttons[0]


async def test_no_consent_stores_nothing(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti")
    await user.send("/start")
    await user.tap("Tidak")
    assert "Tidak ada data Anda yang disimpan" in user.text and "/daftar" in user.text
    await flush(harness)
    for model in (Member, UserData, ConversationState, ConsentEvent):
        assert await _count(harness, model) == 0, model
    await user.send("Siti Aminah")
    assert "/daftar" in user.text


async def test_cancel_at_any_step_and_daftar_restarts(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti")
    await user.send("/daftar")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    await user.send("/batal")
    assert "dibatalkan" in user.text
    await user.send("Bangko")
    assert "daftar" in user.text.lower() and "kecamatan" not in user.text
    await user.send("/start")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    await user.send("/daftar")
    assert "Setuju" in user.buttons[0]
    await flush(harness)
    assert await _count(harness, Member) == 0


async def test_state_survives_a_restart(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti")
    await user.send("/start")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    await tap_exact(user, "Bangko")
    await harness.restart()
    await tap_exact(user, "Pasar Bangko")
    assert "kelompok" in user.text
    await user.tap("Pemuda")
    await harness.restart()
    await user.send("/start")
    assert "lanjutkan" in user.chat[-2].text
    assert "✓ Pemuda" in user.buttons
    await user.tap("Selesai")
    await user.tap("Tidak")
    await user.tap("Lewati")
    assert "Siti Aminah" in user.text and "Pasar Bangko" in user.text
    await user.tap("Benar")
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and [g.code for g in member.groups] == ["pemuda"]


async def test_summary_change_returns_to_the_summary(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti")
    await user.send("/start")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    await tap_exact(user, "Bangko")
    await tap_exact(user, "Pasar Bangko")
    await user.tap("Selesai")
    await user.tap("Tidak")
    await user.tap("Lewati")
    await user.tap("Ubah")
    assert user.buttons == ["✏️ Nama", "🏠 Desa", "👥 Kelompok", "📱 Nomor HP", "🌐 Bahasa",
                            "↩ Kembali"]
    await user.tap("Kembali")
    assert user.buttons == ["✅ Benar", "✏️ Ubah"]
    await user.tap("Ubah")
    await user.tap("Nama")
    await user.send("Siti Rahmawati")
    assert "Siti Rahmawati" in user.text and "Apakah semuanya sudah benar?" in user.text
    await user.tap("Ubah")
    await user.tap("Bahasa")
    await user.tap("English")
    assert "Is everything correct?" in user.text and "🌐 Language: English" in user.text
    await user.tap("Correct")
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.full_name == "Siti Rahmawati" and member.language == "en"


async def test_a_registered_member_gets_the_menu_not_the_wizard(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti")
    await register(user)
    await user.send("/start")
    assert "Selamat datang kembali, Siti Aminah" in user.text and user.keyboard == MENU_ID
    await user.send("/daftar")
    assert "sudah terdaftar" in user.text and user.keyboard == MENU_ID
    async with harness.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ConsentEvent)) == 1


async def test_old_buttons_after_registration_do_nothing(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti")
    await user.send("/start")
    consent = user.last_reply.message_id
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    kecamatan = user.last_reply
    await user.tap_data(consent, "r.c:no")
    assert user.sim.callback_answers[-1].text == "Tombol ini sudah tidak berlaku."
    await tap_exact(user, "Bangko")
    await tap_exact(user, "Pasar Bangko")
    await user.tap("Selesai")
    await user.tap("Tidak")
    await user.tap("Lewati")
    await user.tap("Benar")
    await user.tap_data(kecamatan.message_id, "r.k:15.02.06")
    assert user.sim.callback_answers[-1].text == "Tombol ini sudah tidak berlaku."
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.desa_code == "15.02.02.1010"


STEPS = ["consent", "name", "place", "groups", "disability", "phone", "summary"]


@pytest.mark.parametrize("step", STEPS)
async def test_batal_at_every_step_stores_nothing(harness: BotHarness, step: str) -> None:
    user = harness.user(1001, "Siti")
    await user.send("/start")
    actions = [lambda: user.tap("Setuju"), lambda: user.send("Siti Aminah"),
               lambda: tap_exact(user, "Bangko"), lambda: tap_exact(user, "Pasar Bangko"),
               lambda: user.tap("Selesai"), lambda: user.tap("Tidak"),
               lambda: user.tap("Lewati")]
    skip_place = 1 if STEPS.index(step) > STEPS.index("place") else 0
    for action in actions[:STEPS.index(step) + skip_place]:
        await action()
    await user.send("/batal")
    assert "Pendaftaran dibatalkan" in user.text and user.keyboard is None
    await flush(harness)
    assert await _count(harness, Member) == 0 and await _count(harness, UserData) == 0


async def test_language_can_be_changed_midway(harness: BotHarness) -> None:
    user = harness.user(1001, "Siti")
    await user.send("/start")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    await user.send("/bahasa")
    await user.tap("English")
    assert "In which kecamatan do you live?" in user.text
    await tap_exact(user, "Bangko")
    assert "Now tap your desa" in user.text


async def test_double_taps_are_harmless(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """The second tap asks Telegram for an edit that changes nothing ("not modified")."""
    user = harness.user(1001, "Siti")
    await user.send("/start")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    message = user.last_reply.message_id
    await tap_exact(user, "Bangko")
    await user.tap_data(message, "r.k:15.02.02")
    assert [c.description for c in harness.api.find_calls("editMessageText", ok=False)]
    assert not [r for r in caplog.records if r.name == "berdaya.errors"]
    await tap_exact(user, "Pasar Bangko")
    assert "kelompok" in user.text
