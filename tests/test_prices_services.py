"""What members read and facilitators write: latest prices, references, reports and reviews."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from bot.db import SessionMaker
from bot.services import prices
from bot.services.prices_query import overview, reference, usual_price
from bot.services.prices_report import (
    pending_count,
    pending_reports,
    record_price,
    report_offer,
    review,
)
from models import Role
from models.price import Level, Price, PriceAudit, PriceStatus
from tests.support.members import make_member

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
BANGKO = "15.02.02"


async def put(sessionmaker: SessionMaker, code: str, place: str, value: int, day: date,
              level: str = Level.PRODUSEN, quality: str = "", **extra: object) -> Price:
    catalogue = await prices.load_catalogue(sessionmaker)
    commodity, point = catalogue.by_code(code), catalogue.place_by_code(place)
    assert commodity is not None and point is not None
    recorded = await record_price(
        sessionmaker, commodity_id=commodity.id, place_id=point.id, level=level,
        quality=quality, value=Decimal(value), observed_on=day, reported_by=None, now=NOW,
        **extra)  # type: ignore[arg-type]
    return recorded.price


async def view_of(sessionmaker: SessionMaker, code: str, today: date = TODAY,
                  kecamatan: str | None = BANGKO):  # type: ignore[no-untyped-def]
    catalogue = await prices.load_catalogue(sessionmaker)
    commodity = catalogue.by_code(code)
    assert commodity is not None
    return await overview(sessionmaker, catalogue, commodity.id, today, kecamatan)


async def test_catalogue_is_seeded_by_the_migration(sessionmaker: SessionMaker) -> None:
    catalogue = await prices.load_catalogue(sessionmaker)
    rubber, palm, robusta = (catalogue.by_code(c) for c in ("karet", "tbs", "kopi_robusta"))
    assert rubber and palm and robusta
    assert [q.code for q in rubber.qualities] == ["40", "50", "60", "70", "100"]
    assert [q.code for q in palm.qualities][-3:] == ["10-20", "21-24", "25+"]
    assert [q.code for q in robusta.qualities] == ["asalan", "petik_merah"]
    assert (rubber.name_id, rubber.name_en, rubber.unit) == ("Karet", "Rubber", "kg")
    names = {p.name for p in catalogue.places}
    assert {"Pasar Rakyat Bangko", "Pasar Baru Bangko", "Pasar Rantau Panjang",
            "Pasar Muara Siau", "Pasar Masurai", "Muara Madras",
            "Disbun Provinsi Jambi"} <= names
    farm = catalogue.farm_gate(BANGKO)
    assert farm is not None and farm.name == "Kec. Bangko"
    assert sum(1 for p in catalogue.places if p.kind == "kebun") == 24
    assert catalogue.match_quality(rubber, "KKK 50%") == "50"
    assert catalogue.match_quality(palm, "10 - 20 tahun") == "10-20"
    assert catalogue.match_commodity("getah").key == rubber.id
    assert catalogue.match_commodity("kulit manis").key == catalogue.by_code("kayu_manis").id


async def test_latest_per_place_and_level_with_change_and_range(
    sessionmaker: SessionMaker,
) -> None:
    for days_ago, value in ((20, 13800), (9, 14000), (7, 14100), (2, 14300), (0, 14500)):
        await put(sessionmaker, "karet", "kebun-15.02.02", value, TODAY - timedelta(days_ago))
    await put(sessionmaker, "karet", "pasar-rakyat-bangko", 15200, TODAY - timedelta(1),
              level=Level.GROSIR)
    await put(sessionmaker, "karet", "disbun-jambi", 27500, TODAY - timedelta(3),
              level=Level.PENETAPAN, quality="100", valid_until=TODAY + timedelta(4))
    await put(sessionmaker, "karet", "kebun-15.02.05", 13000, TODAY - timedelta(60))
    view = await view_of(sessionmaker, "karet")
    assert [(s.place.code, s.level, s.latest.value) for s in view.series] == [
        ("disbun-jambi", "penetapan", Decimal(27500)),
        ("kebun-15.02.02", "produsen", Decimal(14500)),
        ("pasar-rakyat-bangko", "grosir", Decimal(15200)),
    ], "set price first, then the member's kecamatan; a 60-day-old price is left out"
    farm = view.series[1]
    assert farm.change is not None
    assert (farm.change.before, farm.change.before_on) == (Decimal(14100), TODAY - timedelta(7))
    assert (farm.change.amount, farm.change.percent) == (Decimal(400), Decimal("2.8"))
    assert (farm.low, farm.high) == (Decimal(13800), Decimal(14500))
    assert not view.stale


async def test_stale_prices_are_flagged(sessionmaker: SessionMaker) -> None:
    await put(sessionmaker, "pinang", "kebun-15.02.02", 9000, TODAY - timedelta(10))
    view = await view_of(sessionmaker, "pinang")
    assert view.stale and view.newest == TODAY - timedelta(10)
    await put(sessionmaker, "tbs", "disbun-jambi", 3669, TODAY - timedelta(10),
              level=Level.PENETAPAN, quality="10-20", valid_until=TODAY + timedelta(5))
    assert not (await view_of(sessionmaker, "tbs")).stale, "a set price counts while it holds"
    empty = await view_of(sessionmaker, "kentang")
    assert empty.is_empty and empty.stale


async def test_future_prices_are_not_shown(sessionmaker: SessionMaker) -> None:
    await put(sessionmaker, "pinang", "kebun-15.02.02", 9000, TODAY + timedelta(1))
    assert (await view_of(sessionmaker, "pinang")).is_empty


async def test_same_day_report_replaces_with_an_audit_record(seeded: SessionMaker) -> None:
    facilitator = await make_member(seeded, 501, "Fasilitator", role=Role.FACILITATOR)
    catalogue = await prices.load_catalogue(seeded)
    rubber, market = catalogue.by_code("karet"), catalogue.place_by_code("pasar-baru-bangko")
    assert rubber and market
    key = {"commodity_id": rubber.id, "place_id": market.id, "level": Level.GROSIR,
           "quality": "", "observed_on": TODAY, "reported_by": facilitator.id, "now": NOW}
    first = await record_price(seeded, value=Decimal(14000), **key)  # type: ignore[arg-type]
    second = await record_price(seeded, value=Decimal(14200), **key)  # type: ignore[arg-type]
    assert first.replaced is None and second.replaced == Decimal(14000)
    assert first.price.id == second.price.id
    async with seeded() as session:
        audit = (await session.scalars(select(PriceAudit))).one()
        stored = (await session.scalars(select(Price))).one()
    assert (audit.old_value, audit.new_value, audit.changed_by, audit.action) == (
        Decimal(14000), Decimal(14200), facilitator.id, "replaced")
    assert stored.value == Decimal(14200)


async def test_members_reports_median_count_and_outliers(seeded: SessionMaker) -> None:
    catalogue = await prices.load_catalogue(seeded)
    rubber, farm = catalogue.by_code("karet"), catalogue.farm_gate(BANGKO)
    assert rubber and farm
    members = [await make_member(seeded, 600 + i, f"Petani {i}") for i in range(6)]
    for member, value in zip(members, (13800, 14000, 14200, 14100, 13900), strict=False):
        result = await report_offer(seeded, commodity_id=rubber.id, quality="",
                                    value=Decimal(value), place=farm, member_id=member.id,
                                    today=TODAY, now=NOW)
        assert not result.pending
    wild = await report_offer(seeded, commodity_id=rubber.id, quality="", value=Decimal(41000),
                              place=farm, member_id=members[5].id, today=TODAY, now=NOW)
    assert wild.pending
    view = await view_of(seeded, "karet")
    assert view.series == [], "members' reports are shown apart"
    [summary] = view.citizen
    assert (summary.median, summary.count, summary.place.code) == (
        Decimal(14000), 5, "kebun-15.02.02")
    assert await pending_count(seeded) == 1
    [waiting] = await pending_reports(seeded)
    assert waiting.price.value == Decimal(41000)
    approved = await review(seeded, waiting.price.id, approve=False, reviewer_id=members[0].id,
                            now=NOW)
    assert approved is not None and approved.status == PriceStatus.REJECTED
    assert await review(seeded, waiting.price.id, approve=True, reviewer_id=members[0].id,
                        now=NOW) is None, "decided once"
    assert await pending_count(seeded) == 0


async def test_a_members_second_report_replaces_the_first(seeded: SessionMaker) -> None:
    catalogue = await prices.load_catalogue(seeded)
    rubber, farm = catalogue.by_code("karet"), catalogue.farm_gate(BANGKO)
    assert rubber and farm
    member = await make_member(seeded, 700, "Budi")
    for value in (14000, 14300):
        await report_offer(seeded, commodity_id=rubber.id, quality="", value=Decimal(value),
                           place=farm, member_id=member.id, today=TODAY, now=NOW)
    [summary] = (await view_of(seeded, "karet")).citizen
    assert (summary.count, summary.median) == (1, Decimal(14300))


async def test_reference_scales_rubber_by_its_dry_content(sessionmaker: SessionMaker) -> None:
    await put(sessionmaker, "karet", "disbun-jambi", 28000, TODAY, level=Level.PENETAPAN,
              quality="100")
    for place, value in (("kebun-15.02.02", 14000), ("kebun-15.02.05", 14600),
                         ("kebun-15.02.03", 14200)):
        await put(sessionmaker, "karet", place, value, TODAY, quality="50")
    view = await view_of(sessionmaker, "karet")
    at_50 = reference(view, "50")
    assert (at_50.farm_gate, at_50.farm_gate_count) == (Decimal(14200), 3)
    assert at_50.set_price is not None and at_50.set_price.value == Decimal(14000)
    assert at_50.scaled_from == "100"
    at_100 = reference(view, "100")
    assert (at_100.farm_gate, at_100.scaled_from) == (Decimal(28400), "50")
    assert at_100.set_price is not None and at_100.set_price.value == Decimal(28000)
    assert reference(view, "").value is None


async def test_usual_price_is_the_90_day_median(sessionmaker: SessionMaker) -> None:
    catalogue = await prices.load_catalogue(sessionmaker)
    rubber = catalogue.by_code("karet")
    assert rubber
    assert await usual_price(sessionmaker, rubber.id, "", Level.PRODUSEN, TODAY) is None
    for days_ago, value in ((100, 1000), (30, 14000), (10, 14400), (1, 15000)):
        await put(sessionmaker, "karet", "kebun-15.02.02", value, TODAY - timedelta(days_ago))
    assert await usual_price(sessionmaker, rubber.id, "", Level.PRODUSEN, TODAY) == 14400
    assert await usual_price(sessionmaker, rubber.id, "", Level.ECERAN, TODAY) == 14400


async def test_commodity_menu_puts_the_members_own_first(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 800, "Sari")
    catalogue = await prices.load_catalogue(seeded)
    await put(seeded, "pinang", "kebun-15.02.02", 9000, TODAY)
    await put(seeded, "pinang", "pasar-rakyat-bangko", 9500, TODAY, level=Level.GROSIR)
    await put(seeded, "kentang", "kebun-15.02.02", 8000, TODAY)
    cinnamon = catalogue.by_code("kayu_manis")
    assert cinnamon
    assert await prices.toggle_follow(seeded, member.id, cinnamon.id)
    kecamatan = await prices.kecamatan_of(seeded, member.desa_code)
    assert kecamatan == BANGKO
    menu = await prices.commodity_menu(seeded, catalogue, member.id, kecamatan, TODAY)
    first = [catalogue.commodity(i).code for i in menu.commodity_ids[:4]]  # type: ignore[union-attr]
    assert first == ["kayu_manis", "pinang", "kentang", "karet"]
    assert menu.followed == {cinnamon.id}
    assert not await prices.toggle_follow(seeded, member.id, cinnamon.id)
    assert await prices.followed_commodities(seeded, member.id) == []
