"""Excel export of a scorecard and its ranking (openpyxl)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.indicators.engine import Scorecard
from motcua.indicators.periods import Period
from motcua.indicators.selectors import Ranked
from motcua.lib.spreadsheet import safe_row
from motcua.organizations.models import Agency


def _append(sheet: Any, values: list[Any]) -> None:
    """One row, text that would start a formula escaped (agency and indicator names are data)."""
    sheet.append(safe_row(values))


def scorecard_workbook(agency: Agency, period: Period, card: Scorecard, ranking: list[Ranked]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ số 766"
    _append(ws, [f"{agency.name} ({agency.code})", f"Kỳ / period {period.label}"])
    _append(ws, ["Tổng điểm / total", round(card.total, 2), card.classification])
    _append(ws, [])
    header = [
        "Nhóm / group",
        "Mã / key",
        "Chỉ số / indicator",
        "Tử số",
        "Mẫu số",
        "Tỷ lệ / rate",
        "Điểm",
        "Tối đa",
        "Ghi chú",
    ]
    _append(ws, header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for g in card.groups:
        for i in g.items:
            _append(
                ws,
                [
                    g.label,
                    i.key,
                    i.label,
                    i.numerator,
                    i.denominator,
                    None if i.rate is None else round(i.rate, 4),
                    round(i.points, 2),
                    i.max_points,
                    i.note,
                ],
            )
        _append(ws, [g.label, "", "Cộng nhóm / group total", None, None, None, round(g.points, 2), g.max_points, ""])
    rank = wb.create_sheet("Xếp hạng")
    _append(rank, ["#", "Mã", "Đơn vị / agency", "Tổng điểm", "Xếp loại", "Hồ sơ", "Đúng hạn"])
    for n, r in enumerate(ranking, start=1):
        _append(
            rank,
            [
                n,
                r.agency.code,
                r.agency.name,
                round(r.card.total, 2),
                r.card.classification,
                r.card.received,
                r.card.on_time,
            ],
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
