"""`berdaya tips import|export` as an operator runs it: real processes, clear failures."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import berdaya


def _said(output: str) -> str:
    """The command's own last line (library warnings may come before it)."""
    return output.strip().splitlines()[-1]


def _env(tmp_path: Path) -> dict[str, str]:
    return {"BERDAYA_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


def test_import_the_shipped_library_then_export_every_format(tmp_path: Path) -> None:
    env = _env(tmp_path)
    first = berdaya("tips", "import", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert _said(first.stdout).startswith("tips: ")
    assert _said(first.stdout).endswith(" added, 0 updated, 0 unchanged")
    for target in ("tips.csv", "tips.xlsx", "folder"):
        result = berdaya("tips", "export", target, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / target).exists()
    assert (tmp_path / "folder" / "kopi-petik-merah.md").read_text("utf-8").startswith(
        "---\nid: kopi-petik-merah\ncategory: kopi\n")
    again = berdaya("tips", "import", "tips.xlsx", cwd=tmp_path, env=env)
    assert again.returncode == 0 and "0 added, 0 updated" in _said(again.stdout)


def test_a_wrong_file_lists_every_problem_and_stores_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    (tmp_path / "bad.csv").write_text(
        "id,category,title_id,body_id\nkopi-a,durian,Judul,Isi\nkopi-b,kopi,Judul," +
        "x" * 1001 + "\n", "utf-8")
    result = berdaya("tips", "import", "bad.csv", cwd=tmp_path, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "berdaya: error: the tips were not imported:" in result.stderr
    assert "bad.csv row 2: unknown category 'durian'" in result.stderr
    assert "bad.csv row 3: body_id is 1001 characters; the limit is 1000" in result.stderr
    export = berdaya("tips", "export", "out.csv", cwd=tmp_path, env=env)
    assert (tmp_path / "out.csv").read_text("utf-8").count("\n") == 1  # header only
    assert export.returncode == 0


def test_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    result = berdaya("tips", "import", "nowhere.csv", cwd=tmp_path, env=_env(tmp_path))
    assert result.returncode == 1 and "nowhere.csv: no such file or folder" in result.stderr
