"""Spreadsheet exports that cannot attack the person who opens them (CSV/formula injection).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`).
Every text value written to a CSV or Excel export goes through `safe_cell`, which puts an
apostrophe in front of such text (the OWASP rule), so the spreadsheet shows it as text.
Numbers, dates and empty cells pass unchanged: a negative number stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

K = TypeVar("K")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet may show it: text that would start a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def safe_record(record: Mapping[K, Any]) -> dict[K, Any]:
    return {key: safe_cell(value) for key, value in record.items()}
