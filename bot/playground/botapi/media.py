"""Photos, documents and other media objects built from stored files.

Telegram answers a photo with several sizes (90, 320, 800, 1280 and 2560 pixels on the long side,
up to the original); each size is a file of its own that ``getFile`` can serve.
"""

from __future__ import annotations

import base64
import struct
from typing import Any

from .state import FileStore, StoredFile

# A valid 1x1 PNG, served for photos users "send" and for photos sent by URL.
PLACEHOLDER_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PLACEHOLDER_OGG = b"OggS\x00\x02" + bytes(20)
PLACEHOLDER_WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"
    b"/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)
PLACEHOLDER_PDF = b"%PDF-1.4\n% placeholder sent by a simulated user\n%%EOF\n"
_SIDES = (90, 320, 800, 1280, 2560)
_DEFAULT_SIZE = (1280, 960)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height read from a PNG, GIF or JPEG header."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 9 <= len(data) and data[pos] == 0xFF:
            marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2 : pos + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
                return width, height
            pos += 2 + length
    return None


def photo_sizes(
    files: FileStore, stored: StoredFile, size: tuple[int, int] | None = None
) -> list[dict[str, Any]]:
    """The ``PhotoSize`` list for a new photo; every size is its own downloadable file."""
    width, height = size or image_size(stored.data) or _DEFAULT_SIZE
    longest = max(width, height, 1)
    sides = [side for side in _SIDES if side < longest] + [min(longest, _SIDES[-1])]
    sizes = []
    for side in sides:
        scale = side / longest
        is_original = side == sides[-1]
        file = stored if is_original else files.add(stored.data, "photo", mime_type="image/jpeg")
        sizes.append(
            {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "file_size": max(1, int(len(stored.data) * scale * scale)),
                "width": max(1, round(width * scale)),
                "height": max(1, round(height * scale)),
            }
        )
    files.remember_photo(sizes)
    return sizes


def document(stored: StoredFile) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }
    if stored.file_name:
        doc["file_name"] = stored.file_name
    if stored.mime_type:
        doc["mime_type"] = stored.mime_type
    return doc


def voice(stored: StoredFile, duration: int) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "duration": duration,
        "mime_type": "audio/ogg",
        "file_size": len(stored.data),
    }


def sticker(stored: StoredFile, emoji: str) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
        "file_size": len(stored.data),
    }
