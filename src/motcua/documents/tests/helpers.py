"""Helpers for the documents tests: the clock, and the text a reader sees in a PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import datetime

import pytest

from motcua.calendars.worktime import VN_TZ


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant on the wall clock of Asia/Ho_Chi_Minh."""
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


#: Monday 01/6/2026 09:00, a plain working week: a 10-working-day dossier received then is due
#: Monday 15/6/2026 09:00.
T0 = vn(2026, 6, 1, 9, 0)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as `pdftotext` (poppler-utils) extracts it, NFC, spaces collapsed."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext (Debian poppler-utils) is needed to check the forms' text.")
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    result = subprocess.run([exe, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
    text = unicodedata.normalize("NFC", result.stdout.decode("utf-8"))
    return re.sub(r"\s+", " ", text)


def assert_contains(text: str, *expected: str) -> None:
    missing = [item for item in expected if item not in text]
    assert not missing, f"missing {missing!r} in: {text}"
