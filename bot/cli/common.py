"""What the CLI commands share: lazily loaded settings, logging and one-line failures."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import typer

from bot.config import Settings, load_settings
from bot.logsetup import configure_logging


class CliError(Exception):
    """An operator mistake, explained in one line."""


@dataclass
class State:
    config: Path | None
    _settings: Settings | None = field(default=None, init=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            configure_logging()
            self._settings = load_settings(self.config)
            telegram = self._settings.telegram
            configure_logging(self._settings.logging.level, telegram.token.get_secret_value(),
                              telegram.webhook.secret_token.get_secret_value())
        return self._settings


def settings_of(ctx: typer.Context) -> Settings:
    state: State = ctx.find_root().obj
    return state.settings


def fail(message: str) -> NoReturn:
    typer.echo(f"berdaya: error: {message}", err=True)
    sys.exit(1)
