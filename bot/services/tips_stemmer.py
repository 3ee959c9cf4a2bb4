"""A small Indonesian stemmer, so a search for "pemupukan" finds a tip about "pupuk".

It strips, in this order, the particles (-lah, -kah, -pun), the possessives (-ku, -mu, -nya),
one derivational suffix (-kan, -an, -i) and up to three prefixes (di-, ke-, ter-, ber-, me-,
pe-, per- with the nasal forms mem-, men-, meng-, meny-, pem-, pen-, peng-, peny-), undoing the
nasal assimilation (menyadap → sadap, memupuk → pupuk, menanam → tanam, mengolah → olah).

Without a full dictionary some words are ambiguous (mengirim: irim or kirim?), so there are two
entry points. `stems(word)` gives every plausible root, for search: a query and a tip match when
their root sets meet, which tolerates the ambiguity. `stem(word)` picks one root, preferring the
small list of known roots below, which also stops roots that merely look affixed ("kebun" is not
ke-bun, "petik" is not pe-tik) from being cut further.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

VOWELS = frozenset("aeiou")
MIN_ROOT = 3
PARTICLES = ("lah", "kah", "pun")
POSSESSIVES = ("nya", "ku", "mu")
SUFFIXES = ("kan", "an", "i")
LATER_PREFIXES = ("per", "ber", "ter", "ke")
"""Only these may follow another prefix (memper-, pember-, keber-, keter-, diper-)."""

_ROOT_WORDS = """
    ada ajar ambil anak air akar asam atur awal awet ayam
    bahan baik bakar bantu banyak batang bayar beli benih beras berat beri berita bersih besar
    bibit bicara bijak bubuk buah buat bulan bunga buruh
    cabai cair camat cari cat catat cuci
    daftar dagang dapat darat daun daya dengar desa didik digital dinas dingin disabilitas
    diskon duduk
    gabah gali getah guna gulma
    hama harga hasil hati hemat hilang hitung hujan hutan
    ikan ikat ikut isi
    jadi jaga jahit jalan jamur jemur jual jumlah
    kalah kali karet kata kebun kecil kelapa kelola kelompok keluarga kemarau kemas kemiri
    kenal kenari kentang kering keripik kerja kertas kirim kompos kopi kotor kualitas kuat
    kumpul kunci kupas kurang
    lahan langkah latih layan lembar lindung lupa
    makan malam mampu manis masak masalah matang merah mesin minta mitra modal mudah mulai
    nama nanti nikah nilai
    obat olah
    padi pagi pakai pakaian pangan panen pasang pasar pecah pedas pelepah pematang
    penuh perempuan perintah perlu pesan pestisida petik pilih pinjam pohon potong pupuk putus
    racun rasa rawat rendam rontok rumah rusak
    sadap sakit salah sampah sapu sawah sawit sehat sekolah semprot serang siram simpan
    sortir susun
    tahan tahu tambah tanam tanah tangan tani tapis tawar tempat teman terampil terang
    terima ternak terpal terus timbang tinggal tolong tulis tumbuh tunas turun
    uang ukur ulat umur untung upah urus usaha
"""
ROOTS = frozenset(_ROOT_WORDS.split())
"""Roots that look affixed or are ambiguous after a nasal prefix; stemming stops at them."""


def stem(word: str) -> str:
    """The most likely root of one lower-case word (the word itself when nothing fits)."""
    analyses = _analyses(word)
    known = next((a for a in analyses if a in ROOTS), None)
    return known or analyses[0]


def stems(word: str) -> frozenset[str]:
    """Every plausible root of one lower-case word, the word itself included."""
    return frozenset(_analyses(word)) | {word}


@lru_cache(maxsize=65536)
def _analyses(word: str) -> tuple[str, ...]:
    """Readings of `word` as affixes around a root, the greedy (most stripped) one first."""
    if len(word) <= MIN_ROOT or word in ROOTS or not word.isalpha():
        return (word,)
    found: dict[str, None] = {}
    for base in _without_inflection(word):
        if base in ROOTS:
            found[base] = None
            continue
        for form, suffix in _suffix_options(base):
            for root in _prefix_chains(form, depth=0):
                if suffix == "i" and root == form:
                    continue  # a bare -i is nearly always part of the root (kopi, tani, padi)
                found[root] = None
    return tuple(found) or (word,)


def _without_inflection(word: str) -> list[str]:
    """Possessive removed first (-nya is common), then the word as it is, then without a
    particle (rare, and often just the end of a root: olah, sekolah)."""
    forms = [word[: -len(p)] for p in POSSESSIVES
             if word.endswith(p) and len(word) - len(p) >= MIN_ROOT]
    forms.append(word)
    forms.extend(word[: -len(p)] for p in PARTICLES
                 if word.endswith(p) and len(word) - len(p) >= MIN_ROOT)
    return forms


def _suffix_options(word: str) -> list[tuple[str, str]]:
    """-kan, else -an, else -i; a -kan may also be a root's k plus -an (perontokan)."""
    options = []
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT:
            options.append((word[: -len(suffix)], suffix))
            if suffix == "kan":
                options.append((word[:-2], "an"))
            break
    options.append((word, ""))
    return options


def _prefix_chains(word: str, depth: int) -> Iterator[str]:
    """Depth first, most likely reading first; stops at a known root."""
    if word in ROOTS or depth == 3:
        yield word
        return
    options = _prefix_options(word, first=depth == 0)
    for option in options:
        yield from _prefix_chains(option, depth + 1)
    yield word


def _prefix_options(word: str, *, first: bool) -> list[str]:
    """What may remain after removing one prefix, nasal assimilation undone."""
    out: list[str] = []
    if not first:
        for prefix in LATER_PREFIXES:
            if word.startswith(prefix):
                out.extend(_plain_prefix(word, prefix, r_first=prefix == "per"))
        return [o for o in out if len(o) > MIN_ROOT]
    if word.startswith(("di", "ke")):
        out.append(word[2:])
    for prefix in ("ter", "ber"):
        if word.startswith(prefix):
            out.extend(_plain_prefix(word, prefix, r_first=False))
    if word.startswith("be") and word[3:5] == "er" and word[2] not in VOWELS:
        out.append(word[2:])  # bekerja, beserta: "ber" + a root starting C-er drops its r
    if word.startswith("belajar"):
        out.append(word[3:])
    for lead in ("me", "pe"):
        if word.startswith(lead):
            out.extend(_nasal(word[2:], lead))
    return [o for o in out if len(o) >= MIN_ROOT]


def _plain_prefix(word: str, prefix: str, *, r_first: bool) -> list[str]:
    """ter-/ber-/per- before a vowel may have eaten the root's own r (terasa = ter + rasa);
    after per- that is the usual case (perawatan, peremajaan), after ber- the rare one."""
    rest = word[len(prefix):]
    if rest[:1] in VOWELS:
        return ["r" + rest, rest] if r_first else [rest, "r" + rest]
    return [rest] if rest else []


def _nasal(rest: str, lead: str) -> list[str]:
    """me-/pe- and their nasal forms; the first option is the more common root."""
    first = rest[:1]
    if rest.startswith("ng"):
        after = rest[2:]
        if after[:1] in VOWELS:
            # menge-/penge- before a one-syllable root (mengecat) is the rarest reading
            short = [after[1:]] if after[0] == "e" and len(after) <= 4 else []
            return [after, "k" + after, *short]
        return [after] if after[:1] in ("g", "h", "k", "q") else []
    if rest.startswith("ny"):
        after = rest[2:]
        return ["s" + after, "ny" + after] if after[:1] in VOWELS else []
    if first == "m":
        after = rest[1:]
        if after[:1] in ("b", "f", "v", "p"):
            return [after]
        return ["p" + after, "m" + after] if after[:1] in VOWELS else []
    if first == "n":
        after = rest[1:]
        if after[:1] in ("c", "d", "j", "z", "s"):
            return [after]
        return ["t" + after, "n" + after] if after[:1] in VOWELS else []
    if lead == "pe" and first == "r":
        return _plain_prefix(rest, "r", r_first=True)
    if first in ("l", "r", "w", "y"):
        return [rest]
    if lead == "pe" and first and first not in VOWELS:
        return [rest]  # petani, pedagang, pekerja
    return []
