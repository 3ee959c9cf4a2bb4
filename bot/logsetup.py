"""Logging that never shows the bot token or webhook secret, even in URLs httpx or PTB print."""

from __future__ import annotations

import logging
import re

TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
MASK = "<token>"


class TokenMask(logging.Filter):
    """Rewrites the rendered message: the token may sit in args, in the text or in a traceback."""

    def __init__(self, *tokens: str) -> None:
        super().__init__()
        self.tokens = [t for t in tokens if t]

    def mask(self, text: str) -> str:
        for token in self.tokens:
            text = text.replace(token, MASK)
        return TOKEN_PATTERN.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.mask(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure_logging(level: str = "INFO", *secrets: str) -> None:
    """One stderr handler with the mask; idempotent so the CLI and tests can both call it."""
    root = logging.getLogger()
    root.setLevel(level)
    handler = next((h for h in root.handlers if getattr(h, "berdaya", False)), None)
    if handler is None:
        handler = logging.StreamHandler()
        handler.berdaya = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    handler.filters = [TokenMask(*secrets)]
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def mask_all_handlers(*secrets: str) -> None:
    """Also guard handlers installed by others (pytest's capture, a supervisor's config)."""
    for handler in logging.getLogger().handlers:
        handler.filters = [f for f in handler.filters if not isinstance(f, TokenMask)]
        handler.addFilter(TokenMask(*secrets))
