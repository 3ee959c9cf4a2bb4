"""Members browse upcoming trainings: /jadwal and 📅, nearest first, filters, detail."""

from __future__ import annotations

from datetime import timedelta

from bot.db import SessionMaker
from handlers.trainings import offer_training  # noqa: F401 - the registration journey's entry
from tests.support.clock import START, Clock
from tests.support.harness import BotHarness
from tests.support.members import make_member
from tests.support.trainings import TIARO, at, make_training


async def test_jadwal_lists_my_kecamatan_nearest_first_with_every_detail(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    await make_member(seeded, 1001)
    await make_training(seeded, title="Anyaman Pandan", category="kerajinan",
                        starts_at=at(10, 13), ends_at=at(10, 16), organizer_kind="lsm",
                        organizer="Yayasan Pundi Sumatra", accessibility="")
    await make_training(seeded, latitude=-2.08, longitude=102.28)
    await make_training(seeded, title="Olah Kopi Robusta", category="olahan", desa_code=TIARO,
                        starts_at=at(3, 8), ends_at=at(3, 11))
    user = harness.user(1001)
    await user.send("/jadwal")
    text = user.text
    assert "Kecamatan Bangko" in text
    assert "Olah Kopi" not in text  # another kecamatan
    assert text.index("Menjahit Pakaian Dasar") < text.index("Anyaman Pandan")
    assert "📅 Kamis, 5 Maret 2026, 09.00–12.00 WIB" in text
    assert "📍 Balai Desa Kungkai, Kungkai, Kec. Bangko" in text
    assert "🪑 Sisa 20 kursi dari 20" in text
    assert "♿ Ruangan di lantai dasar, tanpa tangga." in text
    assert "🏛 Pemda: Dinas Koperasi dan UKM Merangin" in text
    assert "🏛 LSM: Yayasan Pundi Sumatra" in text
    assert user.buttons[:4] == ["✍️ Daftar 1", "ℹ️ Detail 1", "✍️ Daftar 2", "ℹ️ Detail 2"]

    await user.tap("🗺 Semua kecamatan")
    assert "Olah Kopi Robusta" in user.text
    assert user.text.index("Olah Kopi") < user.text.index("Menjahit")

    await user.tap("ℹ️ Detail 2")
    venue = user.last_reply.venue
    assert venue is not None and venue["title"] == "Balai Desa Kungkai"
    detail = user.chat[-2]
    assert "Untuk: Perempuan" in (detail.text or "")
    assert "Belajar menjahit" in (detail.text or "")
    assert detail.inline_buttons == ["✍️ Daftar"]


async def test_the_menu_button_opens_the_schedule(harness: BotHarness,
                                                  seeded: SessionMaker) -> None:
    await make_member(seeded, 1001, language="en")
    await make_training(seeded)
    user = harness.user(1001, language_code="en")
    await user.send("📅 Training schedule")
    assert "Upcoming trainings" in user.text
    assert "📅 Thursday, 5 March 2026, 09:00–12:00 WIB" in user.text
    assert "🏛 Local government: Dinas Koperasi dan UKM Merangin" in user.text
    await make_member(seeded, 1002)
    other = harness.user(1002)
    await other.send("📅 Jadwal Pelatihan")
    assert "Menjahit Pakaian Dasar" in other.text


async def test_with_nothing_in_my_kecamatan_all_are_shown(harness: BotHarness,
                                                          seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    await make_training(seeded, title="Olah Kopi Robusta", desa_code=TIARO)
    user = harness.user(1001)
    await user.send("/jadwal")
    assert "Belum ada pelatihan di kecamatan Anda" in user.text
    assert "Olah Kopi Robusta" in user.text


async def test_category_filter_and_paging(harness: BotHarness, seeded: SessionMaker) -> None:
    await make_member(seeded, 1001)
    for day in range(3, 10):
        await make_training(seeded, title=f"Jahit {day}", starts_at=at(day, 9),
                            ends_at=at(day, 12))
    await make_training(seeded, title="Pupuk Organik Cair", category="organik",
                        starts_at=at(11, 9), ends_at=at(11, 12))
    user = harness.user(1001)
    await user.send("/jadwal")
    assert "Halaman 1 dari 2" in user.text
    assert "Jahit 7" in user.text and "Jahit 8" not in user.text
    await user.tap("▶")
    assert "Jahit 8" in user.text and "Pupuk Organik Cair" in user.text
    assert "✍️ Daftar 6" in user.buttons
    await user.tap("🏷 Kategori")
    await user.tap("🍃 Pertanian organik")
    assert "Pupuk Organik Cair" in user.text
    assert "Jahit" not in user.text
    await user.tap("🏷 Kategori")
    await user.tap("🧶 Kerajinan tangan")
    assert "Belum ada pelatihan" in user.text
    assert "Jadwal pelatihan: 🧶 Kerajinan tangan" in user.text
    assert "di Kecamatan Bangko" in user.text


async def test_started_cancelled_and_past_trainings_are_not_listed(
    harness: BotHarness, seeded: SessionMaker, clock: Clock
) -> None:
    await make_member(seeded, 1001)
    await make_training(seeded, title="Sudah Mulai", starts_at=START + timedelta(hours=1),
                        ends_at=START + timedelta(hours=4))
    clock.advance(timedelta(hours=2))
    user = harness.user(1001)
    await user.send("/jadwal")
    assert "Sudah Mulai" not in user.text


async def test_someone_not_registered_can_look_but_not_enroll(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    await make_training(seeded)
    user = harness.user(1009)
    await user.send("/jadwal")
    assert "semua kecamatan" in user.text
    assert "Menjahit Pakaian Dasar" in user.text
    await user.tap("✍️ Daftar 1")
    assert user.sim.callback_answers[-1].text is not None
    assert "/daftar" in (user.sim.callback_answers[-1].text or "")


async def test_tampered_list_buttons_are_ignored_and_logged(
    harness: BotHarness, seeded: SessionMaker, caplog  # type: ignore[no-untyped-def]
) -> None:
    await make_member(seeded, 1001)
    await make_training(seeded)
    user = harness.user(1001)
    await user.send("/jadwal")
    message_id = user.last_reply.message_id
    before = user.last_reply.text
    for data in ("tr.l:k:-:x", "tr.l:z:-:0", "tr.l:k:memasak:0", "tr.d:1", "tr.d:abc:1",
                 "tr.e:1:1:9", "tr.k"):
        await user.tap_data(message_id, data)
    assert user.last_reply.text == before
    assert len(user.chat) == 2
    ignored = [r for r in caplog.records if r.name == "berdaya.callbacks"]
    assert len(ignored) >= 5
