"""Formats of e-form fields that JSON Schema does not know: a date that is not in the future."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

VIETNAM_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
PAST_DATE = "past-date"


def is_past_date(value: str) -> bool:
    """An ISO date (YYYY-MM-DD) not later than today in Viet Nam."""
    try:
        return date.fromisoformat(value) <= datetime.now(VIETNAM_TIME).date()
    except ValueError:
        return False


FORMATS: dict[str, Callable[[str], bool]] = {PAST_DATE: is_past_date}


def past_date(title: str) -> dict[str, Any]:
    """A date input that refuses a day after today (a birth date, a date of death).

    The field keeps ``"format": "date"`` so pages offer a date picker; the check against
    today is the extra ``past-date`` format, validated with `FORMATS`.
    """
    return {"title": title, "type": "string", "format": "date", "allOf": [{"format": PAST_DATE}]}
