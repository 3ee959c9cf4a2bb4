"""Audience filters, one by one and combined, and what the facilitator's text may contain."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import SessionMaker
from bot.services import broadcasts
from bot.services.broadcasts import BroadcastRefused, Button, Problem
from bot.services.broadcasts_audience import Audience, count_recipients, recipients
from bot.services.broadcasts_format import typed_html, visible_text
from models import Member, Role, Status, utcnow
from models.broadcast import ButtonKind
from models.price import Commodity, CommodityFollow
from models.training import Enrollment, EnrollmentStatus, Training
from tests.support.members import make_member

BANGKO = "15.02.02"
PASAR_BANGKO = "15.02.02.1010"
TABIR = "15.02.05"


async def desa_of(sessionmaker: SessionMaker, kecamatan: str, n: int) -> str:
    from bot.services import places

    return (await places.desa_list(sessionmaker, kecamatan))[n].code


async def ids(sessionmaker: SessionMaker, audience: Audience) -> set[int]:
    async with sessionmaker() as session:
        return set(await session.scalars(recipients(audience)))


@pytest.fixture
async def village(seeded: SessionMaker) -> dict[str, Member]:
    """Members spread over kecamatan, groups, languages, trainings and commodities."""
    tabir_desa = await desa_of(seeded, TABIR, 0)
    other_bangko = await desa_of(seeded, BANGKO, 1)
    people = {
        "siti": await make_member(seeded, 1, "Siti", desa_code=PASAR_BANGKO,
                                  groups=("perempuan", "usaha")),
        "budi": await make_member(seeded, 2, "Budi", desa_code=other_bangko, groups=("petani",),
                                  language="en"),
        "ani": await make_member(seeded, 3, "Ani", desa_code=tabir_desa, groups=("petani",)),
        "stopped": await make_member(seeded, 4, "Stop", status=Status.STOPPED),
        "blocked": await make_member(seeded, 5, "Blok", status=Status.BLOCKED),
        "staff": await make_member(seeded, 6, "Fasil", role=Role.FACILITATOR, desa_code=None),
    }
    async with seeded() as session, session.begin():
        session.add(Member(channel="telegram", external_id="7", chat_id=7, full_name="Baru"))
        now = utcnow()
        training = Training(
            title="Menjahit", category="menjahit", desa_code=PASAR_BANGKO,
            kecamatan_code=BANGKO, venue="Balai", starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=3), capacity=10, organizer="LSM",
            organizer_kind="lsm")
        session.add(training)
        await session.flush()
        session.add_all([
            Enrollment(training_id=training.id, member_id=people["siti"].id,
                       status=EnrollmentStatus.ENROLLED, queued_at=now),
            Enrollment(training_id=training.id, member_id=people["ani"].id,
                       status=EnrollmentStatus.WAITLISTED, queued_at=now),
        ])
        coffee = await session.scalar(select(Commodity).where(Commodity.code == "kopi_robusta"))
        rubber = await session.scalar(select(Commodity).where(Commodity.code == "karet"))
        assert coffee is not None and rubber is not None
        session.add_all([CommodityFollow(member_id=people["budi"].id, commodity_id=coffee.id),
                         CommodityFollow(member_id=people["ani"].id, commodity_id=rubber.id)])
    people["training"] = training  # type: ignore[assignment]
    people["coffee"], people["rubber"] = coffee, rubber  # type: ignore[assignment]
    return people


def who(village: dict[str, Member], *names: str) -> set[int]:
    return {village[name].id for name in names}


async def test_everyone_means_active_registered_members(
    seeded: SessionMaker, village: dict[str, Member],
) -> None:
    assert await ids(seeded, Audience()) == who(village, "siti", "budi", "ani", "staff")
    assert await count_recipients(seeded, Audience()) == 4


@pytest.mark.parametrize(("audience", "expected"), [
    (Audience(kecamatan=(BANGKO,)), ("siti", "budi")),
    (Audience(kecamatan=(BANGKO, TABIR)), ("siti", "budi", "ani")),
    (Audience(desa=(PASAR_BANGKO,)), ("siti",)),
    (Audience(groups=("petani",)), ("budi", "ani")),
    (Audience(groups=("petani", "usaha")), ("siti", "budi", "ani")),
    (Audience(languages=("en",)), ("budi",)),
    (Audience(kecamatan=(BANGKO,), groups=("petani",)), ("budi",)),
    (Audience(kecamatan=(TABIR,), languages=("en",)), ()),
])
async def test_region_group_and_language_filters(
    seeded: SessionMaker, village: dict[str, Member], audience: Audience,
    expected: tuple[str, ...],
) -> None:
    assert await ids(seeded, audience) == who(village, *expected)
    assert await count_recipients(seeded, audience) == len(expected)


async def test_training_filter_counts_enrolled_members_only(
    seeded: SessionMaker, village: dict[str, Member],
) -> None:
    training = village["training"]
    assert await ids(seeded, Audience(trainings=(training.id,))) == who(village, "siti")


async def test_commodity_filter(seeded: SessionMaker, village: dict[str, Member]) -> None:
    coffee, rubber = village["coffee"], village["rubber"]
    assert await ids(seeded, Audience(commodities=(coffee.id,))) == who(village, "budi")
    assert await ids(seeded, Audience(commodities=(coffee.id, rubber.id),
                                      groups=("petani",))) == who(village, "budi", "ani")


def test_audience_round_trips_through_json() -> None:
    audience = Audience(kecamatan=(BANGKO,), groups=("petani",), trainings=(4,),
                        commodities=(2, 3))
    assert Audience.from_json(audience.to_json()) == audience
    assert audience.to_json() == {"kecamatan": [BANGKO], "groups": ["petani"],
                                  "trainings": [4], "commodities": [2, 3]}
    assert Audience.from_json({"groups": ["petani"], "future_filter": [1]}) == Audience(
        groups=("petani",))
    assert audience.toggled("groups", "petani").toggled("groups", "pemuda").groups == ("pemuda",)


@pytest.mark.parametrize(("typed", "html"), [
    ("Harga <b>kopi</b> & karet", "Harga <b>kopi</b> &amp; karet"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("<b>tebal <i>miring</b></i>", "&lt;b&gt;tebal <i>miring&lt;/b&gt;</i>"),
    ("<b>belum ditutup", "&lt;b&gt;belum ditutup"),
    ('<a href="https://x.id/?a=1&b=2">daftar</a>', '<a href="https://x.id/?a=1&amp;b=2">daftar</a>'),
    ('<a href="javascript:alert(1)">x</a>', "&lt;a href=\"javascript:alert(1)\"&gt;x&lt;/a&gt;"),
    ("2 < 3 > 1", "2 &lt; 3 &gt; 1"),
])
def test_typed_formatting_is_kept_only_when_safe(typed: str, html: str) -> None:
    assert typed_html(typed) == html


@pytest.mark.parametrize(("text", "media", "problem"), [
    ("   ", None, Problem.EMPTY),
    ("a" * 4097, None, Problem.TOO_LONG),
    ("a" * 1025, broadcasts.Media(broadcasts.MediaKind.PHOTO, "x"), Problem.CAPTION_TOO_LONG),
])
def test_content_limits(text: str, media: broadcasts.Media | None, problem: Problem) -> None:
    with pytest.raises(BroadcastRefused) as refused:
        broadcasts.check_content(text, media)
    assert refused.value.problem == problem


def test_limits_count_what_members_see() -> None:
    tagged = "<b>" + "a" * 4096 + "</b>"
    broadcasts.check_content(tagged, None)
    assert visible_text("&lt;b&gt; &amp;") == "<b> &"


async def test_members_cannot_create_broadcasts(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 11, "Warga")
    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.create_broadcast(seeded, sender_member_id=member.id, text="Halo",
                                          audience=Audience())
    assert refused.value.problem == Problem.NOT_ALLOWED


@pytest.mark.parametrize(("button", "problem"), [
    (Button(ButtonKind.LINK, url="merangin", label="Buka"), Problem.BAD_LINK),
    (Button(ButtonKind.LINK, url="javascript:alert(1)", label="Buka"), Problem.BAD_LINK),
    (Button(ButtonKind.LINK, url="https://merangin.go.id", label=""), Problem.BAD_LABEL),
    (Button(ButtonKind.LINK, url="https://merangin.go.id", label="x" * 41), Problem.BAD_LABEL),
    (Button(ButtonKind.JOIN, training_id=999), Problem.TRAINING_CLOSED),
])
async def test_bad_buttons_are_refused(seeded: SessionMaker, button: Button,
                                       problem: Problem) -> None:
    staff = await make_member(seeded, 12, "Fasil", role=Role.FACILITATOR)
    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.create_broadcast(seeded, sender_member_id=staff.id, text="Halo",
                                          audience=Audience(), button=button)
    assert refused.value.problem == problem


async def test_a_time_in_the_past_is_refused(seeded: SessionMaker) -> None:
    staff = await make_member(seeded, 12, "Fasil", role=Role.FACILITATOR)
    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.create_broadcast(seeded, sender_member_id=staff.id, text="Halo",
                                          audience=Audience(),
                                          scheduled_at=utcnow() - timedelta(hours=1))
    assert refused.value.problem == Problem.IN_THE_PAST
