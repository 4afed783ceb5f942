"""The dossier QR leads to the public tracking page; forms render offline."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno

from motcua.documents.qr import dossier_qr_png, dossier_qr_svg, tracking_url
from motcua.documents.rendering import STATIC_DIR, OfflineURLFetcher, date_line, fmt_date, fmt_time_date, html_to_pdf
from motcua.documents.tests.helpers import pdf_text, vn
from motcua.lib.errors import InvalidInput


def _png_of(url: str) -> bytes:
    out = io.BytesIO()
    segno.make_qr(url, error="m").save(out, kind="png", scale=6)
    return out.getvalue()


def test_the_qr_encodes_the_public_tracking_url_of_the_configured_site(settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "PUBLIC_BASE_URL": "https://dichvucong.minhhoa.gov.vn/"}

    assert tracking_url("H99.01-260601-0001") == "https://dichvucong.minhhoa.gov.vn/tra-cuu/H99.01-260601-0001"
    assert dossier_qr_png("H99.01-260601-0001") == _png_of(
        "https://dichvucong.minhhoa.gov.vn/tra-cuu/H99.01-260601-0001"
    )


def test_the_qr_uses_the_local_site_when_no_public_url_is_configured(settings: Any) -> None:
    settings.MOTCUA = {key: value for key, value in settings.MOTCUA.items() if key != "PUBLIC_BASE_URL"}

    assert tracking_url("H99.01-260601-0001") == "http://127.0.0.1:8000/tra-cuu/H99.01-260601-0001"


def test_the_qr_svg_is_an_inline_svg_element_that_differs_per_dossier() -> None:
    svg = dossier_qr_svg("H99.01-260601-0001")

    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert dossier_qr_png("H99.01-260601-0001").startswith(b"\x89PNG")
    assert dossier_qr_svg("H99.01-260601-0002") != svg


@pytest.mark.parametrize("code", ["", "   ", "x" * 65, "H99\n01"])
def test_it_refuses_a_qr_for_something_that_is_not_a_dossier_code(code: str) -> None:
    with pytest.raises(InvalidInput):
        dossier_qr_svg(code)


@pytest.mark.parametrize(
    "url", ["http://example.com/logo.png", "https://example.com/x.css", "file:///etc/passwd", "ftp://example.com/a"]
)
def test_the_renderer_refuses_to_fetch_anything_remote_or_outside_its_folder(url: str) -> None:
    with pytest.raises(ValueError, match="refused"):
        OfflineURLFetcher().fetch(url)


def test_the_renderer_still_reads_its_own_stylesheet() -> None:
    response = OfflineURLFetcher().fetch((STATIC_DIR / "print.css").as_uri())

    assert response is not None


def test_a_remote_image_in_a_form_is_skipped_and_the_text_still_renders() -> None:
    html = '<html><body><p>Mã hồ sơ ĐĂNG KÝ</p><img src="http://192.0.2.1/tracker.png"></body></html>'

    assert "Mã hồ sơ ĐĂNG KÝ" in pdf_text(html_to_pdf(html))


def test_dates_are_printed_day_first_in_vietnam_time() -> None:
    # 17:30 UTC on 31/05 is 00:30 on 01/06 in Hanoi.
    instant = vn(2026, 6, 1, 0, 30)

    assert fmt_date(instant.astimezone(tz=None)) == "01/06/2026"
    assert fmt_time_date(instant) == "00 giờ 30 phút, ngày 01/06/2026"
    assert date_line("Minh Hòa", instant.date()) == "Minh Hòa, ngày 01 tháng 6 năm 2026"
