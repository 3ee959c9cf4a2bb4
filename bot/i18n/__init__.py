"""Per-member translation and formatting; never a process-global locale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal

from bot.i18n import format as fmt
from bot.i18n.catalog import LANGUAGES, N_, translations


@dataclass(frozen=True, slots=True)
class Translator:
    """What a handler or job needs to speak one member's language."""

    language: str
    tz: tzinfo

    def _(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.language).ngettext(singular, plural, n)

    def rupiah(self, amount: float | int | Decimal) -> str:
        return fmt.rupiah(amount, self.language)

    def number(self, value: float | int | Decimal) -> str:
        return fmt.number(value, self.language)

    def date(self, value: date | datetime) -> str:
        return fmt.long_date(value, self.language, self.tz)

    def short_date(self, value: date | datetime) -> str:
        return fmt.short_date(value, self.language, self.tz)

    def time(self, value: datetime) -> str:
        return fmt.clock(value, self.language, self.tz)


def pick_language(stored: str | None, telegram_code: str | None, default: str) -> str:
    """Stored choice, else what Telegram says the phone uses, else the programme default."""
    if stored in LANGUAGES:
        return stored
    short = (telegram_code or "").split("-")[0].lower()
    return short if short in LANGUAGES else default


__all__ = ["LANGUAGES", "N_", "Translator", "pick_language"]
