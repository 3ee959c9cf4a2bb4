"""`berdaya report`: the workbook from the command line, its summary, audit and one-line errors."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.db import SessionMaker
from bot.services import audit
from tests.support.reports import PHONE_SITI, build_programme, open_book, records, sheet_rows
from tests.test_cli import berdaya, one_line_error


async def test_report_writes_the_workbook_and_is_audited(
    seeded: SessionMaker, database_url: str, tmp_path: Path,
) -> None:
    await build_programme(seeded)
    env = {"BERDAYA_DATABASE__URL": database_url}
    result = berdaya("report", "--from", "2026-03-01", "--to", "31/3/2026", "--out",
                     "bangko.xlsx", "--with-contacts", "--kecamatan", "Kecamatan Bangko",
                     cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("bangko.xlsx: Anggota 4, Pelatihan 1, Kehadiran 1, "
                                     "Harga 1, Siaran 1")
    book = open_book((tmp_path / "bangko.xlsx").read_bytes())
    siti = next(r for r in records(book["Anggota"]) if r["Nama"] == "Siti Aminah")
    assert siti["Telepon"] == PHONE_SITI
    [entry] = [e for e in await audit.entries(seeded) if e.action == "report.exported"]
    assert entry.actor_id is None and entry.actor_role == "cli"
    assert entry.details["kecamatan"] == "15.02.02" and entry.details["contacts"] is True

    result = berdaya("report", "--from", "2026-01-01", "--to", "2026-01-31", cwd=tmp_path,
                     env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "berdaya-laporan-2026-01-01_2026-01-31.xlsx: Anggota 0, Pelatihan 0, Kehadiran 0, "
        "Harga 0, Siaran 0",
        "no data in this period: the sheets hold only their headers"]
    book = open_book((tmp_path / "berdaya-laporan-2026-01-01_2026-01-31.xlsx").read_bytes())
    assert "Telepon" not in sheet_rows(book["Anggota"])[0]


def test_report_errors_are_one_line(tmp_path: Path, database_url: str) -> None:
    env = {"BERDAYA_DATABASE__URL": database_url}
    later = (date.today() + timedelta(days=40)).isoformat()
    cases = [
        (["--from", "2026-13-01", "--to", "2026-03-31"], "--from: cannot read '2026-13-01'"),
        (["--from", "kemarin", "--to", "2026-03-31"], "use YYYY-MM-DD or D/M/YYYY"),
        (["--from", "2026-03-31", "--to", "2026-03-01"], "--from is after --to"),
        (["--from", later, "--to", later], "the period starts after today"),
        (["--from", "2025-01-01", "--to", "2026-03-31"], "at most 366 days"),
        (["--from", "2026-03-01", "--to", "2026-03-31", "--kecamatan", "Atlantis"],
         "unknown kecamatan 'Atlantis'"),
        (["--from", "2026-03-01", "--to", "2026-03-31", "--out", "nowhere/r.xlsx"],
         "cannot write nowhere/r.xlsx: No such file or directory"),
    ]
    for arguments, expected in cases:
        line = one_line_error(berdaya("report", *arguments, cwd=tmp_path, env=env))
        assert expected in line, (arguments, line)
    assert list(tmp_path.glob("*.xlsx")) == []
