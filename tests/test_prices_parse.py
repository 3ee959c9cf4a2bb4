"""Typed prices, commodity names with synonyms and typos, and the robust statistics."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.prices_parse import (
    PriceParseError,
    PriceProblem,
    candidate,
    match_name,
    parse_amount,
    parse_price,
    parse_unit,
)
from bot.services.prices_stats import (
    is_absurd,
    is_outlier,
    mad,
    median,
    weekly_change,
)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("25000", "25000", None),
        ("25.000", "25000", None),
        ("Rp 25rb", "25000", None),
        ("25 ribu", "25000", None),
        ("1,2 jt", "1200000", None),
        ("Rp3.669,78", "3669.78", None),
        ("14.500,-", "14500", None),
        ("Rp. 25.000", "25000", None),
        ("25k", "25000", None),
        ("14,5 rb", "14500", None),
        ("25 000", "25000", None),
        ("Rp25.000,00", "25000", None),
        ("43,550", "43550", None),
        ("15rb/kg", "15000", "kg"),
        ("Rp 14.000 per kilo", "14000", "kg"),
        ("25 ribu sekilo", "25000", "kg"),
        ("1,2jt/ton", "1200", "kg"),
        ("18.000/liter", "18000", "liter"),
    ],
)
def test_typed_prices(text: str, value: str, unit: str | None) -> None:
    parsed = parse_price(text)
    assert parsed.value == Decimal(value)
    assert parsed.unit == unit


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", PriceProblem.EMPTY),
        ("0", PriceProblem.ZERO),
        ("Rp 0,00", PriceProblem.ZERO),
        ("-5000", PriceProblem.NEGATIVE),
        ("- 14.500", PriceProblem.NEGATIVE),
        ("abc", PriceProblem.NOT_A_NUMBER),
        ("mahal sekali", PriceProblem.NOT_A_NUMBER),
        ("1.2.3", PriceProblem.NOT_A_NUMBER),
        ("25,00,0", PriceProblem.NOT_A_NUMBER),
        ("25.000/ikat", PriceProblem.UNKNOWN_UNIT),
        ("99999 jt", PriceProblem.TOO_LARGE),
    ],
)
def test_bad_typed_prices(text: str, problem: PriceProblem) -> None:
    with pytest.raises(PriceParseError) as caught:
        parse_price(text)
    assert caught.value.problem == problem


@given(st.integers(min_value=1, max_value=999_999_999))
def test_thousands_round_trip(amount: int) -> None:
    """Whatever grouping a phone keyboard produces, the amount comes back."""
    dotted = f"{amount:,}".replace(",", ".")
    assert parse_amount(dotted) == amount
    assert parse_amount(f"{amount:,}") == amount
    assert parse_price(f"Rp {dotted}").value == amount


def test_units() -> None:
    assert parse_unit("Rp./Kg") == ("kg", Decimal(1))
    assert parse_unit("Rp/Lt") == ("liter", Decimal(1))
    assert parse_unit("ton") == ("kg", Decimal(1000))
    with pytest.raises(PriceParseError):
        parse_unit("karung")


NAMES = [
    candidate("karet", ["karet", "getah", "para"]),
    candidate("tbs", ["TBS sawit", "sawit", "kelapa sawit"]),
    candidate("robusta", ["kopi robusta", "kopi", "robusta"]),
    candidate("arabika", ["kopi arabika", "arabika"]),
    candidate("cabai_merah", ["cabai merah", "cabai", "cabe"]),
    candidate("cabai_rawit", ["cabai rawit", "rawit"]),
    candidate("bawang_merah", ["bawang merah", "bawang"]),
    candidate("bawang_putih", ["bawang putih"]),
    candidate("kayu_manis", ["kayu manis", "kulit manis"]),
]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("karet", "karet"),
        ("GETAH", "karet"),
        ("harga karet hari ini", "karet"),
        ("kopi", "robusta"),
        ("Kopi Arabika", "arabika"),
        ("kopii", "robusta"),
        ("karett", "karet"),
        ("sawt", "tbs"),
        ("bwang merah", "bawang_merah"),
        ("Cabai Rawit Merah", "cabai_rawit"),
        ("Cabai Merah Keriting", "cabai_merah"),
        ("Bawang Putih Bonggol", "bawang_putih"),
        ("kayumanis", "kayu_manis"),
        ("kulit manis", "kayu_manis"),
    ],
)
def test_names_with_synonyms_and_typos(text: str, key: str) -> None:
    assert match_name(text, NAMES).key == key


def test_unknown_name_suggests_the_closest() -> None:
    match = match_name("krt", NAMES)
    assert match.key is None
    assert match.suggestions and match.suggestions[0] == "karet"
    assert match_name("xyzzy qwerty", NAMES) == match_name("xyzzy qwerty", NAMES)
    assert match_name("xyzzy qwerty", NAMES).key is None


def test_files_get_no_guessing() -> None:
    assert match_name("karett", NAMES, fuzzy=False).key is None
    assert match_name("Daging Sapi", NAMES, fuzzy=False).key is None


def test_median_and_mad() -> None:
    values = [Decimal(v) for v in (14000, 14200, 14500, 13900, 60000)]
    assert median(values) == Decimal(14200)
    assert median([Decimal(1), Decimal(2)]) == Decimal("1.5")
    assert mad(values) == Decimal(300)


def test_outliers_beyond_three_mads() -> None:
    sample = [Decimal(v) for v in (14000, 14200, 14500, 13900, 14100)]
    assert not is_outlier(Decimal(14600), sample)
    assert is_outlier(Decimal(45000), sample)
    assert is_outlier(Decimal(1400), sample)
    assert not is_outlier(Decimal(45000), sample[:2]), "too few reports to judge"
    same = [Decimal(14000)] * 5
    assert not is_outlier(Decimal(14500), same), "a MAD of zero must not flag everything"


def test_absurd_prices() -> None:
    assert is_absurd(Decimal(150_001), Decimal(15_000))
    assert is_absurd(Decimal(1_400), Decimal(15_000))
    assert not is_absurd(Decimal(150_000), Decimal(15_000))
    assert not is_absurd(Decimal(150_001), None)


def test_weekly_change() -> None:
    history = [(date(2026, 2, d), Decimal(v)) for d, v in
               ((10, 13000), (16, 14000), (20, 14500), (23, 14700))]
    change = weekly_change((date(2026, 2, 23), Decimal(14700)), history)
    assert change is not None
    assert (change.before, change.amount, change.percent) == (
        Decimal(14000), Decimal(700), Decimal("5.0"))
    assert weekly_change((date(2026, 2, 23), Decimal(14700)), history[2:]) is None
