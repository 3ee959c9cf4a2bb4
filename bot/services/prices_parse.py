"""Reading prices and commodity names the way people write them: "Rp 25rb", "1,2 jt", "kopii".

Pure functions, shared by the chat (typed prices), the file import (cells) and the tests.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from enum import StrEnum

MAX_PRICE = Decimal("999999999")
MULTIPLIERS = {"rb": 1000, "ribu": 1000, "rebu": 1000, "rbu": 1000, "k": 1000,
               "jt": 1_000_000, "juta": 1_000_000, "jeti": 1_000_000}
UNITS: dict[str, tuple[str, Decimal]] = {
    "kg": ("kg", Decimal(1)), "kilo": ("kg", Decimal(1)), "kilogram": ("kg", Decimal(1)),
    "kgs": ("kg", Decimal(1)), "ons": ("kg", Decimal("0.1")), "gram": ("kg", Decimal("0.001")),
    "gr": ("kg", Decimal("0.001")), "g": ("kg", Decimal("0.001")),
    "kuintal": ("kg", Decimal(100)), "kwintal": ("kg", Decimal(100)), "kw": ("kg", Decimal(100)),
    "ton": ("kg", Decimal(1000)),
    "liter": ("liter", Decimal(1)), "litre": ("liter", Decimal(1)), "ltr": ("liter", Decimal(1)),
    "lt": ("liter", Decimal(1)), "l": ("liter", Decimal(1)),
}
"""Unit words → (base unit, how many base units one of them is)."""

_PUNCTUATION = re.compile(r"[^0-9a-z%+]+")
_NUMBER = re.compile(r"^(-)?\s*(\d[\d.,\s]*)\s*([a-z]*)$")


class PriceProblem(StrEnum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    ZERO = "zero"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    UNKNOWN_UNIT = "unknown_unit"


class PriceParseError(ValueError):
    def __init__(self, problem: PriceProblem, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else str(problem))
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ParsedPrice:
    value: Decimal
    """Per base unit: "Rp12 juta per ton" is 12.000 per kg."""
    unit: str | None
    """The base unit named in the text (kg, liter), or None when none was given."""


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation to spaces (keeping % and +), single spaces."""
    plain = text.lower()
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_PUNCTUATION.sub(" ", plain).split())


def parse_unit(text: str) -> tuple[str, Decimal]:
    """"kg", "Rp./Kg", "per kilo", "/ton" → (base unit, factor); unknown words raise."""
    words = [w for w in normalize(text).split() if w not in ("rp", "per", "idr")]
    if len(words) == 1 and words[0] not in UNITS:
        for prefix in ("per", "se"):
            if words[0].startswith(prefix) and words[0][len(prefix):] in UNITS:
                words = [words[0][len(prefix):]]
    if len(words) != 1 or words[0] not in UNITS:
        raise PriceParseError(PriceProblem.UNKNOWN_UNIT, text.strip())
    return UNITS[words[0]]


def parse_amount(text: str) -> Decimal:
    """A number written Indonesian or English style: "25.000", "3.669,78", "43,550", "14.5".

    One separator followed by exactly three digits groups thousands; otherwise it marks decimals.
    """
    digits = text.replace(" ", "").replace("\u00a0", "")
    if not digits or not re.fullmatch(r"\d[\d.,]*", digits) or digits[-1] in ".,":
        raise PriceParseError(PriceProblem.NOT_A_NUMBER, text)
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        decimal_mark = "." if digits.rfind(".") > digits.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        whole, _, fraction = digits.rpartition(decimal_mark)
        if decimal_mark in whole:
            raise PriceParseError(PriceProblem.NOT_A_NUMBER, text)
        number = whole.replace(thousands, "") + "." + fraction
    elif dots + commas == 0:
        number = digits
    else:
        mark = "." if dots else ","
        parts = digits.split(mark)
        if len(parts) > 2 or len(parts[1]) == 3:
            if any(len(p) != 3 for p in parts[1:]):
                raise PriceParseError(PriceProblem.NOT_A_NUMBER, text)
            number = "".join(parts)
        else:
            number = parts[0] + "." + parts[1]
    try:
        return Decimal(number)
    except InvalidOperation:
        raise PriceParseError(PriceProblem.NOT_A_NUMBER, text) from None


def parse_price(text: str) -> ParsedPrice:
    """A price as a member or facilitator types it: "25000", "Rp 25rb", "1,2 jt", "14.500/kg"."""
    raw = (text or "").strip().lower()
    if not raw:
        raise PriceParseError(PriceProblem.EMPTY)
    raw = re.sub(r"[,.]-\s*", " ", raw)
    raw = re.sub(r"^(rp\.?|idr)\s*", "", raw).strip()
    raw, unit_text = _split_unit(raw)
    match = _NUMBER.match(raw)
    if match is None:
        raise PriceParseError(PriceProblem.NOT_A_NUMBER, text.strip())
    negative, number, suffix = match.groups()
    if suffix and suffix not in MULTIPLIERS:
        if unit_text is not None or suffix not in UNITS:
            raise PriceParseError(PriceProblem.NOT_A_NUMBER, text.strip())
        unit_text, suffix = suffix, ""
    amount = parse_amount(number) * MULTIPLIERS.get(suffix, 1)
    if negative:
        raise PriceParseError(PriceProblem.NEGATIVE, text.strip())
    return checked_price(amount, unit_text)


def checked_price(amount: Decimal, unit_text: str | None = None) -> ParsedPrice:
    """Positive, below a billion, per base unit (a price per ton becomes a price per kg)."""
    unit, factor = parse_unit(unit_text) if unit_text else (None, Decimal(1))
    value = (amount / factor).quantize(Decimal("0.01"))
    if amount < 0:
        raise PriceParseError(PriceProblem.NEGATIVE, str(amount))
    if value == 0:
        raise PriceParseError(PriceProblem.ZERO, str(amount))
    if value > MAX_PRICE:
        raise PriceParseError(PriceProblem.TOO_LARGE, str(amount))
    return ParsedPrice(value, unit)


def _split_unit(raw: str) -> tuple[str, str | None]:
    for separator in ("/", " per ", " sekilo", " perkilo"):
        head, found, tail = raw.partition(separator)
        if found:
            return head.strip(), "kg" if separator in (" sekilo", " perkilo") else tail.strip()
    return raw, None


@dataclass(frozen=True, slots=True)
class Candidate:
    """Something that can be named: a commodity, a quality or a place."""

    key: int | str
    words: tuple[str, ...]
    """Normalized names and synonyms."""


@dataclass(frozen=True, slots=True)
class Match:
    key: int | str | None
    """The confident match, or None."""
    suggestions: tuple[int | str, ...]
    """The closest candidates when there is no confident match, best first."""


def candidate(key: int | str, names: Iterable[str]) -> Candidate:
    words = tuple(dict.fromkeys(w for w in (normalize(n) for n in names) if w))
    return Candidate(key, words)


def match_name(text: str, candidates: Sequence[Candidate], *, fuzzy: bool = True) -> Match:
    """Exact word, then the longest word inside the text, then a small typo; else suggestions.

    "harga karet hari ini" finds karet; "Cabai Rawit Merah" finds cabai rawit rather than
    cabai; "kopii" and "bwang merah" are typos one letter away.
    """
    query = normalize(text)
    if not query:
        return Match(None, ())
    squeezed = query.replace(" ", "")
    for item in candidates:
        if query in item.words or any(w.replace(" ", "") == squeezed for w in item.words):
            return Match(item.key, ())
    padded = f" {query} "
    contained = [(len(w), -i, item.key) for i, item in enumerate(candidates) for w in item.words
                 if f" {w} " in padded]
    if contained:
        return Match(max(contained)[2], ())
    if not fuzzy:
        return Match(None, _closest(query, candidates))
    tokens = {query, *query.split()}
    typos = [(distance, i, item.key) for i, item in enumerate(candidates)
             for w in item.words for token in tokens
             if (distance := _typo_distance(token, w)) is not None]
    if typos:
        best = min(typos)
        if sum(1 for t in typos if t[0] == best[0] and t[2] != best[2]) == 0:
            return Match(best[2], ())
    return Match(None, _closest(query, candidates))


def _typo_distance(query: str, word: str) -> int | None:
    """Edits between them when few enough for the word's length (1 up to 6 letters, else 2)."""
    if len(word) < 4 or abs(len(query) - len(word)) > 2:
        return None
    allowed = 1 if len(word) <= 6 else 2
    distance = damerau_levenshtein(query, word, limit=allowed)
    return distance if distance <= allowed else None


def damerau_levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (adjacent swaps count once), stopping past `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _closest(query: str, candidates: Sequence[Candidate], limit: int = 3) -> tuple[int | str, ...]:
    """Up to three names that look alike, none far behind the best."""
    scored = sorted(
        ((max(SequenceMatcher(None, query, w).ratio() for w in item.words), -i, item.key)
         for i, item in enumerate(candidates) if item.words),
        reverse=True,
    )
    floor = max(0.5, scored[0][0] - 0.15) if scored else 1.0
    return tuple(key for score, _, key in scored[:limit] if score >= floor)
