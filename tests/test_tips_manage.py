"""Facilitators write, preview, publish, edit and unpublish tips; members cannot."""

from __future__ import annotations

from sqlalchemy import select

from bot.services import tips
from models import Role
from models.tip import Tip
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member

LONG_BODY = "Langkah pertama. " * 70  # 1190 characters


async def facilitator(harness: BotHarness, user_id: int = 2001) -> TestUser:
    await make_member(harness.sessionmaker, user_id, "Budi Fasilitator", role=Role.FACILITATOR)
    return harness.user(user_id, first_name="Budi")


async def newest_tip(harness: BotHarness) -> Tip:
    async with harness.sessionmaker() as session:
        tip = await session.scalar(select(Tip).order_by(Tip.id.desc()).limit(1))
    assert tip is not None
    return tip


async def test_a_member_cannot_write_or_manage_tips(harness: BotHarness) -> None:
    await make_member(harness.sessionmaker, 2002)
    refusal = harness.app.bot_data.translator("id")._(
        "Sorry, this is only for programme facilitators.")
    siti = harness.user(2002)
    await siti.send("/tip_baru")
    assert siti.text == refusal
    await siti.send("/tip_ubah")
    assert siti.text == refusal
    await siti.send("Judul tips palsu")  # not taken as a title: no conversation started
    assert "Judul tips palsu" not in (await newest_tip(harness)).text("id").title
    await siti.send("/tips")
    await siti.tap_data(siti.last_reply.message_id, "ti.p:1:0")
    assert siti.sim.callback_answers[-1].text == refusal
    assert (await tips.get_tip(harness.sessionmaker, 1)).published  # type: ignore[union-attr]


async def test_write_preview_and_publish_with_every_mistake_on_the_way(
    harness: BotHarness,
) -> None:
    budi = await facilitator(harness)
    await budi.send("/tip_baru")
    assert "Langkah 1 dari 5" in budi.text
    await budi.send("J" * 81)
    assert budi.text == ("Judulnya 81 huruf; batasnya 80 huruf. Silakan pendekkan 1 huruf lalu "
                         "kirim lagi.")
    await budi.send_sticker()
    assert budi.text == "Silakan ketik jawaban Anda sebagai teks."
    await budi.send("<b>Pupuk</b> & kompos")
    assert "Langkah 2 dari 5" in budi.text
    await budi.send("durian")
    assert budi.text == "Saya tidak mengenal topik «durian». Silakan ketuk salah satu tombol."
    await budi.send("organik & kompos")  # typed names work too
    assert "Langkah 3 dari 5" in budi.text
    await budi.send(LONG_BODY)
    length = len(LONG_BODY.strip())
    assert budi.text == (f"Isinya {length} huruf; batasnya 1000 huruf. Silakan pendekkan "
                         f"{length - 1000} huruf lalu kirim lagi.")
    await budi.send("Campur <i>daun</i> & <script>x</script> lalu tutup.")
    await budi.send("BPTP Jambi")
    assert "Langkah 5 dari 5" in budi.text
    await budi.send("ini bukan foto")
    assert budi.text == "Silakan kirim foto, atau ketuk Lewati."
    await budi.tap("⏭ Lewati")
    preview = budi.chat[-2]
    assert "<b>Pupuk</b> & kompos" in preview.text and "<script>x</script>" in preview.text
    assert "📚 Sumber: BPTP Jambi" in preview.text and "Draf" not in preview.text
    assert budi.text == "👆 Seperti inilah anggota akan melihat tips ini."
    await budi.tap("✅ Terbitkan")
    assert budi.text.startswith("✅ Diterbitkan di topik 🌱 Pertanian organik dan kompos.")
    await budi.tap("⏭ Lewati")  # a button of a finished form
    assert budi.sim.callback_answers[-1].text == "Tombol ini sudah tidak berlaku."

    tip = await newest_tip(harness)
    assert (tip.category, tip.source, tip.published, tip.language) == (
        "organik", "BPTP Jambi", True, "id")
    await make_member(harness.sessionmaker, 2003)
    siti = harness.user(2003)
    await siti.send("/tips")
    await siti.tap("🌱 Organik & kompos")
    await siti.tap("<b>Pupuk</b> & kompos")
    assert "Campur <i>daun</i> & <script>x</script> lalu tutup." in siti.text


async def test_cancel_and_draft(harness: BotHarness) -> None:
    budi = await facilitator(harness)
    before = (await newest_tip(harness)).id
    await budi.send("/tip_baru")
    await budi.send("Tips batal")
    await budi.send("/batal")
    assert budi.text == "Dibatalkan. Tidak ada yang disimpan."
    await budi.send("Tips batal")  # no longer inside the form
    assert (await newest_tip(harness)).id == before
    await budi.send("/tip_baru")
    await budi.send("Tips draf")
    await budi.tap("☕ Kopi")
    await budi.send("Isi tips draf.")
    await budi.tap("⏭ Lewati")
    await budi.tap("⏭ Lewati")
    await budi.tap("📝 Simpan sebagai draf")
    assert budi.text.startswith("📝 Disimpan sebagai draf di topik ☕ Budidaya kopi.")
    draft = await newest_tip(harness)
    assert not draft.published and draft.source is None
    await budi.send("/tips")
    await budi.tap("☕ Kopi")
    assert "Tips draf" not in budi.buttons  # members' list: drafts hidden even from staff


async def test_a_photo_tip_fits_telegram_caption_limits(harness: BotHarness) -> None:
    budi = await facilitator(harness)
    await budi.send("/tip_baru")
    await budi.send("Foto kebun")
    await budi.tap("☕ Kopi")
    await budi.send("Pendek saja.")
    await budi.tap("⏭ Lewati")
    await budi.send_photo()
    short = budi.chat[-2]
    assert short.photo and "Pendek saja." in short.caption
    await budi.tap("✅ Terbitkan")

    await budi.send("/tip_baru")
    await budi.send("Foto dengan isi panjang")
    await budi.tap("☕ Kopi")
    await budi.send("Kalimat yang cukup panjang untuk tips. " * 25)  # 975 characters
    await budi.send("Pusat Penelitian Kopi dan Kakao Indonesia (Puslitkoka); Ditjenbun "
                    "Kementan; Dinas Perkebunan Provinsi Jambi")
    await budi.send_photo()
    photo, text = budi.chat[-3], budi.chat[-2]
    assert photo.photo and photo.caption == "Foto dengan isi panjang"
    assert text.text.startswith("🌳") is False and "Kalimat yang cukup panjang" in text.text


async def test_edit_translate_and_unpublish(harness: BotHarness) -> None:
    budi = await facilitator(harness)
    await budi.send("/tip_ubah")
    await budi.tap("🐛 Hama & penyakit")
    await budi.tap("Pengendalian hama terpadu (PHT)")
    card = budi.last_reply
    assert "pembaca" in card.text and "🚫 Tarik" in card.inline_buttons
    await budi.tap("✏️ Judul")
    await budi.send("PHT: hama dikendalikan dengan aman")
    assert budi.chat[-2].text == "✅ Tersimpan."
    assert "<b>PHT: hama dikendalikan dengan aman</b>" in budi.last_reply.html
    await budi.tap("✏️ Isi")
    await budi.send("x" * 1001)
    assert budi.text == ("Isinya 1001 huruf; batasnya 1000 huruf. Silakan pendekkan 1 huruf lalu "
                         "kirim lagi.")
    await budi.send("/batal")
    assert budi.text == "Dibatalkan. Tips tidak diubah."
    await budi.tap("🗂 Topik")
    await budi.tap("🌱 Organik & kompos")
    assert "Pertanian organik dan kompos" in budi.text
    await budi.tap("📚 Sumber")
    await budi.tap("🗑 Hapus sumber")
    assert "📚 Sumber" not in budi.last_reply.text.split("\n\n")[-2]
    tip_id = int(next(b["callback_data"] for row in budi.last_reply.inline_keyboard
                      for b in row if b.get("callback_data", "").startswith("ti.p:")).split(":")[1])
    english = (await tips.get_tip(harness.sessionmaker, tip_id)).text("en")  # type: ignore[union-attr]
    assert english.title == "Integrated pest management (IPM)"

    await make_member(harness.sessionmaker, 2004)
    siti = harness.user(2004)
    await siti.send("/tips pht")
    assert siti.last_reply.inline_buttons[0] == "PHT: hama dikendalikan dengan aman"
    await budi.tap("🚫 Tarik")
    assert budi.sim.callback_answers[-1].text == "Ditarik: anggota tidak lagi melihat tips ini."
    assert "✅ Terbitkan" in budi.last_reply.inline_buttons
    await siti.tap("PHT: hama dikendalikan dengan aman")
    assert siti.sim.callback_answers[-1].text == "Maaf, tips ini sudah tidak tersedia."
    await siti.send("/tips pht")
    assert siti.text.startswith("Tidak ada tips tentang «pht»")


async def test_add_an_english_version_to_a_new_tip(harness: BotHarness) -> None:
    budi = await facilitator(harness)
    await budi.send("/tip_baru")
    await budi.send("Simpan benih")
    await budi.tap("🌱 Organik & kompos")
    await budi.send("Simpan benih di tempat kering.")
    await budi.tap("⏭ Lewati")
    await budi.tap("⏭ Lewati")
    await budi.tap("✅ Terbitkan")
    await budi.tap("⚙️ Kelola tips ini")
    await budi.tap("🌐 Versi Inggris")
    await budi.send("Store seed")
    await budi.send("Keep seed in a dry place.")
    tip = await newest_tip(harness)
    assert tip.text("en").title == "Store seed" and tip.text("id").title == "Simpan benih"
    await make_member(harness.sessionmaker, 2005, language="en")
    john = harness.user(2005, language_code="en")
    await john.send("/tips seed")
    await john.tap("Store seed")
    assert "Keep seed in a dry place." in john.text


async def test_a_restart_in_the_middle_keeps_the_draft(harness: BotHarness) -> None:
    budi = await facilitator(harness)
    await budi.send("/tip_baru")
    await budi.send("Tips setelah restart")
    await budi.tap("☕ Kopi")
    await harness.restart()
    await budi.send("Isi yang ditulis setelah bot mulai ulang.")
    assert "Langkah 4 dari 5" in budi.text
    await budi.tap("⏭ Lewati")
    await budi.tap("⏭ Lewati")
    await budi.tap("✅ Terbitkan")
    tip = await newest_tip(harness)
    assert tip.text("id").title == "Tips setelah restart" and tip.published
