"""What every handler and job shares: settings, the database and the clock (tests replace it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import Translator
from models import utcnow


@dataclass
class Runtime:
    """Kept as `application.bot_data` (PTB's context types), so `context.bot_data` is typed."""

    settings: Settings
    sessionmaker: SessionMaker
    clock: Callable[[], datetime] = field(default=utcnow)

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.program.tz

    def translator(self, language: str) -> Translator:
        return Translator(language, self.tz)

    def now(self) -> datetime:
        return self.clock()
