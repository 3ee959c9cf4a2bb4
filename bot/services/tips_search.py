"""Search over tip titles and bodies that forgives how villagers type.

Three kinds of match, strongest first: the same root (`tips_stemmer`: "pemupukan" finds
"pupuk"), the start of a word ("bokas" finds "bokashi"), and a small typo ("pupk", "bokasi":
edit distance 1, or 2 for long words). Typos are tried only for a query word that matched
nothing otherwise, so a correct word never drags in look-alikes ("asap" is not "asam").
Title matches count more than body matches, and tips scoring half the best or less are left
out (a tip that merely mentions "pupuk" once does not bury the tips about it). When some tips
match every word of the query only those are returned; otherwise the tips matching the most
words, so a long question still finds something useful.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.services.tips_stemmer import stem, stems

_STOPWORDS = """
    ada adalah agar akan anda apa atau bagaimana bagi bisa cara dalam dan dari dengan di
    harus ini itu jika juga kalau kami kapan karena ke kita lebih mereka oleh pada para saat
    saya sebagai sudah supaya tidak tips tip untuk yang
    a an and are as at be by can do does for from how i in is it my not of on or the to
    what when with your
"""
STOPWORDS = frozenset(_STOPWORDS.split())

MIN_PREFIX = 4
"""A query word this long also matches words it begins ("bokas" → "bokashi")."""
MIN_WEAK_ROOT = 5
"""A shared secondary reading counts only when this long: short ones collide ("ikan" in
"diberikan")."""

MEMO = 4096
"""Query words remembered per index (the index is rebuilt whenever the library changes)."""

TITLE, BODY = 0, 1
WEIGHTS = {  # (kind, field) → score
    ("root", TITLE): 6, ("root", BODY): 3,
    ("prefix", TITLE): 3, ("prefix", BODY): 2,
    ("typo", TITLE): 2, ("typo", BODY): 1,
}


def words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation (hyphenated words split)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(
        ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    return plain.split()


def query_terms(query: str) -> list[str]:
    """The words a search looks for; empty when nothing searchable was typed. Single
    letters are dropped: they are left-overs of punctuation or tags ("<b>x</b>")."""
    terms = [w for w in words(query) if w not in STOPWORDS and len(w) > 1]
    return list(dict.fromkeys(terms))


@lru_cache(maxsize=65536)
def _english_forms(word: str) -> frozenset[str]:
    """A light English stemmer for the English versions ("fertilising" ~ "fertiliser")."""
    forms = {word}
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    for suffix in ("ings", "ing", "ers", "er", "ed", "es", "s", "e", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            forms.add(word[: -len(suffix)])
    return frozenset(forms)


@dataclass(frozen=True, slots=True)
class _Word:
    """One distinct word of the library with its readings."""

    text: str
    root: str
    readings: frozenset[str]

    @classmethod
    @lru_cache(maxsize=65536)
    def of(cls, text: str) -> _Word:
        return cls(text, stem(text), stems(text) | _english_forms(text))

    def shares_root(self, other: _Word) -> bool:
        if self.root == other.root or self.text == other.text:
            return True
        if self.root in other.readings and len(self.root) >= MIN_WEAK_ROOT:
            return True
        return other.root in self.readings and len(other.root) >= MIN_WEAK_ROOT

    def begins(self, other: _Word) -> bool:
        return len(self.text) >= MIN_PREFIX and other.text.startswith(self.text)

    def near(self, other: _Word) -> bool:
        """One typo in a word of 5-7 letters, two from 8; shorter words must be exact (a
        single changed letter turns "duri" into "diri", "qris" into "iris")."""
        return any(
            edit_distance(a, b, limit) <= limit
            for a in {self.text, self.root} for b in {other.text, other.root}
            if (limit := _typo_limit(max(len(a), len(b)))) and abs(len(a) - len(b)) <= limit
            and (limit > 1 or a[0] == b[0] or a[-1] == b[-1])  # one edit keeps an end
        )


def _typo_limit(length: int) -> int:
    if length < 5:
        return 0
    return 1 if length < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours costs 1); stops past `limit`."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True, slots=True)
class Document:
    """What is searched for one tip: its titles and, as body, bodies, category and source."""

    tip_id: int
    title: str
    body: str


class SearchIndex:
    """Built once per library version; a query then scans only the distinct words."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.order: list[int] = []
        postings: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for document in documents:
            self.order.append(document.tip_id)
            for field, text in ((TITLE, document.title), (BODY, document.body)):
                for word in words(text):
                    if word not in STOPWORDS:
                        postings[word].add((document.tip_id, field))
        self.postings = dict(postings)
        self.vocabulary = [_Word.of(w) for w in self.postings]
        self._memo: dict[str, dict[int, int]] = {}

    def search(self, query: str, limit: int = 10) -> list[int]:
        """Tip ids, best first; [] for an empty query or when nothing matches."""
        terms = query_terms(query)
        if not terms:
            return []
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for term in terms:
            best = self._memo.get(term)
            if best is None:
                word = _Word.of(term)
                best = self._term_scores(word, typos=False) or self._term_scores(word, typos=True)
                if len(self._memo) < MEMO:
                    self._memo[term] = best
            for tip_id, score in best.items():
                scores[tip_id] += score
                matched[tip_id] += 1
        if not matched:
            return []
        most = max(matched.values())
        best = max(scores[t] for t in matched if matched[t] == most)
        rank = {tip_id: i for i, tip_id in enumerate(self.order)}
        hits = [t for t in matched if matched[t] == most and scores[t] > best / 2]
        hits.sort(key=lambda t: (-scores[t], rank[t]))
        return hits[:limit]

    def _term_scores(self, term: _Word, *, typos: bool) -> dict[int, int]:
        """For one query word, each tip's best single match."""
        best: dict[int, int] = {}
        for word in self.vocabulary:
            if typos:
                if not term.near(word):
                    continue
                kind = "typo"
            elif term.shares_root(word):
                kind = "root"
            elif term.begins(word):
                kind = "prefix"
            else:
                continue
            for tip_id, field in self.postings[word.text]:
                score = WEIGHTS[(kind, field)]
                if score > best.get(tip_id, 0):
                    best[tip_id] = score
        return best
