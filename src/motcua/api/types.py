"""Field types shared by the API schemas."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator

from motcua.calendars.worktime import VN_TZ


def _as_utc(value: datetime) -> datetime:
    """Read a wall time without an offset in Asia/Ho_Chi_Minh, then move it to UTC.

    PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 (and pydantic) allow, and a
    date at the edge of the calendar may not survive the move; both are input errors.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("The instant is out of range.") from None


#: An instant given by a client, normalised to UTC before it reaches a query.
Instant = Annotated[datetime, AfterValidator(_as_utc)]


class ErrorOut(Schema):
    """Every error answer of the API."""

    code: str
    message: str
    details: Any = None
