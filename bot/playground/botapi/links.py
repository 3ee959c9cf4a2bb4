"""URL checks as TDLib's ``LinkManager::check_link`` makes them, with its normalised result.

Telegram rewrites the links it accepts (``https://example.com`` becomes ``https://example.com/``,
``example.com`` becomes ``http://example.com/``) and refuses the rest with a short reason that the
Bot API quotes, e.g. ``inline keyboard button URL 'x' is invalid: Wrong HTTP URL``.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_HOST = re.compile(r"^[^\s/?#@:]+$")
_TG_USER = re.compile(r"^tg://user\?id=(\d+)$", re.IGNORECASE)


class LinkError(ValueError):
    """The link is refused; ``str(error)`` is TDLib's reason."""


def check_link(link: str) -> str:
    """Return Telegram's normalised form of ``link`` or raise :class:`LinkError`."""
    link = link.strip()
    match = _SCHEME.match(link)
    scheme = match.group(1).lower() if match else "http"
    if scheme in ("tg", "ton"):
        rest = link[match.end() :] if match else ""
        if not rest:
            raise LinkError("Wrong URL")
        return f"{scheme}://{rest}"
    if scheme not in ("http", "https"):
        raise LinkError("Unsupported URL protocol")
    rest = link[match.end() :] if match else link
    split = min((rest.find(c) for c in "/?#" if c in rest), default=len(rest))
    authority, tail = rest[:split], rest[split:]
    host_port = authority.rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    if not host:
        raise LinkError("URL host is empty")
    if not _HOST.match(host) or "." not in host.strip("."):
        raise LinkError("Wrong HTTP URL")
    if port and (not port.isdigit() or not 0 < int(port) < 65536):
        raise LinkError("Wrong port number specified in the URL")
    if not tail.startswith("/"):
        tail = "/" + tail
    return f"{scheme}://{authority}{tail}"


def tg_user_id(link: str) -> int | None:
    """The user id of a ``tg://user?id=…`` link, which Telegram turns into a text mention."""
    match = _TG_USER.match(link.strip())
    return int(match.group(1)) if match else None
