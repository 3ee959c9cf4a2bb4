"""Catalogs and formatting: Indonesian is complete, plurals are right, numbers look local."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.i18n import Translator, pick_language
from bot.i18n.catalog import LANGUAGES, po_files
from bot.i18n.update import extract, update

JAKARTA = ZoneInfo("Asia/Jakarta")


def _catalog_entries(language: str) -> dict[str, object]:
    entries: dict[str, object] = {}
    for path in po_files(language):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    entries[key] = message
    return entries


def test_every_message_has_an_indonesian_translation() -> None:
    entries = _catalog_entries("id")
    missing = []
    for domain, messages in extract().items():
        for message, places in messages.items():
            key = message if isinstance(message, str) else message[0]
            entry = entries.get(key)
            strings = entry.string if entry is not None else None  # type: ignore[attr-defined]
            if isinstance(strings, tuple):
                strings = "".join(strings)
            fuzzy = entry is not None and entry.fuzzy  # type: ignore[attr-defined]
            if not strings or fuzzy:
                missing.append(f"{domain}: {key!r} at {places[0][0]}:{places[0][1]}")
    assert not missing, "untranslated (run python -m bot.i18n.update):\n" + "\n".join(missing)


def test_catalogs_hold_no_stale_or_missing_entries() -> None:
    assert update(check=True) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_header(language: str) -> None:
    expected = {"id": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}[language]
    for path in po_files(language):
        assert f"Plural-Forms: {expected}" in path.read_text("utf-8"), path


def test_rupiah_dates_and_times() -> None:
    id_, en = Translator("id", JAKARTA), Translator("en", JAKARTA)
    moment = datetime(2026, 3, 5, 2, 30, tzinfo=UTC)
    assert id_.rupiah(12500) == "Rp12.500"
    assert id_.rupiah(3669.78) == "Rp3.669,78"
    assert en.rupiah(12500) == "Rp12,500"
    assert id_.date(moment) == "Kamis, 5 Maret 2026"
    assert en.date(moment) == "Thursday, 5 March 2026"
    assert id_.time(moment) == "09.30 WIB"
    assert en.time(moment) == "09:30 WIB"


def test_dates_use_the_local_day() -> None:
    late_utc = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
    assert Translator("id", JAKARTA).date(late_utc) == "Kamis, 5 Maret 2026"


@pytest.mark.parametrize(
    ("stored", "telegram", "expected"),
    [("en", "id", "en"), (None, "en-US", "en"), (None, "ms", "id"), (None, None, "id")],
)
def test_language_choice(stored: str | None, telegram: str | None, expected: str) -> None:
    assert pick_language(stored, telegram, "id") == expected
