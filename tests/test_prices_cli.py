"""`berdaya prices import` as an operator meets it: real processes, line numbers, exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import berdaya

HEADER = "tanggal,komoditas,tempat,tingkat,harga,satuan,sumber\n"
GOOD = HEADER + (
    "2026-03-02,karet,Kec. Bangko,produsen,14.000,kg,Survei\n"
    "2026-03-03,karet,Kec. Bangko,produsen,14.200,kg,Survei\n"
    "2026-03-04,karet,Kec. Bangko,produsen,14.100,kg,Survei\n"
)


def env_for(tmp_path: Path) -> dict[str, str]:
    return {"BERDAYA_DATABASE__URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def test_import_twice(tmp_path: Path) -> None:
    (tmp_path / "harga.csv").write_text(GOOD)
    first = berdaya("prices", "import", "harga.csv", cwd=tmp_path, env=env_for(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "harga.csv (long): 3 added, 0 updated, 0 unchanged"
    again = berdaya("prices", "import", "harga.csv", cwd=tmp_path, env=env_for(tmp_path))
    assert again.stdout.strip() == "harga.csv (long): 0 added, 0 updated, 3 unchanged"


def test_bad_rows_are_listed_and_nothing_is_imported(tmp_path: Path) -> None:
    bad = GOOD + "2026-03-05,karet,Kec. Bangko,produsen,0,kg,Survei\n" + (
        "2026-03-06,kopi,Kec. Bangko,produsen,60.000,liter,Survei\n")
    (tmp_path / "bad.csv").write_text(bad)
    result = berdaya("prices", "import", "bad.csv", cwd=tmp_path, env=env_for(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "  line 5: the price '0' is zero" in result.stderr
    assert "  line 6: unit 'liter' does not fit Kopi robusta" in result.stderr
    assert "berdaya: error: bad.csv: 2 problem(s); nothing was imported" in result.stderr
    (tmp_path / "harga.csv").write_text(GOOD)
    after = berdaya("prices", "import", "harga.csv", cwd=tmp_path, env=env_for(tmp_path))
    assert "3 added" in after.stdout, "the failed file left nothing behind"


def test_far_off_prices_need_yes(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(GOOD)
    assert berdaya("prices", "import", "a.csv", cwd=tmp_path,
                   env=env_for(tmp_path)).returncode == 0
    (tmp_path / "b.csv").write_text(HEADER + "2026-03-05,karet,Kec. Bangko,produsen,"
                                    "\"1.410.000\",kg,Survei\n")
    refused = berdaya("prices", "import", "b.csv", cwd=tmp_path, env=env_for(tmp_path))
    assert refused.returncode == 1
    assert "line 2: Karet 1410000.00 is more than ten times away from the usual" in (
        refused.stderr)
    assert "pass --yes to import them anyway; nothing was imported" in refused.stderr
    accepted = berdaya("prices", "import", "b.csv", "--yes", cwd=tmp_path,
                       env=env_for(tmp_path))
    assert accepted.stdout.strip() == "b.csv (long): 1 added, 0 updated, 0 unchanged"


def test_missing_file_and_bad_date_option(tmp_path: Path) -> None:
    missing = berdaya("prices", "import", "nowhere.xlsx", cwd=tmp_path, env=env_for(tmp_path))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    (tmp_path / "a.csv").write_text(GOOD)
    bad_date = berdaya("prices", "import", "a.csv", "--date", "kemarin", cwd=tmp_path,
                       env=env_for(tmp_path))
    assert bad_date.returncode == 1 and "--date must look like 2026-03-02" in bad_date.stderr
