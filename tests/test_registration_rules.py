"""Registration rules without the chat: names, phone numbers, poster links, place guessing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.db import SessionMaker
from bot.services import deeplinks, places
from bot.services.deeplinks import LinkPayload
from bot.services.registration import NameProblem, check_name, normalize_phone


@pytest.mark.parametrize(("raw", "expected"), [
    ("Siti Aminah", "Siti Aminah"),
    ("  siti   aminah  ", "siti aminah"),
    ("Nur'aini", "Nur'aini"),
    ("Nur’aini", "Nur’aini"),
    ("H. Ahmad Dahlan", "H. Ahmad Dahlan"),
    ("Siti Nur-Hidayah", "Siti Nur-Hidayah"),
    ("Ṣāliḥ", "Ṣāliḥ"),
    ("محمد", "محمد"),
    ("Yo", "Yo"),
    ("A" * 64, "A" * 64),
])
def test_good_names(raw: str, expected: str) -> None:
    assert check_name(raw) == (expected, None)


@pytest.mark.parametrize(("raw", "problem"), [
    ("😀😀😀", NameProblem.SYMBOLS),
    ("🌾", NameProblem.SYMBOLS),
    ("12345", NameProblem.DIGITS),
    ("Siti 2", NameProblem.DIGITS),
    ("http://example.com", NameProblem.LINK),
    ("www.berdaya.id", NameProblem.LINK),
    ("siti.com", NameProblem.LINK),
    ("t.me/siti", NameProblem.LINK),
    ("@siti_aminah", NameProblem.LINK),
    ("A" * 65, NameProblem.TOO_LONG),
    ("A", NameProblem.TOO_SHORT),
    ("A.", NameProblem.TOO_SHORT),
    ("", NameProblem.SYMBOLS),
    ("--", NameProblem.SYMBOLS),
    ("<b>&", NameProblem.SYMBOLS),
    ("Siti_Aminah", NameProblem.SYMBOLS),
])
def test_bad_names(raw: str, problem: NameProblem) -> None:
    assert check_name(raw) == (None, problem)


@given(st.text(max_size=100))
def test_whatever_is_typed_the_answer_is_a_clean_name_or_a_reason(raw: str) -> None:
    name, problem = check_name(raw)
    assert (name is None) != (problem is None)
    if name is not None:
        assert 2 <= len(name) <= 64 and name == " ".join(name.split())
        assert not any(c.isdigit() or c in "<>&@/:" for c in name)


@pytest.mark.parametrize(("raw", "expected"), [
    ("081234567890", "+6281234567890"),
    ("0812-3456-7890", "+6281234567890"),
    ("0812 3456 7890", "+6281234567890"),
    ("6281234567890", "+6281234567890"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("+62-812-3456-7890", "+6281234567890"),
    ("81234567890", "+6281234567890"),
    ("(0746) 21234", "+6274621234"),
    ("0062 812 3456 7890", "+6281234567890"),
    ("+60 12 345 6789", "+60123456789"),
    ("60123456789", "+60123456789"),
])
def test_phone_numbers_become_international(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "0812", "08123456789012345", "+62 0812 3456", "abc",
                                 "0812-3456-789x", "+", "+1234"])
def test_phone_numbers_that_are_not(raw: str) -> None:
    assert normalize_phone(raw) is None


def test_link_payload_round_trip_and_limits() -> None:
    payload = LinkPayload("15.02.02.1010", 42, 123456789)
    text = deeplinks.encode(payload)
    assert len(text) <= 64 and deeplinks.SAFE.fullmatch(text)
    assert deeplinks.decode(text) == payload
    assert deeplinks.start_link("@BerdayaBot", payload) == f"https://t.me/BerdayaBot?start={text}"
    with pytest.raises(ValueError, match="64"):
        deeplinks.encode(LinkPayload("1" * 20, 10**14, 10**14))
    with pytest.raises(ValueError):
        deeplinks.encode(LinkPayload("15.02|1"))


@pytest.mark.parametrize("text", [
    "", "hello", "not base64!", "A" * 65, "MXwxNS4wMnx4fDE",  # "1|15.02|x|1": bad training
    "MnwxNS4wMi4wMi4xMDEwfHw",  # version 2
    "MXx8fA",  # nothing in it
])
def test_tampered_links_are_plain_starts(text: str) -> None:
    assert deeplinks.decode(text) is None


DESA_CODES = st.from_regex(r"[0-9]{2}(\.[0-9]{2}){2}\.[0-9]{4}", fullmatch=True)


@given(desa=st.one_of(st.none(), DESA_CODES),
       training=st.one_of(st.none(), st.integers(1, 10**6)),
       by=st.one_of(st.none(), st.integers(1, 10**10)))
def test_any_poster_link_decodes_to_itself(desa: str | None, training: int | None,
                                           by: int | None) -> None:
    payload = LinkPayload(desa, training, by)
    decoded = deeplinks.decode(deeplinks.encode(payload))
    assert decoded == (None if payload.empty else payload)


@given(st.text(max_size=80))
def test_decoding_never_crashes(text: str) -> None:
    deeplinks.decode(text)


async def _names(found: list[places.Place]) -> list[tuple[str, str | None]]:
    return [(p.name, p.parent_name) for p in found]


async def test_typed_kecamatan_names(seeded: SessionMaker) -> None:
    assert await _names(await places.search(seeded, "bangko barat", desa=False)) == [
        ("Bangko Barat", "Kabupaten Merangin")]
    assert [p.name for p in await places.search(seeded, "Bgko", desa=False)] == ["Bangko"]
    assert [p.name for p in await places.search(seeded, "kec. tabr ulu", desa=False)] == [
        "Tabir Ulu"]
    assert await places.search(seeded, "xyz", desa=False) == []
    assert await places.search(seeded, "<b>&", desa=False) == []


async def test_same_desa_name_in_two_kecamatan_keeps_both_codes(seeded: SessionMaker) -> None:
    found = await places.search(seeded, "rejo sari", desa=True)
    assert {(p.code, p.parent_name) for p in found} == {
        ("15.02.06.2007", "Pamenang"), ("15.02.14.2004", "Tabir Ilir")}
    within = await places.search(seeded, "rejo sari", desa=True, within="15.02.14")
    assert [p.code for p in within] == ["15.02.14.2004"]


async def test_lists_for_the_buttons(seeded: SessionMaker) -> None:
    kecamatan = await places.kecamatan_list(seeded)
    assert len(kecamatan) == 24
    assert [k.name for k in kecamatan] == sorted(k.name for k in kecamatan)
    bangko = await places.desa_list(seeded, "15.02.02")
    assert "Pasar Bangko" in [d.name for d in bangko]
    assert all(d.is_desa and d.parent_name == "Bangko" for d in bangko)
    assert await places.desa_list(seeded, "15.02.02.1010") == []
