"""The shipped library and the files facilitators edit: content rules, formats, import."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services import tips_categories, tips_formats, tips_library, tips_manage
from bot.services.tips_formats import LibraryError, TipRecord
from models.tip import Tip, TipCategory

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
SHIPPED = tips_library.shipped_records()
INSTITUTIONS = re.compile(
    r"Kementan|Ditjenbun|Dinas Perkebunan|Puslit|Pusat Penelitian|BSIP|Balitsa|Balitbangtan|"
    r"OJK|BP2MI|Kemnaker|Kementerian|Kemenko|Bank Indonesia|BPOM|Komdigi|KND|Komisi Nasional|"
    r"Kemensos|BPJS|UU No\.")


def test_the_library_has_at_least_forty_tips_covering_every_topic() -> None:
    assert len(SHIPPED) >= 40
    assert {r.category for r in SHIPPED} == set(tips_categories.CODES)


@pytest.mark.parametrize("record", SHIPPED, ids=lambda r: r.key)
def test_every_shipped_tip_is_bilingual_sourced_and_within_limits(record: TipRecord) -> None:
    assert set(record.texts) == {"id", "en"}
    assert record.source and INSTITUTIONS.search(record.source), record.source
    assert record.published
    for title, body in record.texts.values():
        assert len(title) <= tips_manage.TITLE_MAX
        assert 200 <= len(body) <= tips_manage.BODY_MAX
        assert "<" not in body and "&" not in body  # plain text: nothing an HTML reader trips on
    assert record.key.startswith(record.category.split("_")[0][:4])


async def test_migration_seeds_exactly_the_known_categories(sessionmaker: SessionMaker) -> None:
    async with sessionmaker() as session:
        rows = (await session.scalars(select(TipCategory.code)
                                      .order_by(TipCategory.position))).all()
    assert tuple(rows) == tips_categories.CODES


async def test_import_twice_changes_nothing_the_second_time(sessionmaker: SessionMaker) -> None:
    first = await tips_library.import_records(sessionmaker, list(SHIPPED), NOW)
    again = await tips_library.import_records(sessionmaker, list(SHIPPED), NOW)
    assert (first.added, first.updated) == (len(SHIPPED), 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(SHIPPED))


async def test_seed_fills_only_an_empty_library(sessionmaker: SessionMaker) -> None:
    assert await tips_library.seed_shipped(sessionmaker, NOW) == len(SHIPPED)
    await tips_manage.set_published(sessionmaker, 1, False, NOW)
    assert await tips_library.seed_shipped(sessionmaker, NOW) == 0
    async with sessionmaker() as session:
        tip = await session.get(Tip, 1)
        assert tip is not None and tip.published is False  # the facilitator's choice survives


async def test_an_edited_file_updates_in_place(sessionmaker: SessionMaker) -> None:
    await tips_library.import_records(sessionmaker, list(SHIPPED[:3]), NOW)
    changed = TipRecord(SHIPPED[0].key, "hama", {"id": ("Judul baru", "Isi baru " * 30)},
                        "Kementan", published=False)
    result = await tips_library.import_records(sessionmaker, [changed], NOW)
    assert result.updated == 1
    [exported] = [r for r in await tips_library.export_records(sessionmaker)
                  if r.key == changed.key]
    assert exported.category == "hama" and not exported.published
    assert exported.texts["id"][0] == "Judul baru"
    assert "en" in exported.texts  # import never deletes a language version


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ""])
async def test_export_then_import_round_trips(
    sessionmaker: SessionMaker, tmp_path: Path, suffix: str
) -> None:
    await tips_library.import_records(sessionmaker, list(SHIPPED), NOW)
    target = tmp_path / f"tips{suffix}"
    assert tips_formats.write_path(await tips_library.export_records(sessionmaker),
                                   target) == len(SHIPPED)
    back = tips_formats.read_path(target)
    assert sorted(back, key=lambda r: r.key) == sorted(SHIPPED, key=lambda r: r.key)


def _csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "tips.csv"
    path.write_text("id,category,published,source,title_id,body_id,title_en,body_en\n" + rows,
                    "utf-8")
    return path


def test_an_unknown_category_is_refused_with_its_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "kopi-a,kopi,yes,Kementan,Judul,Isi,,\n"
                          "kopi-b,durian,yes,Kementan,Judul,Isi,,\n")
    with pytest.raises(LibraryError) as caught:
        tips_formats.read_path(path)
    assert caught.value.problems == [
        "tips.csv row 3: unknown category 'durian'; use one of " + ", ".join(
            tips_categories.CODES)]


def test_a_body_over_the_limit_names_the_limit_and_length(tmp_path: Path) -> None:
    path = _csv(tmp_path, f"kopi-a,kopi,yes,Kementan,Judul,{'x' * 1001},,\n")
    with pytest.raises(LibraryError) as caught:
        tips_formats.read_path(path)
    assert caught.value.problems == [
        "tips.csv row 2: body_id is 1001 characters; the limit is 1000"]


def test_every_problem_of_a_file_is_listed(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Bad Id,kopi,maybe,,Judul,Isi,,\n"
                          "kopi-a,kopi,yes,,,,,\n"
                          "kopi-b,kopi,yes,,Judul,Isi,,\n"
                          "kopi-b,kopi,yes,,Judul,Isi,,\n")
    with pytest.raises(LibraryError) as caught:
        tips_formats.read_path(path)
    text = "\n".join(caught.value.problems)
    assert "row 2: id 'Bad Id' must be lower-case letters" in text
    assert "row 2: published must be yes or no" in text
    assert "row 3: needs a title and body" in text
    assert "row 5: id 'kopi-b' is used twice (also tips.csv row 4)" in text


def test_a_sheet_without_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tips.csv"
    path.write_text("name,body\nx,y\n", "utf-8")
    with pytest.raises(LibraryError, match="missing column id"):
        tips_formats.read_path(path)


def test_markdown_mistakes_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nid: kopi-a\ncategory: kopi\ncolour: red\n---\n\n"
                                   "# fr: Titre\n\nTexte\n", "utf-8")
    (tmp_path / "b.md").write_text("no header here\n", "utf-8")
    with pytest.raises(LibraryError) as caught:
        tips_formats.read_path(tmp_path)
    text = "\n".join(caught.value.problems)
    assert "a.md line 4: unknown header line 'colour: red'" in text
    assert "a.md line 7: a version starts with '# id: Title'" in text
    assert "b.md line 1: must start with a '---' header" in text


def test_a_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tips.txt"
    path.write_text("hello")
    with pytest.raises(LibraryError, match=r"use a folder of \.md files"):
        tips_formats.read_path(path)
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    with pytest.raises(LibraryError, match=r"not an Excel \.xlsx file"):
        tips_formats.read_path(broken)


async def test_nothing_is_stored_when_a_file_is_refused(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "kopi-a,kopi,yes,,Judul,Isi,,\nkopi-b,nope,yes,,Judul,Isi,,\n")
    with pytest.raises(LibraryError):
        await tips_library.import_records(sessionmaker, tips_formats.read_path(path), NOW)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Tip)) == 0


async def test_the_playground_loads_the_shipped_library(sessionmaker: SessionMaker) -> None:
    from bot.playground import demo_tips

    await demo_tips.load(sessionmaker, NOW)
    await demo_tips.load(sessionmaker, NOW)  # the playground may load twice: no duplicates
    assert await tips_library.tip_count(sessionmaker) == len(SHIPPED)
