"""/pelatihan_baru: a facilitator publishes a training by buttons and short answers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db import SessionMaker
from bot.services import trainings
from models import Role
from tests.support.clock import START
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.trainings import at


def recent(user: TestUser, count: int = 2) -> str:
    """The last few bot messages: a refusal is followed by the question asked again."""
    return "\n".join(item.text or "" for item in [i for i in user.chat if i.from_bot][-count:])


async def _facilitator(harness: BotHarness, seeded: SessionMaker,
                       telegram_id: int = 900) -> TestUser:
    await make_member(seeded, telegram_id, "Bu Rina", role=Role.FACILITATOR)
    return harness.user(telegram_id, "Rina")


async def _fill_until_day(user: TestUser) -> None:
    await user.send("/pelatihan_baru")
    assert "Apa nama pelatihannya?" in user.text
    await user.send("Menjahit Tas Anyaman")
    await user.tap("🧵 Menjahit")
    await user.send("Membuat tas dari sisa kain. Bawa gunting sendiri.")
    await user.tap("Bangko")
    assert "Kecamatan Bangko. Desa atau kelurahan mana?" in user.text
    await user.tap("Kungkai")
    await user.send("Balai Desa Kungkai")
    await user.send_location(-2.0833, 102.2833)
    assert "Kapan mulainya?" in user.text


async def _fill_after_time(user: TestUser) -> None:
    assert "Berapa lama?" in user.text
    await user.tap("3 jam")
    await user.tap("25")
    await user.tap("Perempuan/ibu rumah tangga")
    assert "✓ Perempuan/ibu rumah tangga" in user.buttons
    await user.tap("Selesai")
    await user.tap("LSM")
    await user.send("Yayasan Pundi Sumatra")
    await user.send("Lantai dasar, tanpa tangga")


async def test_publish_by_buttons(harness: BotHarness, seeded: SessionMaker) -> None:
    user = await _facilitator(harness, seeded)
    await _fill_until_day(user)
    assert user.buttons[:3] == ["Sen 2/3", "Sel 3/3", "Rab 4/3"]
    await user.tap("Kam 5/3")
    assert "Jam berapa mulainya pada Kamis, 5 Maret 2026?" in user.text
    await user.tap("09.00")
    await _fill_after_time(user)
    preview = user.text
    assert "Pratinjau" in preview
    assert "📅 Kamis, 5 Maret 2026, 09.00–12.00 WIB" in preview
    assert "📍 Balai Desa Kungkai, Kungkai, Kec. Bangko" in preview
    assert "🪑 Sisa 25 kursi dari 25" in preview
    assert "🏛 LSM: Yayasan Pundi Sumatra" in preview
    assert "♿ Lantai dasar, tanpa tangga" in preview
    await user.tap("✅ Terbitkan")
    assert "✅ Sudah terbit!" in user.text
    page = await trainings.browse(seeded, START)
    (view,) = page.items
    training = view.training
    assert (training.title, training.category, training.capacity) == (
        "Menjahit Tas Anyaman", "menjahit", 25)
    assert (training.starts_at, training.ends_at) == (at(5, 9), at(5, 12))
    assert (training.latitude, training.longitude) == (-2.0833, 102.2833)
    assert training.organizer_kind == "lsm"
    assert training.created_by is not None
    assert training.target_groups == ["perempuan"]


@pytest.mark.parametrize(
    ("typed", "starts"),
    [("12/3 09.00", at(12, 9)), ("12 Maret 2026 09:00", at(12, 9)),
     ("12 March 2026 9:30", at(12, 9, 30))],
)
async def test_typed_dates(harness: BotHarness, seeded: SessionMaker, typed: str,
                           starts: object) -> None:
    user = await _facilitator(harness, seeded)
    await _fill_until_day(user)
    await user.send(typed)
    await _fill_after_time(user)
    await user.tap("✅ Terbitkan")
    (view,) = (await trainings.browse(seeded, START)).items
    assert view.training.starts_at == starts


async def test_bad_answers_are_asked_again(harness: BotHarness, seeded: SessionMaker) -> None:
    user = await _facilitator(harness, seeded)
    await user.send("/pelatihan_baru")
    await user.send("Ab")
    assert "Judul harus 3 sampai 120 huruf." in user.text
    await user.send_sticker()
    assert "Apa nama pelatihannya?" in user.text
    await user.send("Budidaya Cabai Merah")
    await user.send("memasak")
    assert "Kategori itu tidak ada." in user.text
    await user.send("Budidaya pertanian")  # typing a category's name works too
    assert "Jelaskan dalam beberapa kalimat" in user.text
    await user.tap("Lewati")
    await user.send("Kecamatan Antah Berantah")
    assert "tidak ada di daftar" in recent(user)
    await user.send("bangko")
    await user.send("Desa Entah")
    assert "Tidak ada desa atau kelurahan bernama “Desa Entah” di Kecamatan Bangko" in recent(
        user)
    await user.send("Kungkai")
    await user.send("Balai Desa Kungkai")
    await user.send("tidak tahu")
    assert "coordinates" not in user.text and "koordinat" in user.text
    await user.send("95, 102")
    assert "bukan titik yang benar" in user.text
    await user.tap("Lewati")
    await user.send("1/3 09.00")  # yesterday
    assert "Waktu mulai itu sudah lewat." in recent(user)
    await user.send("31/2 09.00")
    assert "Tanggal atau jam itu tidak ada." in user.text
    await user.send("minggu depan")
    assert "tidak bisa membacanya" in user.text
    await user.send("12/3")
    assert "Jam berapa mulainya pada Kamis, 12 Maret 2026?" in user.text
    await user.send("09.00")
    await user.send("08.00")  # ends before it starts
    assert "Waktu selesai harus sesudah waktu mulai." in user.text
    await user.send("12.00")
    await user.send("0")
    assert "Jumlah kursi harus antara 1 dan 10000." in user.text
    await user.send("10001")
    assert "Jumlah kursi harus antara 1 dan 10000." in user.text
    await user.send("banyak")
    assert "Silakan kirim angka" in user.text
    await user.send("30 orang")
    await user.tap("Selesai")
    await user.send("swasta besar")
    assert "Silakan tekan Pemda, LSM, atau Mitra swasta." in user.text
    await user.tap("Pemda")
    await user.send("Dinas Pertanian Kabupaten Merangin")
    await user.tap("Lewati")
    assert "👥 Terbuka untuk umum" in user.text
    assert "🪑 Sisa 30 kursi dari 30" in user.text
    await user.tap("✅ Terbitkan")
    (view,) = (await trainings.browse(seeded, START)).items
    assert (view.training.starts_at, view.training.ends_at) == (at(12, 9), at(12, 12))


async def test_a_start_that_passed_while_the_preview_waited(
    harness: BotHarness, seeded: SessionMaker, clock: object
) -> None:
    user = await _facilitator(harness, seeded)
    await _fill_until_day(user)
    await user.send("2/3 10.00")
    await _fill_after_time(user)
    clock.advance(timedelta(hours=3))  # type: ignore[attr-defined]
    await user.tap("✅ Terbitkan")
    assert "Waktu mulai itu sudah lewat." in user.chat[-2].text
    assert "Pratinjau" in user.text
    await user.tap("✏️ Ubah sesuatu")
    await user.tap("📅 Tanggal dan jam")
    await user.send("3/3 10.00")
    await user.tap("2 jam")
    assert "Selasa, 3 Maret 2026, 10.00–12.00 WIB" in user.text
    await user.tap("✅ Terbitkan")
    assert "✅ Sudah terbit!" in user.text


async def test_the_form_survives_a_restart(harness: BotHarness, seeded: SessionMaker) -> None:
    user = await _facilitator(harness, seeded)
    await _fill_until_day(user)
    await harness.restart()
    await user.send("12/3 09.00")
    assert "Berapa lama?" in user.text
    await _fill_after_time(user)
    await user.tap("✅ Terbitkan")
    assert len((await trainings.browse(seeded, START)).items) == 1


async def test_batal_stops_and_discard_saves_nothing(harness: BotHarness,
                                                     seeded: SessionMaker) -> None:
    user = await _facilitator(harness, seeded)
    await user.send("/pelatihan_baru")
    await user.send("Pelatihan Coba")
    await user.send("/batal")
    assert "Dihentikan. Tidak ada yang disimpan." in user.text
    await _fill_until_day(user)
    await user.send("12/3 09.00")
    await _fill_after_time(user)
    await user.tap("🗑 Buang")
    assert "Tidak ada yang disimpan." in user.text
    assert (await trainings.browse(seeded, START)).total == 0


async def test_members_cannot_use_facilitator_commands(harness: BotHarness,
                                                       seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    user = harness.user(1001)
    for command in ("/pelatihan_baru", "/pelatihan_kelola"):
        await user.send(command)
        assert "hanya untuk fasilitator" in user.text
    await user.send("Pelatihan Rahasia")
    assert (await trainings.browse(seeded, START)).total == 0
    await user.send("/hadir")
    assert "kirim /hadir dan 4 angka kode" in user.text
    stranger = harness.user(1002)
    await stranger.send("/pelatihan_baru")
    assert "fasilitator" in stranger.text
