"""Opaque page tokens (AIP-158): callers must not parse them, we may change them."""

from __future__ import annotations

import base64
import json
from typing import Any

from .errors import FieldViolation, InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


def page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument("INVALID_PAGE_SIZE", "page_size must not be negative",
                              field_violations=[FieldViolation("page_size", "must not be negative")])
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode_token(cursor: dict[str, Any]) -> str:
    raw = json.dumps(cursor, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        padded = token + "=" * (-len(token) % 4)
        cursor = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(cursor, dict):
            raise ValueError
        return cursor
    except (ValueError, UnicodeDecodeError):
        raise InvalidArgument("INVALID_PAGE_TOKEN", "page_token is not one this service issued",
                              field_violations=[FieldViolation("page_token", "is malformed")]) from None
