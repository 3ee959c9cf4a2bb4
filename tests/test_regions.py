"""The region list: the shipped Merangin file, another kabupaten's, and broken files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services import regions
from models import Region

HEADER = "code,name,level,parent_code\n"
GOOD = HEADER + (
    "15.01,Kabupaten Kerinci,kabupaten,15\n"
    "15.01.01,Gunung Raya,kecamatan,15.01\n"
    "15.01.01.2001,Lempur Tengah,desa,15.01.01\n"
)


def test_shipped_list_matches_the_shared_copy() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared/data/merangin_wilayah.csv"
    if not shared.exists():
        pytest.skip("../shared/data/merangin_wilayah.csv is absent: nothing to compare with")
    assert regions.default_region_text() == shared.read_text("utf-8")


def test_shipped_list_counts() -> None:
    rows = regions.parse_regions(regions.default_region_text())
    assert Counter(r.level for r in rows) == {
        "kabupaten": 1, "kecamatan": 24, "desa": 205, "kelurahan": 10
    }
    names = Counter(r.name for r in rows if r.level == "desa")
    assert sum(1 for n in names.values() if n > 1) == 6


async def test_seed_is_idempotent(sessionmaker: SessionMaker) -> None:
    rows = regions.parse_regions(regions.default_region_text())
    first = await regions.seed_regions(sessionmaker, rows)
    second = await regions.seed_regions(sessionmaker, rows)
    assert (first.added, second.added, second.unchanged) == (240, 0, 240)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Region)) == 240
        root = await session.get(Region, "15.02")
        assert root is not None and root.parent_code is None


async def test_another_kabupaten_and_renames(sessionmaker: SessionMaker) -> None:
    await regions.seed_regions(sessionmaker, regions.parse_regions(GOOD))
    renamed = GOOD.replace("Lempur Tengah", "Lempur Tengah Baru")
    result = await regions.seed_regions(sessionmaker, regions.parse_regions(renamed))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "15.01.01.2001,Lagi,desa,15.01.01\n", r"line 5: duplicate code 15\.01\.01\.2001"),
        (GOOD + "15.01.02.2001,Yatim,desa,15.01.02\n", r"line 5: parent 15\.01\.02 .* missing"),
        (GOOD + "15.01.01.2002,Aneh,dusun,15.01.01\n", r"line 5: bad level 'dusun'"),
        (GOOD + "15.01.01.2003,Salah,desa,15.01\n", r"line 5: a desa cannot sit under"),
        ("kode,nama\n1,x\n", r"line 1: header"),
        (HEADER, r"no regions"),
    ],
)
async def test_broken_files_load_nothing(
    sessionmaker: SessionMaker, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "regions.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(regions.RegionFileError, match=message) as caught:
        regions.read_region_file(path)
    assert "nothing was loaded" in str(caught.value)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Region)) == 0
