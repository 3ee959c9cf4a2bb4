"""Numbers, rupiah, dates and times as Indonesians (and English readers there) write them."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
              "Asia/Jayapura": "WIT"}


def rupiah(amount: float | int | Decimal, language: str) -> str:
    """`Rp12.500`, with sen only when there are any (`Rp3.669,78`)."""
    pattern = "#,##0" if Decimal(str(amount)) % 1 == 0 else "#,##0.00"
    return "Rp" + format_decimal(amount, format=pattern, locale=language)


def number(value: float | int | Decimal, language: str) -> str:
    return format_decimal(value, locale=language)


def long_date(value: date | datetime, language: str, tz: tzinfo | None = None) -> str:
    """`Kamis, 5 Maret 2026`."""
    if isinstance(value, datetime) and tz is not None:
        value = value.astimezone(tz)
    return format_date(value, "EEEE, d MMMM y", locale=language)


def short_date(value: date | datetime, language: str, tz: tzinfo | None = None) -> str:
    """`5 Mar 2026`, for lists where the long form would wrap on a small phone."""
    if isinstance(value, datetime) and tz is not None:
        value = value.astimezone(tz)
    return format_date(value, "d MMM y", locale=language)


def clock(value: datetime, language: str, tz: tzinfo) -> str:
    """`09.30 WIB` in Indonesian, `09:30 WIB` in English."""
    local = value.astimezone(tz)
    pattern = "HH.mm" if language == "id" else "HH:mm"
    zone = ZONE_NAMES.get(str(tz)) or local.strftime("%Z")
    return f"{format_time(local, pattern, locale=language)} {zone}"
