"""The Indonesian stemmer: each prefix and suffix, the nasal rules, and roots that only look
affixed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.tips_stemmer import stem, stems


@pytest.mark.parametrize(("word", "root"), [
    # me- and its nasal forms, with the assimilated first letter restored
    ("memupuk", "pupuk"), ("menyadap", "sadap"), ("menanam", "tanam"), ("mengolah", "olah"),
    ("membuat", "buat"), ("menjual", "jual"), ("mencatat", "catat"), ("mendapat", "dapat"),
    ("menggali", "gali"), ("menghitung", "hitung"), ("melatih", "latih"), ("merawat", "rawat"),
    ("menyimpan", "simpan"), ("memetik", "petik"), ("mengirim", "kirim"), ("meminjam", "pinjam"),
    # pe- and its nasal forms, usually with -an
    ("pemupukan", "pupuk"), ("penyadapan", "sadap"), ("penanaman", "tanam"),
    ("pengolahan", "olah"), ("pembuatan", "buat"), ("penjualan", "jual"),
    ("pengeringan", "kering"), ("penyimpanan", "simpan"), ("pemetikan", "petik"),
    ("pengiriman", "kirim"), ("pelatihan", "latih"), ("petani", "tani"), ("pedagang", "dagang"),
    ("pekerja", "kerja"), ("penyakit", "sakit"), ("pemasaran", "pasar"),
    # per-, ber-, ter-, di-, ke-
    ("pertanian", "tani"), ("perkebunan", "kebun"), ("perawatan", "rawat"),
    ("peremajaan", "remaja"), ("bertani", "tani"), ("berusaha", "usaha"), ("bekerja", "kerja"),
    ("terjual", "jual"), ("terasa", "rasa"), ("terendam", "rendam"), ("ditanam", "tanam"),
    ("dijual", "jual"), ("keuangan", "uang"), ("kesehatan", "sehat"), ("kecamatan", "camat"),
    # suffixes alone and prefix chains
    ("tanaman", "tanam"), ("jahitan", "jahit"), ("tabungan", "tabung"), ("catatan", "catat"),
    ("harganya", "harga"), ("kebunnya", "kebun"), ("membersihkan", "bersih"),
    ("mengeringkan", "kering"), ("memasarkan", "pasar"), ("diberikan", "beri"),
    ("memperbaiki", "baik"), ("pemberdayaan", "daya"), ("keberhasilan", "hasil"),
    ("kebersihan", "bersih"), ("diikuti", "ikut"), ("memenuhi", "penuh"),
    ("pakailah", "pakai"),
])
def test_affixed_words_reach_their_root(word: str, root: str) -> None:
    assert stem(word) == root


@pytest.mark.parametrize("root", [
    "kopi", "tani", "padi", "kebun", "kemiri", "kelompok", "keluarga", "beras", "bersih",
    "merah", "terpal", "pestisida", "perempuan", "digital", "sekolah", "olah", "jalan", "hujan",
    "karet", "sawit", "bokar", "kompos", "lateks", "terima", "makan", "petik", "pelepah",
])
def test_roots_that_look_affixed_stay_whole(root: str) -> None:
    assert stem(root) == root


def test_ambiguous_nasal_keeps_both_readings_for_search() -> None:
    """mengupas could be upas or kupas: search keeps both, so either spelling meets."""
    assert {"kupas", "upas"} <= stems("mengupas")
    assert {"kocok", "ocok"} <= stems("mengocok")
    assert {"nanti", "tanti"} <= stems("menanti")


def test_short_words_and_numbers_are_left_alone() -> None:
    assert stem("di") == "di"
    assert stem("ikan") == "ikan"
    assert stem("2025") == "2025"
    assert stems("kur") == {"kur"}


@given(st.text(alphabet="abcdegiklmnoprstuy", min_size=1, max_size=14))
def test_a_root_is_never_longer_than_its_word(word: str) -> None:
    root = stem(word)
    assert len(root) <= len(word)
    assert root in word or len(root) >= 3  # an assimilated letter may come back (m → p)
    assert word in stems(word) and root in stems(word)
