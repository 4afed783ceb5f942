"""Cursor pagination: an opaque cursor over descending ids, stable under inserts."""

from __future__ import annotations

import base64

from motcua.lib.errors import InvalidInput


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "id":
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The cursor is not one this API gave out.", code="invalid_cursor") from None
