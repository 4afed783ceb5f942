"""Formats of e-form fields that JSON Schema does not know, and how people type them.

* ``past-date``: a date that is not in the future (a birth date, a date of death);
* ``vn-phone``: a Vietnamese phone number, a 10-digit mobile (03, 05, 07, 08, 09) or an
  11-digit landline (02 and the area code), stored as digits starting with 0;
* `parse_day`: a day typed as dd/mm/yyyy, whatever the browser's language (pages use a text
  input, never the browser's date picker, whose order follows the browser's locale).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

VIETNAM_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
PAST_DATE = "past-date"
VN_PHONE = "vn-phone"

#: Mobile numbers since the 2018 change to 10 digits (prefixes 03, 05, 07, 08, 09) and
#: landlines since the 2017 change of area codes (02 + area code + number, 11 digits).
_MOBILE = re.compile(r"^0[35789][0-9]{8}$")
_LANDLINE = re.compile(r"^02[0-9]{9}$")
_PHONE_NOISE = re.compile(r"[\s.()\-]")
_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_past_date(value: str) -> bool:
    """An ISO date (YYYY-MM-DD) not later than today in Viet Nam."""
    try:
        return date.fromisoformat(value) <= datetime.now(VIETNAM_TIME).date()
    except ValueError:
        return False


def phone_number(value: str) -> str | None:
    """`value` as the digits of a Vietnamese phone number starting with 0, or None.

    Spaces, dots, dashes and brackets are ignored and +84 / 84 stands for the leading 0, so
    "+84 912 345 678" and "0912.345.678" are both "0912345678".
    """
    digits = _PHONE_NOISE.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in {11, 12}:
        digits = "0" + digits[2:]
    return digits if _MOBILE.match(digits) or _LANDLINE.match(digits) else None


def is_vn_phone(value: str) -> bool:
    """A stored phone number: the digits `phone_number` keeps (nothing else)."""
    return phone_number(value) == value


def parse_day(value: str) -> date | None:
    """A day typed as dd/mm/yyyy (also d/m/yyyy, with dots or dashes), or None.

    An ISO date (yyyy-mm-dd) is accepted too: it is what older pages and the API send.
    """
    text = (value or "").strip()
    try:
        if match := _DAY.match(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if _ISO_DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def phone(title: str) -> dict[str, Any]:
    """A phone number input checked as a Vietnamese number (the ``vn-phone`` format)."""
    return {"title": title, "type": "string", "format": VN_PHONE, "maxLength": 20}


FORMATS: dict[str, Callable[[str], bool]] = {PAST_DATE: is_past_date, VN_PHONE: is_vn_phone}


def past_date(title: str) -> dict[str, Any]:
    """A date input that refuses a day after today (a birth date, a date of death).

    The field keeps ``"format": "date"`` (pages offer a dd/mm/yyyy input and store the ISO
    date); the check against today is the extra ``past-date`` format, validated with `FORMATS`.
    """
    return {"title": title, "type": "string", "format": "date", "allOf": [{"format": PAST_DATE}]}
