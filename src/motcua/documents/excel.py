"""Form 07, the tracking book, exported to Excel (issue 3, item 3).

The same rows as the PDF (`tracking.book_rows`). Excel has no time zones, so instants are
written as wall-clock times of Asia/Ho_Chi_Minh and shown dd/mm/yyyy hh:mm.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.documents import tracking
from motcua.documents.registry import FORM_TITLES
from motcua.documents.rendering import fmt_date, local
from motcua.documents.tracking import book_heading
from motcua.lib.spreadsheet import safe_cell
from motcua.organizations.models import Agency

DATE_FORMAT = "dd/mm/yyyy hh:mm"

#: (heading, width in characters) of each column, in Form 07 order.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 6),
    ("Mã hồ sơ", 24),
    ("Tên thủ tục hành chính", 44),
    ("Tên cá nhân, tổ chức", 26),
    ("Địa chỉ, số điện thoại", 30),
    ("Cơ quan chủ trì giải quyết", 28),
    ("Ngày, giờ nhận hồ sơ", 18),
    ("Ngày, giờ hẹn trả kết quả", 18),
    ("Ngày, giờ trả kết quả", 18),
    ("Phương thức nhận kết quả", 22),
    ("Ký nhận", 22),
)
#: Rows 1–2 carry the title and the period; the column headings are on this row.
HEADER_ROW = 4


def _wall(instant: datetime | None) -> datetime | None:
    return local(instant).replace(tzinfo=None) if instant else None


def tracking_book_xlsx(agency: Agency, start: date, end: date, *, field_code: str = "") -> bytes:
    """Form 07 for the one-stop unit `agency` and the period `start`..`end` (inclusive),
    optionally of one field, as an .xlsx file; the STT column is the book's entry number."""
    rows = tracking.book_rows(agency, start, end, field_code=field_code)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sổ theo dõi hồ sơ"
    sheet["A1"] = safe_cell(f"{FORM_TITLES['07'].upper()} – {agency.name}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"Mẫu số 07, Thông tư số 03/2025/TT-VPCP. {book_heading(start, end, field_code)}"

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, (heading, width) in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        sheet.column_dimensions[get_column_letter(index)].width = width

    for offset, row in enumerate(rows, 1):
        values = (
            row.no,
            row.dossier_code,
            row.procedure,
            row.applicant,
            row.address_phone,
            row.lead_agency,
            _wall(row.received_at),
            _wall(row.appointment_at),
            _wall(row.returned_at),
            row.delivery,
            row.signature,
        )
        for index, value in enumerate(values, 1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=safe_cell(value))
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, datetime):
                cell.number_format = DATE_FORMAT
        if row.new_due_at is not None:
            # Form 04 moved the date once; the book keeps the receipt's date and notes the new one.
            sheet.cell(row=HEADER_ROW + offset, column=8).comment = Comment(
                f"Hẹn lại: {fmt_date(row.new_due_at)}", "MotCua"
            )

    sheet.freeze_panes = f"C{HEADER_ROW + 1}"  # the header rows and the first two columns
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{HEADER_ROW + max(len(rows), 1)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
