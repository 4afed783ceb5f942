"""Text that a spreadsheet would run as a formula is escaped; everything else passes unchanged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from motcua.lib.spreadsheet import safe_cell, safe_record, safe_row


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]
)
def test_text_that_would_start_a_formula_gets_a_leading_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "2.000488", "", None, -2, 3.5, datetime(2026, 6, 1), "a=b"])
def test_other_values_pass_unchanged(value: Any) -> None:
    assert safe_cell(value) == value


def test_rows_and_records_are_escaped_cell_by_cell() -> None:
    assert safe_row(["=1", 1, "x"]) == ["'=1", 1, "x"]
    assert safe_record({"name": "@x", "n": -1}) == {"name": "'@x", "n": -1}
