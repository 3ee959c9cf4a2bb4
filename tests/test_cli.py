"""The `berdaya` command as an operator meets it: real processes, one-line errors, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import BACKENDS


def berdaya(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BERDAYA_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=clean, capture_output=True,
        text=True, timeout=120, check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


def test_version(tmp_path: Path) -> None:
    result = berdaya("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("berdaya ")


def test_run_without_token_explains(tmp_path: Path) -> None:
    line = one_line_error(berdaya("run", cwd=tmp_path))
    assert "@BotFather" in line and "berdaya playground" in line


def test_admin_add_rejects_a_non_numeric_id(tmp_path: Path) -> None:
    line = one_line_error(berdaya("admin", "add", "budi", cwd=tmp_path))
    assert "must be a positive number" in line and "'budi'" in line


def test_invalid_config_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[database]\nurl = 42\n")
    line = one_line_error(berdaya("--config", "bad.toml", "db", "upgrade", cwd=tmp_path))
    assert "database.url" in line


def test_unreachable_postgres_is_one_line(tmp_path: Path) -> None:
    env = {"BERDAYA_DATABASE__URL": "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"}
    line = one_line_error(berdaya("db", "upgrade", cwd=tmp_path, env=env))
    assert "cannot reach the database" in line and "127.0.0.1:1" in line


def test_seed_admin_and_list(tmp_path: Path) -> None:
    env = {"BERDAYA_DATABASE__URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    seeded = berdaya("db", "seed", cwd=tmp_path, env=env)
    assert "240 added" in seeded.stdout, seeded.stderr
    again = berdaya("db", "seed", cwd=tmp_path, env=env)
    assert "0 added, 0 updated, 240 unchanged" in again.stdout
    assert berdaya("admin", "add", "777", "--role", "admin", cwd=tmp_path, env=env).returncode == 0
    listed = berdaya("admin", "list", cwd=tmp_path, env=env)
    assert "777\tadmin" in listed.stdout


def test_seed_rejects_a_bad_region_file(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("code,name,level,parent_code\n1,A,kabupaten,\n1,B,kabupaten,\n")
    env = {"BERDAYA_DATABASE__URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    line = one_line_error(berdaya("db", "seed", "--regions", "r.csv", cwd=tmp_path, env=env))
    assert "line 3: duplicate code 1" in line


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="TEST_DATABASE_URL is not set")
def test_upgrade_on_postgres(tmp_path: Path) -> None:
    env = {"BERDAYA_DATABASE__URL": os.environ["TEST_DATABASE_URL"]}
    result = berdaya("db", "upgrade", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
