"""HTML to PDF with WeasyPrint, offline, and the date formats printed on the forms.

Every form is a self-contained HTML document (CSS inlined, QR as a data URI), so WeasyPrint
never needs the network: the URL fetcher below refuses every remote URL, which also keeps
a crafted value in a dossier (say an `<img src="http://...">` that escaped into a template)
from making the server call out.
"""

from __future__ import annotations

import base64
import logging
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from motcua.calendars.worktime import VN_TZ

# WeasyPrint logs every layout step at INFO; the root logger would print them for every form.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STATIC_DIR = Path(__file__).resolve().parent / "static" / "documents"

#: Decree 30/2020/NĐ-CP Appendix I asks for a Times New Roman–like serif font covering the
#: Vietnamese alphabet. Liberation Serif (Debian fonts-liberation2, metric-compatible with Times
#: New Roman) is the one `.ci/run` installs; Tinos (fonts-croscore) is the same design. The
#: stack is repeated in static/documents/print.css, which is what WeasyPrint reads.
FONT_STACK = '"Liberation Serif", "Tinos", "Times New Roman", serif'


class OfflineURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """Fetch only `data:` URLs and files under this app's static folder; refuse the rest."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url.removeprefix("file://").split("?", 1)[0]).resolve()
            if path.is_relative_to(STATIC_DIR):
                return super().fetch(url, headers)
        raise ValueError(f"MotCua renders forms offline; refused to fetch {url[:200]!r}.")


def html_to_pdf(html: str) -> bytes:
    """Render a complete HTML document to PDF bytes."""
    pdf: bytes = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=OfflineURLFetcher()).write_pdf()
    return pdf


@cache
def print_css() -> str:
    """The page set-up (A4, margins, page numbers) of the standalone form document."""
    return (STATIC_DIR / "print.css").read_text(encoding="utf-8")


@cache
def form_css() -> str:
    """The form's own layout, scoped to `.form-paper`: inlined into the standalone document
    and into the portal's printed page, so the HTML stands alone in both."""
    return (STATIC_DIR / "form.css").read_text(encoding="utf-8")


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# ---------------------------------------------------------------- dates


def local(instant: datetime) -> datetime:
    """`instant` in Asia/Ho_Chi_Minh, the time written on every form."""
    return timezone.localtime(instant, VN_TZ)


def parse_instant(value: Any) -> datetime | None:
    """An instant stored in an event's JSON (ISO 8601, see dossiers.services._fmt)."""
    if isinstance(value, datetime):
        return value
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=VN_TZ)


def fmt_date(value: datetime | date | None) -> str:
    """dd/mm/yyyy (issue 3 item 5), local time for instants."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return value.strftime("%d/%m/%Y")


def fmt_time_date(value: datetime | None) -> str:
    """'14 giờ 30 phút, ngày 15/07/2025': Form 01 asks for hour, minute and date."""
    if value is None:
        return ""
    moment = local(value)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def fmt_datetime_short(value: datetime | None) -> str:
    """'14:30 15/07/2025' for table cells (Forms 06 and 07)."""
    if value is None:
        return ""
    return local(value).strftime("%H:%M %d/%m/%Y")


def legal_date(day: date) -> str:
    """'ngày 15 tháng 7 năm 2026', the date of an administrative document (Decree 30/2020/NĐ-CP
    Appendix I): a leading zero only for days below 10 and for months 1 and 2
    ('ngày 05 tháng 02 năm 2026'), so that nothing can be written in front of them."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, day: date) -> str:
    """'Minh Hòa, ngày 15 tháng 7 năm 2026', the place-and-date line of an administrative
    document: the issuing unit's locality, then `legal_date`."""
    prefix = f"{place}, " if place else ""
    return prefix + legal_date(day)
