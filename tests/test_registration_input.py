"""Every bad input the registration issue names gets a friendly re-ask and loses nothing."""

from __future__ import annotations

import pytest

from tests.support.harness import BotHarness, TestUser
from tests.support.wizard import register, stored, tap_exact


async def _at_name(harness: BotHarness, user_id: int = 1001) -> TestUser:
    user = harness.user(user_id, "Siti")
    await user.send("/start")
    await user.tap("Setuju")
    return user


async def _at_place(harness: BotHarness) -> TestUser:
    user = await _at_name(harness)
    await user.send("Siti Aminah")
    return user


@pytest.mark.parametrize(("typed", "expected"), [
    ("😀😀😀", "dengan huruf"),
    ("081234567", "tidak memakai angka"),
    ("https://contoh.com/siti", "tanpa tautan"),
    ("Siti " + "a" * 70, "lebih dari 64 huruf"),
    ("S", "terlalu pendek"),
    ("<b>&", "dengan huruf"),
])
async def test_bad_names_are_asked_again(harness: BotHarness, typed: str, expected: str) -> None:
    user = await _at_name(harness)
    await user.send(typed)
    assert expected in user.text
    await user.send("Siti Aminah")
    assert "kecamatan" in user.text


@pytest.mark.parametrize("send", ["send_sticker", "send_photo", "send_voice", "share_contact"])
async def test_anything_but_text_for_a_name(harness: BotHarness, send: str) -> None:
    user = await _at_name(harness)
    await getattr(user, send)()
    assert "nama yang diketik" in user.text
    await user.send("Siti Aminah")
    assert "kecamatan" in user.text


async def test_a_command_mid_form_is_not_taken_as_a_name(harness: BotHarness) -> None:
    user = await _at_name(harness)
    await user.send("/bantuan")
    assert "/daftar" in user.text
    await user.send("Siti Aminah")
    assert "kecamatan" in user.text


async def test_typed_kecamatan_is_confirmed(harness: BotHarness) -> None:
    user = await _at_place(harness)
    await user.send("bangko barat")
    assert "Apakah ini benar?" in user.text and "Kecamatan Bangko Barat" in user.text
    await user.tap("Ya, benar")
    assert "Kecamatan Bangko Barat. Sekarang tekan desa" in user.text
    await user.send("Bgko")
    assert "Kecamatan Bangko" in user.text and "Barat" not in user.text
    await user.tap("Tidak")
    assert len(user.buttons) == 24


async def test_typed_desa_within_the_chosen_kecamatan(harness: BotHarness) -> None:
    user = await _at_place(harness)
    await tap_exact(user, "Bangko")
    await user.send("psr bangko")
    assert "Pasar Bangko, Kecamatan Bangko" in user.text
    await user.tap("Tidak")
    assert "Kecamatan Bangko. Sekarang tekan desa" in user.text
    await user.send("pasar bangko")
    await user.tap("Ya, benar")
    assert "kelompok" in user.text
    member_draft = user.chat[-2].text or ""
    assert "Pasar Bangko" in member_draft


async def test_duplicate_desa_name_is_resolved_by_code(harness: BotHarness) -> None:
    user = await _at_place(harness)
    await user.send("Rejo Sari")
    assert "Yang mana" in user.text
    assert user.buttons == ["Rejo Sari, Kecamatan Pamenang", "Rejo Sari, Kecamatan Tabir Ilir",
                            "❌ Bukan semuanya"]
    await user.tap("Rejo Sari, Kecamatan Tabir Ilir")
    await user.tap("Selesai")
    await user.tap("Tidak")
    await user.tap("Lewati")
    await user.tap("Benar")
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.desa_code == "15.02.14.2004"


async def test_unknown_place_is_said_escaped(harness: BotHarness) -> None:
    user = await _at_place(harness)
    await user.send("<b>Kampung & Co</b>")
    not_found = user.chat[-2]
    assert not_found.text == ("Saya tidak menemukan “<b>Kampung & Co</b>”. Periksa lagi "
                              "ejaannya, atau tekan tombol di daftar.")
    assert len(user.buttons) == 24
    await user.send_sticker()
    assert "tekan kecamatan dan desa" in user.chat[-2].text and len(user.buttons) == 24


async def test_tampered_buttons_are_ignored(harness: BotHarness) -> None:
    user = await _at_place(harness)
    message = user.last_reply.message_id
    for data in ("r.k:99.99", "r.d:15.02.02", "r.d:no-such", "r.p:15.02.02:x", "r.k"):
        await user.tap_data(message, data)
        assert user.last_reply.message_id == message
    await tap_exact(user, "Bangko")
    await tap_exact(user, "Pasar Bangko")
    groups = user.last_reply.message_id
    await user.tap_data(groups, "r.g:astronot")
    await user.tap_data(groups, "r.g:disabilitas")
    assert not any(b.startswith("✓") for b in user.buttons)
    await user.send("Petani")
    assert "Silakan tekan salah satu tombol." in user.chat[-2].text


async def test_someone_elses_contact_is_refused(harness: BotHarness) -> None:
    user = await _at_place(harness)
    await tap_exact(user, "Bangko")
    await tap_exact(user, "Pasar Bangko")
    await user.tap("Selesai")
    await user.tap("Tidak")
    await user.share_contact("+6285200001111", own=False)
    assert "kontak orang lain" in user.text and "📱 Kirim nomor saya" in user.buttons
    await harness.processed(await user.sim.share_contact("+6285200001111", own=False,
                                                         user_id=4242))
    assert "kontak orang lain" in user.text
    await user.send("0812 3456 7890")
    assert "Kirim nomor saya" in user.text and "Lewati" in user.text
    await user.share_contact("+62 812-3456-7890")
    await user.tap("Benar")
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.phone == "+6281234567890"


async def test_a_name_with_html_is_stored_raw_and_shown_escaped(harness: BotHarness) -> None:
    """The wizard refuses "<b>&" (not a name); one can still arrive from an import or another
    channel, and every screen must then show it as plain text."""
    user = harness.user(1001, "Siti")
    await register(user, name="Siti Nur'aini")
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.full_name == "Siti Nur'aini"
    async with harness.sessionmaker() as session, session.begin():
        row = await session.get(type(member), member.id)
        assert row is not None
        row.full_name = "Siti <b>&"
    await user.send("/profil")
    assert "Nama: Siti <b>&" in user.text and "Siti &lt;b&gt;&amp;" in user.last_reply.html
    await user.send("/start")
    assert "Selamat datang kembali, Siti <b>&!" in user.text
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.full_name == "Siti <b>&"
