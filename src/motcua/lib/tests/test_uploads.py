"""Uploads are judged by their bytes: what the name or the declared type claims does not count."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from motcua.lib.uploads import JPEG, PDF, PNG, UploadLimits, UploadRefused, check_upload, upload_problem
from motcua.testing import files

LIMITS = UploadLimits(max_bytes=64 * 1024, max_pages=3, max_pixels=10_000)


def _reason(content: bytes, name: str = "scan.pdf", content_type: str = "application/pdf") -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(files.upload(name, content, content_type), LIMITS)
    assert caught.value.code == "upload_refused"
    return str(caught.value.details["reason"])


def test_it_accepts_a_real_pdf_and_gives_its_page_count() -> None:
    checked = check_upload(files.upload("to-khai.pdf", files.pdf_bytes(pages=2)), LIMITS)
    assert (checked.content_type, checked.pages) == (PDF, 2)


@pytest.mark.parametrize(("fmt", "expected"), [("PNG", PNG), ("JPEG", JPEG)])
def test_it_accepts_a_decodable_image_and_names_its_real_type(fmt: str, expected: str) -> None:
    # Declared as a PDF by the client; the bytes say otherwise and win.
    checked = check_upload(files.upload("photo.pdf", files.image_bytes(fmt)), LIMITS)
    assert checked.content_type == expected


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (files.pdf_with_javascript(), "scan.pdf", "active_pdf"),
        (files.pdf_with_embedded_file(), "scan.pdf", "active_pdf"),
        (
            files.pdf_bytes(extra_objects=("<< /S /Launch /F (cmd.exe) >>",), catalog_extra="/AA << /O 4 0 R >> "),
            "scan.pdf",
            "active_pdf",
        ),
        (files.zip_bytes(), "scan.pdf", "archive_or_program"),
        (files.EXE_HEADER, "anh.jpg", "archive_or_program"),
        (b"", "scan.pdf", "empty"),
        (b"%PDF-1.7\nnot really a pdf\n", "scan.pdf", "unreadable_pdf"),
        (files.pdf_bytes(pages=4), "scan.pdf", "too_many_pages"),
        (files.image_bytes("PNG", (64, 64))[:-40], "anh.png", "unreadable_image"),
        (files.image_bytes("JPEG", (64, 64))[:-40], "anh.jpg", "unreadable_image"),
        (files.image_bytes("PNG", (200, 200)), "anh.png", "too_many_pixels"),
        (b"<html><script>alert(1)</script></html>", "scan.pdf", "unsupported_type"),
    ],
    ids=[
        "javascript",
        "embedded-file",
        "launch",
        "zip-as-pdf",
        "exe-as-jpg",
        "empty",
        "broken-pdf",
        "too-many-pages",
        "truncated-png",
        "truncated-jpeg",
        "pixel-bomb",
        "html",
    ],
)
def test_it_refuses_what_the_bytes_show_is_not_a_safe_paper(content: bytes, name: str, reason: str) -> None:
    assert _reason(content, name) == reason


def test_it_refuses_a_file_over_the_size_limit_before_reading_it() -> None:
    big = files.pdf_bytes() + b"%" * (LIMITS.max_bytes + 1)
    assert _reason(big) == "too_large"


def test_it_sees_a_hex_escaped_javascript_name() -> None:
    hidden = files.pdf_bytes(catalog_extra="/OpenAction 4 0 R ", extra_objects=("<< /S /J#61vaScript /J#53 (x) >>",))
    assert _reason(hidden) == "active_pdf"


def test_the_message_is_vietnamese_on_pages_and_english_for_the_api() -> None:
    upload = files.upload("rong.pdf", b"")
    with translation.override("vi"):
        text = upload_problem(upload, LIMITS)
        with pytest.raises(UploadRefused) as caught:
            check_upload(upload, LIMITS)
    assert text == "Tệp rỗng."
    assert caught.value.message == "rong.pdf: The file is empty."


def test_the_limits_come_from_the_settings(settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "UPLOAD_MAX_PAGES": 1}
    with pytest.raises(UploadRefused):
        check_upload(files.upload("a.pdf", files.pdf_bytes(pages=2)))
    settings.MOTCUA = {**settings.MOTCUA, "UPLOAD_MAX_PAGES": 2}
    assert check_upload(files.upload("a.pdf", files.pdf_bytes(pages=2))).pages == 2


def test_a_truncated_image_is_refused_even_where_pillow_was_told_to_accept_them(monkeypatch: Any) -> None:
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does
    for fmt, name in (("PNG", "anh.png"), ("JPEG", "anh.jpg")):
        assert _reason(files.image_bytes(fmt, (64, 64))[:-40], name) == "unreadable_image"
