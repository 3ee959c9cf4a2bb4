"""What the sender reads: progress with time left, summaries, and the buttons they get."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.services.broadcasts import Counts, Summary
from handlers import broadcasts_view as view
from models.broadcast import Broadcast, BroadcastStatus

ID = Translator("id", ZoneInfo("Asia/Jakarta"))
EN = Translator("en", ZoneInfo("Asia/Jakarta"))
MORNING = datetime(2026, 3, 3, 6, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def summary(status: BroadcastStatus = BroadcastStatus.SENDING, **counts: int) -> Summary:
    broadcast = Broadcast(id=3, status=status, text="Harga <b>karet</b>", revision=1,
                          prepared_at=datetime(2026, 3, 2, tzinfo=UTC),
                          scheduled_at=datetime(2026, 3, 2, tzinfo=UTC))
    return Summary(broadcast, Counts(**counts))


def test_progress_shows_counts_and_time_left() -> None:
    text = view.progress_text(ID, summary(queued=5000, sent=1200, failed=3, skipped=7),
                              seconds_left=200, quiet_until=None)
    assert "1.210 dari 6.210 sudah diproses." in text
    assert "✅ Terkirim: 1.200 · ⚠️ Gagal: 3 · ⏭ Dilewati: 7" in text
    assert "⏳ Sisa waktu: sekitar 4 menit." in text
    assert "sekitar 3 jam" in view.progress_text(ID, summary(queued=1), seconds_left=10_000,
                                                 quiet_until=None)
    assert "less than a minute" in view.progress_text(EN, summary(queued=1), seconds_left=20,
                                                      quiet_until=None)


def test_progress_in_quiet_hours_says_when_it_resumes() -> None:
    text = view.progress_text(ID, summary(queued=10), seconds_left=30_000, quiet_until=MORNING)
    assert "🌙 Jam tenang: pengiriman dilanjutkan pukul 06.00 WIB." in text
    assert "Sisa waktu" not in text


def test_buttons_follow_the_state() -> None:
    running = view.actions(ID, summary(queued=3, sent=2))
    assert running is not None
    assert [b.text for row in running.inline_keyboard for b in row] == [
        "⛔ Batalkan", "✏️ Ralat", "🗑 Tarik", "📄 Laporan"]
    done = view.actions(ID, summary(BroadcastStatus.DONE, sent=0, failed=2))
    assert done is not None
    assert [b.text for row in done.inline_keyboard for b in row] == ["📄 Laporan"]
    assert view.excerpt("Harga <b>karet</b> &amp; <kopi>" * 10).endswith("…")
