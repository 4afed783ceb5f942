"""Excel export of a scorecard and its ranking (openpyxl)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, cast

from openpyxl import Workbook
from openpyxl.styles import Font

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

from motcua.indicators.engine import Scorecard
from motcua.indicators.periods import Period
from motcua.indicators.selectors import Ranked
from motcua.organizations.models import Agency


def scorecard_workbook(agency: Agency, period: Period, card: Scorecard, ranking: list[Ranked]) -> bytes:
    wb = Workbook()
    ws = cast("Worksheet", wb.active)  # a new workbook has one worksheet
    ws.title = "Chỉ số 766"
    ws.append([f"{agency.name} ({agency.code})", f"Kỳ / period {period.label}"])
    ws.append(["Tổng điểm / total", round(card.total, 2), card.classification])
    ws.append([])
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
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for g in card.groups:
        for i in g.items:
            ws.append(
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
                ]
            )
        ws.append([g.label, "", "Cộng nhóm / group total", None, None, None, round(g.points, 2), g.max_points, ""])
    rank = wb.create_sheet("Xếp hạng")
    rank.append(["#", "Mã", "Đơn vị / agency", "Tổng điểm", "Xếp loại", "Hồ sơ", "Đúng hạn"])
    for n, r in enumerate(ranking, start=1):
        rank.append(
            [
                n,
                r.agency.code,
                r.agency.name,
                round(r.card.total, 2),
                r.card.classification,
                r.card.received,
                r.card.on_time,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
