"""/audit end to end: staff act in the chat, the rows appear, and only admins read them."""

from __future__ import annotations

from datetime import timedelta

from bot.db import SessionMaker
from bot.i18n import Translator
from bot.services import audit
from bot.services.audit import Action, Entry
from handlers.audit import ACTIONS, describe
from models import Member, Role
from models.audit import AuditEntry
from tests.support.clock import START, Clock
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.trainings import WIB, make_training
from tests.test_broadcast_history import sent_and_summarised
from tests.test_broadcast_history import setup as broadcast_setup
from tests.test_prices_report import facilitator as price_facilitator
from tests.test_prices_report import report_robusta

REFUSED = "Maaf, fitur ini hanya untuk admin program."


async def trail(sessionmaker: SessionMaker) -> list[tuple[str, int | None, str | None]]:
    return [(e.action, e.actor_id, e.subject)
            for e in reversed(await audit.entries(sessionmaker))]


async def admin(harness: BotHarness, seeded: SessionMaker, language: str = "id",
                telegram_id: int = 1) -> tuple[Member, TestUser]:
    member = await make_member(seeded, telegram_id, "Pak Admin", role=Role.ADMIN,
                               language=language)
    return member, harness.user(telegram_id, "Admin", language_code=language)


def lines(user: TestUser) -> list[str]:
    return user.text.splitlines()[1:]


async def test_a_training_cancelled_in_chat_and_who_may_read_it(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    owner = await make_member(seeded, 900, "Bu Rina", role=Role.FACILITATOR)
    training = await make_training(seeded, created_by=owner.id)
    rina = harness.user(900, "Rina")
    await rina.send("/pelatihan_kelola")
    await rina.tap("Menjahit Pakaian Dasar")
    await rina.tap("❌ Batalkan pelatihan")
    await rina.tap("Ya, batalkan")
    assert "dibatalkan" in rina.text
    subject = f"training:{training.id}"
    assert await trail(seeded) == [("training.created", owner.id, subject),
                                   ("training.cancelled", owner.id, subject)]
    _, boss = await admin(harness, seeded)
    await boss.send("/audit")
    assert boss.text.splitlines()[0] == "🗂 Tindakan staf terbaru (yang terbaru di atas)"
    assert lines(boss) == [f"2 Mar 08.00 · Bu Rina (#{owner.id}) · membatalkan pelatihan #1",
                           f"2 Mar 08.00 · Bu Rina (#{owner.id}) · membuat pelatihan #1"]
    assert boss.buttons == []
    _, english = await admin(harness, seeded, "en", telegram_id=2)
    await english.send("/audit")
    assert lines(english)[0] == f"2 Mar 08:00 · Bu Rina (#{owner.id}) · cancelled training #1"
    await rina.send("/audit")
    assert rina.text == REFUSED
    await make_member(seeded, 1001)
    villager = harness.user(1001)
    await villager.send("/audit")
    assert villager.text == REFUSED


async def test_a_broadcast_withdrawn_in_chat(harness: BotHarness, seeded: SessionMaker,
                                             clock: Clock) -> None:
    sender, _, staff = await broadcast_setup(harness, seeded)
    sent = await sent_and_summarised(harness, seeded, clock, sender, "Salah grup")
    await staff.tap("🗑 Tarik")
    await staff.tap("🗑 Ya, tarik")
    assert "sedang dihapus" in staff.text
    subject = f"broadcast:{sent.id}"
    assert await trail(seeded) == [("broadcast.created", sender.id, subject),
                                   ("broadcast.withdrawn", sender.id, subject)]


async def test_a_price_saved_in_chat(harness: BotHarness, seeded: SessionMaker) -> None:
    dewi = await price_facilitator(harness, seeded)
    await report_robusta(dewi, "Rp 62rb")
    await dewi.tap("✅ Simpan")
    [entry] = await audit.entries(seeded)
    assert (entry.action, entry.actor_name, entry.actor_role) == (
        "price.reported", "Dewi", "facilitator")
    assert entry.details["value"] == "62000" and entry.details["level"] == "grosir"
    _, boss = await admin(harness, seeded)
    await boss.send("/audit")
    assert lines(boss) == [f"2 Mar 08.00 · Dewi (#{entry.actor_id}) · mencatat harga "
                           f"#{entry.subject_id}: Rp62.000"]


async def test_a_tip_edited_and_unpublished_in_chat(harness: BotHarness,
                                                   seeded: SessionMaker) -> None:
    budi = await make_member(seeded, 2001, "Budi", role=Role.FACILITATOR)
    user = harness.user(2001, "Budi")
    await user.send("/tip_ubah")
    await user.tap("🐛 Hama & penyakit")
    await user.tap("Pengendalian hama terpadu (PHT)")
    await user.tap("✏️ Judul")
    await user.send("PHT rahasia")
    await user.tap("🚫 Tarik")
    entries = list(reversed(await audit.entries(seeded)))
    assert [(e.action, e.actor_id) for e in entries] == [("tip.saved", budi.id),
                                                         ("tip.unpublished", budi.id)]
    assert entries[0].details == {"fields": ["title"], "language": "id"}
    assert entries[0].subject == entries[1].subject


async def test_own_data_exported_and_erased_in_chat(harness: BotHarness,
                                                    seeded: SessionMaker) -> None:
    siti = await make_member(seeded, 1001, "Siti Aminah", phone="+6281234567890")
    user = harness.user(1001)
    await user.send("/data_saya")
    assert user.last_reply.document is not None
    await user.send("/hapus_data")
    await user.tap("Ya, hapus data saya")
    assert "sudah dihapus" in user.text
    subject = f"member:{siti.id}"
    assert await trail(seeded) == [("member.data_exported", siti.id, subject),
                                   ("member.erased", siti.id, subject)]
    _, boss = await admin(harness, seeded)
    await boss.send("/audit")
    assert lines(boss) == [f"2 Mar 08.00 · #{siti.id} · menghapus data anggota #{siti.id}",
                           f"2 Mar 08.00 · #{siti.id} · mengunduh data anggota #{siti.id}"]
    assert "Siti" not in boss.text


async def test_pages_go_back_and_tampered_buttons_are_ignored(
    harness: BotHarness, seeded: SessionMaker
) -> None:
    _, boss = await admin(harness, seeded)
    await boss.send("/audit")
    assert boss.text == "Belum ada tindakan staf yang tercatat."
    odd = await make_member(seeded, 900, "Rina <b>&", role=Role.FACILITATOR)
    async with seeded() as session, session.begin():
        for n in range(19):
            audit.record(session, Action.TIP_PUBLISHED, actor=odd, subject=f"tip:{n + 1}",
                         at=START + timedelta(minutes=n))
        session.add(AuditEntry(
            at=START + timedelta(hours=1), actor_id=None, actor_role="cli",
            action="future.thing", subject="x:<i>", details={}))
    await boss.send("/audit")
    first = boss.last_reply
    assert len(lines(boss)) == 15
    assert lines(boss)[0] == "2 Mar 09.00 · baris perintah · future.thing x:<i>"
    assert lines(boss)[1] == f"2 Mar 08.18 · Rina <b>& (#{odd.id}) · menerbitkan tips #19"
    assert "Rina &lt;b&gt;&amp;" in first.html and "x:&lt;i&gt;" in first.html
    assert boss.buttons == ["⬅️ Lebih lama"]
    await boss.tap("⬅️ Lebih lama")
    assert boss.text.splitlines()[0] == "🗂 Tindakan staf sebelumnya"
    assert [line.rsplit(" ", 1)[1] for line in lines(boss)] == ["#5", "#4", "#3", "#2", "#1"]
    assert boss.buttons == [] and first.inline_buttons == []
    shown = len(boss.chat)
    for data in ("au.o:abc", "au.o", "au.o:1:2"):
        await boss.tap_data(first.message_id, data)
    await boss.tap_data(first.message_id, "au.o:99999")
    assert boss.sim.callback_answers[-1].text == "Daftar ini sudah usang. Kirim /audit lagi."
    assert len(boss.chat) == shown
    rina = harness.user(900, "Rina")
    await rina.send("/audit")
    await rina.tap_data(rina.last_reply.message_id, "au.o:5")
    assert rina.sim.callback_answers[-1].text == REFUSED


def test_every_action_reads_as_a_sentence() -> None:
    assert set(Action) <= ACTIONS.keys()
    for language in ("id", "en"):
        tr = Translator(language, WIB)
        for action in Action:
            entry = Entry(1, START, 2, "Siti", "admin", action.value, "thing:7",
                          {"to": "facilitator", "count": 3, "value": "14000",
                           "decision": "approved"})
            text = describe(tr, entry)
            assert "{" not in text and "?" not in text and action.value not in text, text


def test_odd_rows_still_read() -> None:
    tr = Translator("id", WIB)
    for details in ({"value": "NaN"}, {"value": "abc", "count": "x"}, {}):
        entry = Entry(1, START, None, None, "cli", "price.reported", None, details)
        assert describe(tr, entry) == "mencatat harga #?: ?"
    entry = Entry(1, START, None, None, "cli", "price.reviewed", "price:9", {"decision": 1})
    assert describe(tr, entry) == "memeriksa laporan harga warga #9"
