"""Tip services: opening, rating, next, subscriptions, facilitator figures, edits, personal data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services import tips, tips_library, tips_manage
from bot.services.tips_manage import Draft, TipProblem
from models import Role
from models.tip import Tip, TipSend, TipSubscription, TipView
from tests.support.members import make_member

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
async def library(seeded: SessionMaker) -> SessionMaker:
    await tips_library.import_records(seeded, list(tips_library.shipped_records()), NOW)
    return seeded


async def _ids(sessionmaker: SessionMaker, category: str) -> list[int]:
    return [t.id for t in await tips.list_tips(sessionmaker, category, "id")]


async def test_lists_follow_library_order_and_hide_drafts(library: SessionMaker) -> None:
    counts = await tips.category_counts(library)
    assert counts["kopi"] == len(await _ids(library, "kopi")) == 4
    english = await tips.list_tips(library, "kopi", "en")
    assert english[0].title == "Dry coffee on raised beds or tarpaulins, not on the ground"
    first = english[0].id
    await tips_manage.set_published(library, first, False, NOW)
    assert first not in await _ids(library, "kopi")
    drafts = await tips.list_tips(library, "kopi", "id", drafts=True)
    assert [t.published for t in drafts if t.id == first] == [False]


async def test_opening_counts_views_and_hides_unpublished_tips(library: SessionMaker) -> None:
    member = await make_member(library, 501)
    staff = await make_member(library, 502, role=Role.FACILITATOR)
    tip_id = (await _ids(library, "karet"))[0]
    for _ in range(3):
        opened = await tips.open_tip(library, member.id, tip_id, NOW)
        assert opened is not None and opened.rating is None
    await tips_manage.set_published(library, tip_id, False, NOW)
    assert await tips.open_tip(library, member.id, tip_id, NOW) is None
    assert await tips.open_tip(library, staff.id, tip_id, NOW, staff=True) is not None
    assert await tips.open_tip(library, member.id, 99999, NOW) is None
    stat = await tips.tip_stat(library, tip_id)
    assert (stat.readers, stat.opens) == (2, 4)


async def test_rating_toggles_and_switches(library: SessionMaker) -> None:
    member = await make_member(library, 503)
    tip_id = (await _ids(library, "sawit"))[0]
    assert await tips.rate(library, member.id, tip_id, tips.LIKE, NOW) == tips.LIKE
    assert await tips.rate(library, member.id, tip_id, tips.DISLIKE, NOW) == tips.DISLIKE
    assert await tips.rate(library, member.id, tip_id, tips.DISLIKE, NOW) is None
    assert await tips.rate(library, member.id, tip_id, tips.LIKE, NOW) == tips.LIKE
    with pytest.raises(ValueError):
        await tips.rate(library, member.id, tip_id, 5, NOW)
    with pytest.raises(LookupError):
        await tips.rate(library, member.id, 99999, tips.LIKE, NOW)
    stat = await tips.tip_stat(library, tip_id)
    assert (stat.likes, stat.dislikes, stat.readers) == (1, 0, 0)  # rated from the weekly tip


async def test_stats_rank_the_most_read_first(library: SessionMaker) -> None:
    a, b = await make_member(library, 504), await make_member(library, 505)
    kopi = await _ids(library, "kopi")
    for member in (a, b):
        await tips.open_tip(library, member.id, kopi[2], NOW)
    await tips.open_tip(library, a.id, kopi[1], NOW)
    await tips.rate(library, b.id, kopi[1], tips.DISLIKE, NOW)
    stats = await tips.tip_stats(library, "en")
    assert [s.tip_id for s in stats[:2]] == [kopi[2], kopi[1]]
    assert stats[1].dislikes == 1 and stats[1].title.isascii()
    assert len(stats) == len(tips_library.shipped_records())


async def test_next_goes_round_the_topic(library: SessionMaker) -> None:
    ids = await _ids(library, "pemasaran")
    following = await tips.neighbour(library, ids[0])
    assert following is not None and following.tip.id == ids[1] and not following.wrapped
    last = await tips.neighbour(library, ids[-1])
    assert last is not None and last.tip.id == ids[0] and last.wrapped
    for tip_id in ids[1:]:
        await tips_manage.set_published(library, tip_id, False, NOW)
    assert await tips.neighbour(library, ids[0]) is None  # alone in its topic
    assert await tips.neighbour(library, 99999) is None


async def test_subscriptions_toggle_and_refuse_unknown_topics(library: SessionMaker) -> None:
    member = await make_member(library, 506)
    assert await tips.toggle_subscription(library, member.id, "kopi", NOW) is True
    assert await tips.toggle_subscription(library, member.id, "karet", NOW) is True
    assert await tips.toggle_subscription(library, member.id, "kopi", NOW) is False
    assert await tips.subscriptions(library, member.id) == {"karet"}
    with pytest.raises(LookupError):
        await tips.toggle_subscription(library, member.id, "durian", NOW)


@pytest.mark.parametrize(("text", "field", "limit"), [
    ("x" * 1001, "body", 1000), ("Judul " * 20, "title", 80), ("s" * 201, "source", 200),
])
def test_limits_name_the_exact_limit_and_length(text: str, field: str, limit: int) -> None:
    clean = {"body": tips_manage.clean_body, "title": tips_manage.clean_title,
             "source": tips_manage.clean_source}[field]
    with pytest.raises(TipProblem) as caught:
        clean(text)
    assert (caught.value.field, caught.value.code, caught.value.limit) == (field, "too_long",
                                                                            limit)
    assert caught.value.length == len(text.strip())


def test_bodies_keep_line_breaks_but_lose_stray_spaces() -> None:
    assert tips_manage.clean_body("  1. Petik   merah\n\n\n\n2. Jemur  \n") == (
        "1. Petik merah\n\n2. Jemur")
    assert len(tips_manage.clean_body("x" * 1000)) == 1000
    with pytest.raises(TipProblem, match="empty"):
        tips_manage.clean_title("   ")


async def test_create_edit_translate_and_move_a_tip(library: SessionMaker) -> None:
    author = await make_member(library, 507, role=Role.FACILITATOR)
    draft = Draft("id", "kopi", "Petik merah", "Isi <b>tebal</b> & aman", "Disbun Jambi")
    tip = await tips_manage.create_tip(library, draft, author_id=author.id, now=NOW,
                                       publish=False)
    again = await tips_manage.create_tip(library, draft, author_id=author.id, now=NOW,
                                         publish=True)
    assert (tip.key, again.key) == ("petik-merah", "petik-merah-2")
    assert not tip.published and again.published and again.published_at == NOW
    later = NOW + timedelta(hours=1)
    await tips_manage.update_text(library, tip.id, "en", later, title="Pick red",
                                  body="Body in English")
    await tips_manage.update_text(library, tip.id, "id", later, body="Isi baru")
    await tips_manage.update_tip(library, tip.id, later, category="pascapanen", source=None)
    changed = await tips.get_tip(library, tip.id)
    assert changed is not None
    assert changed.text("en").title == "Pick red" and changed.text("id").body == "Isi baru"
    assert (changed.category, changed.source, changed.updated_at) == ("pascapanen", None, later)
    with pytest.raises(TipProblem):
        await tips_manage.update_text(library, again.id, "en", later, title="Only a title")
    with pytest.raises(TipProblem):
        await tips_manage.update_tip(library, tip.id, later, category="durian")
    with pytest.raises(LookupError):
        await tips_manage.set_published(library, 99999, True, later)


async def test_personal_data_export_and_erase(library: SessionMaker) -> None:
    import bot.services.tips_privacy  # noqa: F401 - registers the sections, as handlers do
    from bot.services import privacy

    member = await make_member(library, 508, role=Role.FACILITATOR)
    other = await make_member(library, 509)
    tip_id = (await _ids(library, "digital"))[0]
    await tips.open_tip(library, member.id, tip_id, NOW)
    await tips.rate(library, member.id, tip_id, tips.LIKE, NOW)
    await tips.open_tip(library, other.id, tip_id, NOW)
    await tips.toggle_subscription(library, member.id, "digital", NOW)
    written = await tips_manage.create_tip(
        library, Draft("id", "digital", "Tips saya", "Isi"), author_id=member.id, now=NOW,
        publish=True)
    async with library() as session, session.begin():
        session.add(TipSend(member_id=member.id, tip_id=tip_id, period="2026-03-02",
                            status="sent", created_at=NOW, sent_at=NOW))
    data = await privacy.export_member(library, member.id, NOW)
    assert data["tip_subscriptions"] == ["digital"]
    assert data["tips_read"][0]["opens"] == 1 and data["tips_read"][0]["rating"] == 1
    assert data["weekly_tips"][0]["week"] == "2026-03-02"
    assert data["tips_written"] == [written.key]

    assert await privacy.erase_member(library, member.id, NOW)
    async with library() as session:
        for model in (TipView, TipSubscription, TipSend):
            count = await session.scalar(select(func.count()).select_from(model)
                                         .where(model.member_id == member.id))
            assert count == 0, model
        kept = await session.get(Tip, written.id)
        assert kept is not None and kept.author_id is None
        assert await session.scalar(select(func.count()).select_from(TipView)) == 1  # other's
