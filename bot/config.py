"""Settings: a TOML file, then `BERDAYA_<SECTION>__<KEY>` overrides, validated by pydantic.

The key names are a public contract (config.example.toml documents each one); unknown keys are
errors so that a typo never silently falls back to a default.
"""

from __future__ import annotations

import logging
import os
import tomllib
from contextvars import ContextVar
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.services.broadcasts_quiet import QuietWindow, parse_quiet_window

log = logging.getLogger(__name__)

DEFAULT_CONFIG = Path("config.toml")
ENV_CONFIG = "BERDAYA_CONFIG"
LANGUAGES = ("id", "en")
Language = Literal["id", "en"]

_file_data: ContextVar[dict[str, Any] | None] = ContextVar("berdaya_config_file", default=None)


class ConfigError(Exception):
    """A configuration problem explained in one line for the operator."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookSettings(_Section):
    listen: str = "127.0.0.1"
    port: int = Field(8443, ge=1, le=65535)
    path: str = "telegram"
    public_url: str = ""
    secret_token: SecretStr = SecretStr("")


class TelegramSettings(_Section):
    token: SecretStr = SecretStr("")
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    bot_username: str = ""
    webhook: WebhookSettings = WebhookSettings()


class DatabaseSettings(_Section):
    url: str = "sqlite+aiosqlite:///berdaya.db"
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept the plain URL forms people copy from docs and pick the async driver for them."""
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL: {value!r}") from exc
        drivers = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg",
                   "postgres": "postgresql+asyncpg"}
        name = url.drivername
        if name in drivers:
            url = url.set(drivername=drivers[name])
        elif name not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise ValueError(
                f"unsupported database {name!r}: use sqlite+aiosqlite:// or postgresql+asyncpg://"
            )
        return url.render_as_string(hide_password=False)


class ProgramSettings(_Section):
    timezone: str = "Asia/Jakarta"
    default_language: Language = "id"
    admins: list[int] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class BroadcastSettings(_Section):
    messages_per_second: float = Field(25, gt=0, le=1000)
    quiet_hours: list[str] = ["21:00-06:00", "Fri 11:30-13:00"]

    @field_validator("quiet_hours")
    @classmethod
    def _windows(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_quiet_window(text)
        return value

    @property
    def quiet_windows(self) -> list[QuietWindow]:
        return [parse_quiet_window(text) for text in self.quiet_hours]


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class TipsSettings(_Section):
    weekly_enabled: bool = True
    weekly_day: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"
    weekly_time: time = time(7, 0)
    seed_library: bool = True

    @property
    def weekday(self) -> int:
        """Monday is 0, as `datetime.weekday()` counts."""
        return WEEKDAYS.index(self.weekly_day)


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class _FileSource(PydanticBaseSettingsSource):
    """Feeds the already-parsed TOML document to pydantic (parsed by us to report line numbers)."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return (_file_data.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_file_data.get() or {})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BERDAYA_", env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )

    telegram: TelegramSettings = TelegramSettings()
    database: DatabaseSettings = DatabaseSettings()
    program: ProgramSettings = ProgramSettings()
    broadcast: BroadcastSettings = BroadcastSettings()
    tips: TipsSettings = TipsSettings()
    logging: LoggingSettings = LoggingSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _FileSource(settings_cls)


def config_path(explicit: Path | None = None) -> Path:
    """`--config`, else `BERDAYA_CONFIG`, else ./config.toml."""
    if explicit is not None:
        return explicit
    env = os.environ.get(ENV_CONFIG)
    return Path(env) if env else DEFAULT_CONFIG


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Read, merge and validate; every failure becomes one `ConfigError` line naming the culprit."""
    source = config_path(path)
    data: dict[str, Any] = {}
    if source.is_file():
        try:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: invalid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read: {exc}") from None
    else:
        log.info("config file %s not found; using defaults and BERDAYA_* variables", source)
    token = _file_data.set(data)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_explain(exc)}") from None
    finally:
        _file_data.reset(token)


def _explain(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"])
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        problems.append(f"{key}: {message}")
    return "; ".join(problems)
