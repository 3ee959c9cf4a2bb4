"""Members read tips end to end: topics → titles → tip, 👍/👎, next, share, search, subscribe."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bot.services import tips_manage
from bot.services.tips_manage import Draft
from models import Role
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member


async def member(harness: BotHarness, user_id: int = 1001, **details: object) -> TestUser:
    language = str(details.get("language", "id"))
    role = details.get("role", Role.MEMBER)
    await make_member(harness.sessionmaker, user_id, language=language, role=role)  # type: ignore[arg-type]
    return harness.user(user_id, language_code=language)


def url_button(user: TestUser) -> str:
    return next(b["url"] for row in user.last_reply.inline_keyboard for b in row if "url" in b)


async def test_topics_titles_and_a_tip(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips")
    assert "Saran praktis dari sumber tepercaya" in siti.text
    assert {"☕ Kopi", "🌳 Karet", "♿ Aksesibilitas", "🔍 Cari", "🔔 Tips mingguan"} <= set(
        siti.buttons)
    listing = siti.last_reply
    await siti.tap("☕ Kopi")
    assert siti.last_reply.message_id == listing.message_id  # the list changed in place
    assert "Budidaya kopi" in siti.text and "4 tips. Pilih satu untuk dibaca" in siti.text
    await siti.tap("Petik hanya buah kopi yang merah")
    tip = siti.last_reply
    assert tip.message_id != listing.message_id
    assert "Buah kopi yang merah penuh" in siti.text
    assert "📚 Sumber: Pusat Penelitian Kopi dan Kakao Indonesia" in siti.text
    assert tip.inline_buttons[:4] == ["👍", "👎", "➡️ Berikutnya", "📤 Bagikan"]
    assert "⚙️ Kelola tips ini" not in tip.inline_buttons  # members do not manage


async def test_the_menu_button_opens_the_tips(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("💡 Tips")
    assert "☕ Kopi" in siti.buttons


async def test_like_dislike_and_take_back(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips")
    await siti.tap("🌳 Karet")
    await siti.tap("Bokar bersih, harga lebih baik")
    tip = siti.last_reply
    await siti.tap("👍")
    assert siti.sim.callback_answers[-1].text == "Terima kasih! Senang tipsnya berguna. 👍"
    assert siti.last_reply.message_id == tip.message_id
    assert siti.last_reply.inline_buttons[:2] == ["👍 ✓", "👎"]
    await siti.tap("👎")
    assert siti.last_reply.inline_buttons[:2] == ["👍", "👎 ✓"]
    await siti.tap("👎 ✓")
    assert siti.sim.callback_answers[-1].text == "Penilaian Anda dibatalkan."
    assert siti.last_reply.inline_buttons[:2] == ["👍", "👎"]


async def test_next_walks_the_topic_and_wraps(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips")
    await siti.tap("🏦 Keuangan & koperasi")
    titles = [b for b in siti.last_reply.inline_buttons if b != "⬅️ Topik"]
    await siti.tap(titles[-1])
    await siti.tap("➡️ Berikutnya")
    assert siti.sim.callback_answers[-1].text == "Kembali ke tips pertama di topik ini."
    assert titles[0] in siti.text


async def test_the_share_button_is_a_valid_telegram_share_link(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips")
    await siti.tap("📱 HP & jualan online")
    await siti.tap("Jangan berikan kode OTP dan PIN kepada siapa pun")
    parts = urlsplit(url_button(siti))
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "t.me", "/share/url")
    query = parse_qs(parts.query)
    assert query["url"] == ["https://t.me/BerdayaBot"]
    assert query["text"][0].startswith("💡 Jangan berikan kode OTP dan PIN kepada siapa pun")
    assert query["text"][0].endswith("Tips praktis lainnya dari Berdaya:")


async def test_html_in_a_tip_is_shown_as_text(harness: BotHarness) -> None:
    await tips_manage.create_tip(
        harness.sessionmaker,
        Draft("id", "digital", "<b>Awas</b> & waspada", "Jangan klik <a href='x'>ini</a> "
              "<script>alert(1)</script>", "Komdigi"),
        author_id=None, now=harness.app.bot_data.now(), publish=True)
    siti = await member(harness)
    await siti.send("/tips awas")
    await siti.tap("<b>Awas</b> & waspada")
    reply = siti.last_reply
    assert "<b>Awas</b> & waspada" in reply.text
    assert "Jangan klik <a href='x'>ini</a> <script>alert(1)</script>" in reply.text
    assert "&lt;script&gt;" in reply.html
    assert not any(e["type"] == "text_link" for e in reply.entities)


async def test_search_with_affixes_and_typos(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips pemupukan")
    assert siti.text.startswith("🔍") and "tentang «pemupukan»" in siti.text
    assert "Pakai pupuk kandang yang sudah matang" in siti.buttons
    await siti.send("/tips bokasi")
    assert siti.last_reply.inline_buttons[0] == "Membuat pupuk bokashi"


async def test_an_empty_search_asks_for_a_word(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips ?!")
    assert siti.text == "Silakan ketik kata yang dicari, misalnya: pupuk, karet, atau KUR."
    await siti.send("/tips")
    await siti.tap("🔍 Cari")
    assert "Ketik kata yang dicari" in siti.text
    await siti.send("...")
    assert siti.text == "Silakan ketik kata yang dicari, misalnya: pupuk, karet, atau KUR."
    await siti.send("pinjol")
    assert siti.last_reply.inline_buttons[0] == "Hati-hati pinjaman online ilegal"
    await siti.send("pinjol")  # the search is over: plain text is not a search any more
    assert "Hati-hati pinjaman" not in siti.text


async def test_a_search_that_finds_nothing_offers_the_topics(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips <b>durian</b>")
    assert siti.text.startswith("Tidak ada tips tentang «<b>durian</b>»")
    assert "&lt;b&gt;durian" in siti.last_reply.html
    assert "☕ Kopi" in siti.buttons


async def test_an_unknown_topic_or_tampered_button_is_handled(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips")
    listing = siti.last_reply
    await siti.tap_data(listing.message_id, "ti.l:durian:0:e")
    assert siti.sim.callback_answers[-1].text == (
        "Topik itu sudah tidak ada. Ini daftar topiknya.")
    assert "☕ Kopi" in siti.buttons
    await siti.tap_data(listing.message_id, "ti.v:not-a-number")
    await siti.tap_data(listing.message_id, "ti.v:99999")
    assert siti.sim.callback_answers[-1].text == "Maaf, tips ini sudah tidak tersedia."
    await siti.tap_data(listing.message_id, "ti.st:durian")
    assert siti.sim.callback_answers[-1].text == "Topik itu sudah tidak ada."


async def test_subscribing_to_weekly_tips(harness: BotHarness) -> None:
    siti = await member(harness)
    await siti.send("/tips")
    await siti.tap("🔔 Tips mingguan")
    assert "Tips mingguan berikutnya: Senin, 9 Maret 2026, pukul 07.00 WIB." in siti.text
    await siti.tap("☕ Kopi")
    await siti.tap("🌳 Karet")
    assert {"✅ ☕ Kopi", "✅ 🌳 Karet"} <= set(siti.buttons)
    await siti.tap("✅ 🌳 Karet")
    assert siti.sim.callback_answers[-1].text == "Berhenti langganan: 🌳 Karet"
    await siti.tap("✔️ Selesai")
    assert "Anda akan menerima tips mingguan tentang: ☕ Kopi." in siti.text


async def test_english_members_read_english(harness: BotHarness) -> None:
    john = await member(harness, 1002, language="en")
    await john.send("/tips")
    await john.tap("🌴 Oil palm")
    await john.tap("Harvest oil palm bunches when ripe")
    assert "📚 Source: Pusat Penelitian Kelapa Sawit" in john.text
    assert john.last_reply.inline_buttons[2:4] == ["➡️ Next", "📤 Share"]


async def test_people_who_are_not_registered_are_sent_to_register(harness: BotHarness) -> None:
    stranger = harness.user(1003)
    await stranger.send("/tips")
    assert "/daftar" in stranger.text


async def test_facilitators_see_a_manage_button(harness: BotHarness) -> None:
    budi = await member(harness, 1004, role=Role.FACILITATOR)
    await budi.send("/tips kompos")
    await budi.tap("Membuat kompos dari sisa kebun")
    assert "⚙️ Kelola tips ini" in budi.last_reply.inline_buttons
