"""Compact, language-free callback data (`prefix:field:field`, ≤ 64 bytes) and safe parsing.

Buttons live in old messages for days; whatever comes back is untrusted input. A payload that
does not parse is logged and ignored, never acted on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import Update

log = logging.getLogger("berdaya.callbacks")

SEPARATOR = ":"
MAX_BYTES = 64


def pack(*parts: object) -> str:
    data = SEPARATOR.join(str(p) for p in parts)
    if len(data.encode()) > MAX_BYTES or any(SEPARATOR in str(p) for p in parts[1:]):
        raise ValueError(f"callback data {data!r} is too long or ambiguous")
    return data


def pattern(prefix: str) -> Callable[[object], bool]:
    """For CallbackQueryHandler(pattern=…): matches `prefix` and `prefix:…`."""
    head = prefix + SEPARATOR
    return lambda data: isinstance(data, str) and (data == prefix or data.startswith(head))


def unpack(update: Update, *kinds: Callable[[str], Any]) -> list[Any] | None:
    """The fields after the prefix converted by `kinds` (e.g. int, str), or None if tampered."""
    query = update.callback_query
    data = query.data if query is not None else None
    if not isinstance(data, str):
        return None
    fields = data.split(SEPARATOR)[1:]
    if len(fields) != len(kinds):
        log.warning("ignored callback data %r: expected %d fields", data, len(kinds))
        return None
    try:
        return [kind(field) for kind, field in zip(kinds, fields, strict=True)]
    except ValueError:
        log.warning("ignored malformed callback data %r", data)
        return None
