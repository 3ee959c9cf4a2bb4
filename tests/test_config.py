"""Configuration: file, environment, and every way it can be wrong."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("BERDAYA_"):
            monkeypatch.delenv(key)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cfg.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_and_one_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.config")
    settings = load_settings(tmp_path / "absent.toml")
    assert settings.database.url == "sqlite+aiosqlite:///berdaya.db"
    assert settings.broadcast.messages_per_second == 25
    lines = [r for r in caplog.records if r.name == "bot.config"]
    assert len(lines) == 1 and "absent.toml" in lines[0].getMessage()


def test_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[telegram]\ntoken = "1:abc"\n[telegram.webhook]\nport = 9000\n'
                           "[program]\nadmins = [42]\n")
    monkeypatch.setenv("BERDAYA_TELEGRAM__WEBHOOK__PORT", "9100")
    monkeypatch.setenv("BERDAYA_TELEGRAM__TOKEN", "2:def")
    settings = load_settings(path)
    assert settings.telegram.webhook.port == 9100
    assert settings.telegram.token.get_secret_value() == "2:def"
    assert settings.program.admins == [42]


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[broadcast]\nmessages_per_second = 10\n")
    monkeypatch.setenv("BERDAYA_CONFIG", str(path))
    assert load_settings().broadcast.messages_per_second == 10


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[telegram]\nmode = polling\n")
    with pytest.raises(ConfigError, match=r"invalid TOML.*line 2"):
        load_settings(path)


def test_unknown_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "[telegram]\ntokn = 'x'\n")
    with pytest.raises(ConfigError, match=r"telegram\.tokn: unknown key"):
        load_settings(path)


def test_unknown_section_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"telegramm: unknown key"):
        load_settings(write(tmp_path, "[telegramm]\ntoken = 'x'\n"))


def test_wrong_type_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "[broadcast]\nmessages_per_second = 'fast'\n")
    with pytest.raises(ConfigError, match=r"broadcast\.messages_per_second"):
        load_settings(path)


def test_wrong_type_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BERDAYA_TELEGRAM__WEBHOOK__PORT", "eighty")
    with pytest.raises(ConfigError, match=r"telegram\.webhook\.port"):
        load_settings(tmp_path / "none.toml")


@pytest.mark.parametrize("url", ["mysql://root@localhost/x", "not a url at all"])
def test_bad_database_url(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match=r"database\.url"):
        load_settings(write(tmp_path, f"[database]\nurl = '{url}'\n"))


def test_plain_driver_names_get_the_async_driver(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "[database]\nurl = 'postgresql://u@h/db'\n"))
    assert settings.database.url == "postgresql+asyncpg://u@h/db"


def test_unknown_time_zone(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"program\.timezone"):
        load_settings(write(tmp_path, "[program]\ntimezone = 'Asia/Bangko'\n"))


def test_example_config_is_valid_and_complete() -> None:
    """config.example.toml documents every key: loading it must give exactly the defaults."""
    example = Path(__file__).resolve().parents[1] / "config.example.toml"
    settings = load_settings(example)
    assert settings.model_dump() == load_settings(Path("/nonexistent.toml")).model_dump()
    text = example.read_text()
    for section, model in settings:
        for key in type(model).model_fields:
            assert f"{key} =" in text or f"[{section}.{key}]" in text, f"{section}.{key}"
