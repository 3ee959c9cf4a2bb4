"""Search: affixes, typos, word beginnings, ranking, and the shipped library as villagers ask."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db import SessionMaker
from bot.services import tips, tips_library, tips_manage
from bot.services.tips_search import Document, SearchIndex, edit_distance, query_terms

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

INDEX = SearchIndex([
    Document(1, "Cara pemupukan kopi", "Tabur pupuk kandang di sekitar pohon."),
    Document(2, "Membuat bokashi", "Campur dedak, sekam dan kotoran ternak."),
    Document(3, "Menyadap karet", "Sadap pagi hari, jangan terlalu dalam."),
    Document(4, "Pinjol ilegal", "Cek daftar OJK sebelum meminjam uang."),
    Document(5, "Compost from farm waste", "Turn the pile once a week."),
])


@pytest.mark.parametrize(("query", "expected"), [
    ("pupuk", 1), ("memupuk", 1), ("pemupukan", 1), ("pupuknya", 1),  # affixes
    ("pupk", 1), ("bokasi", 2), ("penyadapn", 3), ("kopmos", None),   # typos
    ("bokas", 2), ("pinj", 4),                                        # word beginnings
    ("penyadapan", 3), ("disadap", 3), ("pinjaman", 4),
    ("composting", 5), ("PINJOL", 4), ("sadap karet", 3),
])
def test_finds_the_tip(query: str, expected: int | None) -> None:
    found = INDEX.search(query)
    if expected is None:
        assert found == []
    else:
        assert found[0] == expected


def test_title_matches_rank_above_and_bury_mere_mentions() -> None:
    index = SearchIndex([
        Document(1, "Menyimpan gabah", "Jaga kebun tetap bersih."),
        Document(2, "Kebun yang bersih", "Potong rumput."),
        Document(3, "Kebun rapi", "Kebun yang bersih mudah dirawat."),
    ])
    assert index.search("kebun") == [2, 3]
    assert index.search("gabah kebun") == [1]
    assert index.search("jaga") == [1]  # a mention is enough when nothing says more


def test_tips_matching_every_word_come_alone() -> None:
    assert INDEX.search("pupuk kopi") == [1]
    assert INDEX.search("pupuk karet") in ([1, 3], [3, 1])  # no tip has both: best partials


@pytest.mark.parametrize("query", ["", "   ", "?!", "🙂🙂", "yang dan di", "tips", "a b c"])
def test_an_empty_search_finds_nothing(query: str) -> None:
    assert query_terms(query) == []
    assert INDEX.search(query) == []


def test_short_words_do_not_match_inside_longer_affixed_words() -> None:
    """'ikan' (fish) must not find 'diberikan' (given)."""
    index = SearchIndex([Document(1, "Pupuk", "Pupuk diberikan setelah hujan.")])
    assert index.search("ikan") == []


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("kompos", "kopmos", 2) == 1
    assert edit_distance("pupuk", "pupk", 2) == 1
    assert edit_distance("karet", "sawit", 1) == 2  # stops past the limit


@pytest.fixture
async def library(sessionmaker: SessionMaker) -> SessionMaker:
    await tips_library.import_records(sessionmaker, list(tips_library.shipped_records()), NOW)
    return sessionmaker


async def _keys(sessionmaker: SessionMaker, query: str, language: str = "id") -> list[str]:
    found = await tips.search(sessionmaker, query, language)
    keys = []
    for summary in found:
        tip = await tips.get_tip(sessionmaker, summary.id)
        assert tip is not None
        keys.append(tip.key)
    return keys


@pytest.mark.parametrize(("query", "key"), [
    ("pemupukan", "organik-pupuk-kandang"),
    ("bokasi", "organik-bokashi"),
    ("pinjol", "keuangan-pinjol-ilegal"),
    ("penyadapan karet", "karet-sadap-benar"),
    ("harga tbs", "sawit-harga-tbs"),
    ("kayu manis", "pascapanen-kayu-manis"),
    ("tawaran kerja luar negeri", "migran-tawaran-palsu"),
    ("syarat KUR", "keuangan-kur"),
    ("kode OTP", "digital-otp"),
    ("kursi roda", "aksesibilitas-tempat"),
    ("UPPB", "karet-uppb"),
])
async def test_the_shipped_library_answers_villagers(
    library: SessionMaker, query: str, key: str
) -> None:
    assert key in (await _keys(library, query))[:5]


async def test_english_members_find_english_words(library: SessionMaker) -> None:
    keys = await _keys(library, "fake job offers", "en")
    assert keys[0] == "migran-tawaran-palsu"
    found = await tips.search(library, "bokashi", "en")
    assert found[0].title == "Making bokashi fertiliser"


async def test_unpublished_and_edited_tips_are_searched_as_they_are_now(
    library: SessionMaker,
) -> None:
    [first] = (await tips.search(library, "bokashi", "id"))[:1]
    await tips_manage.set_published(library, first.id, False, NOW)
    assert first.id not in [t.id for t in await tips.search(library, "bokashi", "id")]
    await tips_manage.set_published(library, first.id, True, NOW)
    await tips_manage.update_text(library, first.id, "id", NOW, title="Pupuk fermentasi kilat")
    assert (await tips.search(library, "kilat", "id"))[0].id == first.id
