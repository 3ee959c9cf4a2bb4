"""`berdaya trainings import/export`: spreadsheets in, spreadsheets out, all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from bot.db import SessionMaker
from bot.services import trainings, trainings_io
from bot.services import trainings_enroll as enroll
from bot.services.trainings_io import TrainingFileError
from tests.support.clock import START
from tests.support.members import make_member
from tests.support.trainings import KUNGKAI, TIARO, WIB, at, make_training
from tests.test_cli import berdaya, one_line_error

HEADER = ",".join(trainings_io.COLUMNS)
GOOD = ("Menjahit Dasar,menjahit,Belajar menjahit,{desa},Balai Desa,,,{start},{end},20,"
        "perempuan;petani,Dinas Koperasi,pemda,Lantai dasar")


def _row(desa: str = KUNGKAI, start: str = "2026-03-12 09:00", end: str = "2026-03-12 12:00",
         title: str = "Menjahit Dasar") -> str:
    return GOOD.format(desa=desa, start=start, end=end).replace("Menjahit Dasar", title, 1)


def _csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "jadwal.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


async def _import(seeded: SessionMaker, path: Path) -> trainings_io.Imported:
    return await trainings_io.import_records(seeded, trainings_io.read_records(path), str(path),
                                             START, WIB)


async def test_a_good_csv_is_published(seeded: SessionMaker, tmp_path: Path) -> None:
    path = _csv(tmp_path, _row(), _row(desa=TIARO, title="Olah Kopi"))
    result = await _import(seeded, path)
    assert result.count == 2
    view = await trainings.get_training(seeded, result.first_id or 0)
    assert view is not None
    training = view.training
    assert (training.starts_at, training.ends_at) == (at(12, 9), at(12, 12))
    assert training.target_groups == ["perempuan", "petani"]
    assert training.created_by is None


async def test_every_bad_row_is_reported_and_nothing_is_stored(
    seeded: SessionMaker, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        _row(),
        _row(start="2026-03-01 09:00", end="2026-03-01 12:00", title="Kemarin"),  # line 3: past
        _row(start="2026-03-12 09:00", end="2026-03-12 08:00", title="Terbalik"),  # line 4
        _row(title="Nol").replace(",20,", ",0,"),  # line 5: capacity 0
        _row(title="Besar").replace(",20,", ",10001,"),  # line 6
        _row(title="Masak").replace("menjahit", "memasak"),  # line 7: unknown category
        _row(desa="15.02.99.9999", title="Antah"),  # line 8: desa outside the region table
        _row(start="besok pagi", title="Kabur"),  # line 9: unreadable date
        _row(),  # line 10: the same as line 2
        _row(title="Kosong").replace(",Balai Desa,", ",,"),  # line 11: no venue
    )
    with pytest.raises(TrainingFileError) as caught:
        await _import(seeded, path)
    problems = caught.value.problems
    lines = sorted({int(p.split(":")[0].split()[1]) for p in problems})
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    text = "\n".join(problems)
    assert "line 3: That start time has already passed" in text
    assert "line 4: The end must be after the start." in text
    assert "line 5: The number of seats must be between 1 and 10000." in text
    assert "line 7: Unknown category “memasak”" in text
    assert "line 8: desa code 15.02.99.9999 is not in the region list" in text
    assert "line 9: starts_at 'besok pagi' is not a date and time" in text
    assert "line 10: the same training is already on line 2" in text
    assert "line 11: venue is empty" in text
    assert (await trainings.browse(seeded, START)).total == 0


async def test_importing_twice_is_refused(seeded: SessionMaker, tmp_path: Path) -> None:
    path = _csv(tmp_path, _row())
    await _import(seeded, path)
    with pytest.raises(TrainingFileError) as caught:
        await _import(seeded, path)
    assert "line 2: the same training already exists" in caught.value.problems[0]


@pytest.mark.parametrize(
    ("header", "problem"),
    [("title,category,colour", "unknown column(s) colour"),
     ("title,category", "missing column(s)")],
)
async def test_bad_headers(seeded: SessionMaker, tmp_path: Path, header: str,
                           problem: str) -> None:
    with pytest.raises(TrainingFileError) as caught:
        trainings_io.read_records(_csv(tmp_path, "a,b", header=header))
    assert problem in caught.value.problems[0]
    empty = _csv(tmp_path)
    with pytest.raises(TrainingFileError):
        await _import(seeded, empty)


async def test_xlsx_with_real_dates_and_semicolon_csv(seeded: SessionMaker,
                                                      tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(trainings_io.COLUMNS)
    sheet.append(["Anyaman Rotan", "kerajinan", "", KUNGKAI, "Sanggar", -2.08, 102.28,
                  datetime(2026, 3, 20, 8, 0), "20/3/2026 11.00", 15, "", "Yayasan X",
                  "LSM", ""])
    path = tmp_path / "jadwal.xlsx"
    book.save(path)
    assert (await _import(seeded, path)).count == 1
    semicolons = tmp_path / "excel.csv"
    semicolons.write_text(HEADER.replace(",", ";") + "\n"
                          + _row(title="Kopi").replace(";", "|").replace(",", ";").replace("|", ",")
                          + "\n", encoding="utf-8-sig")
    assert (await _import(seeded, semicolons)).count == 1
    views = (await trainings.browse(seeded, START)).items
    assert views[-1].training.starts_at == at(20, 8)
    assert views[-1].training.organizer_kind == "lsm"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a spreadsheet")
    with pytest.raises(TrainingFileError):
        trainings_io.read_records(broken)


async def test_export_has_the_numbers(seeded: SessionMaker, tmp_path: Path) -> None:
    training = await make_training(seeded, capacity=1)
    for telegram_id in (1001, 1002):
        member = await make_member(seeded, telegram_id)
        await enroll.enroll(seeded, training.id, member.id, START, tz=WIB, waitlist=True)
    records = await trainings_io.export_records(seeded, WIB)
    out = io.StringIO()
    trainings_io.write_csv(records, out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["enrolled"], row["waitlisted"], row["starts_at"]) == ("1", "1", "2026-03-05 09:00")
    path = tmp_path / "out.xlsx"
    trainings_io.write_xlsx(records, path)
    sheet = load_workbook(path).active
    assert sheet is not None and sheet["C2"].value == "Menjahit Pakaian Dasar"


def _cli_env(database_url: str) -> dict[str, str]:
    return {"BERDAYA_DATABASE__URL": database_url}


async def test_the_commands(seeded: SessionMaker, database_url: str, tmp_path: Path) -> None:
    start = (datetime.now(UTC).astimezone(WIB) + timedelta(days=30)).replace(hour=9, minute=0)
    good = _row(start=start.strftime("%Y-%m-%d %H:%M"),
                end=(start + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"))
    path = _csv(tmp_path, good)
    result = berdaya("trainings", "import", str(path), cwd=tmp_path,
                     env=_cli_env(database_url))
    assert result.returncode == 0, result.stderr
    assert "1 training(s) published" in result.stdout

    other = good.replace("Menjahit Dasar", "Menjahit Lanjutan")
    bad = _csv(tmp_path, other.replace(",20,", ",0,"), other.replace(KUNGKAI, "99.99"))
    result = berdaya("trainings", "import", str(bad), cwd=tmp_path, env=_cli_env(database_url))
    line = one_line_error(result)
    assert "2 problem(s); nothing was imported" in line
    assert "line 2:" in result.stderr and "line 3:" in result.stderr

    result = berdaya("trainings", "export", cwd=tmp_path, env=_cli_env(database_url))
    assert result.returncode == 0, result.stderr
    assert "Menjahit Dasar" in result.stdout and "average_rating" in result.stdout
    result = berdaya("trainings", "export", "-o", "x.xlsx", cwd=tmp_path,
                     env=_cli_env(database_url))
    assert result.returncode == 0 and (tmp_path / "x.xlsx").exists()
    missing = berdaya("trainings", "import", "nope.csv", cwd=tmp_path,
                      env=_cli_env(database_url))
    assert "nothing was imported" in one_line_error(missing)
    assert "cannot read the file" in missing.stderr
