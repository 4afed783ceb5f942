"""Excel export of a scorecard and its ranking (openpyxl), in the active language.

The rows are those of `presenters.scorecard_dict`, so labels and notes come from the
definitions table (`definitions.INDICATORS`) exactly as on the dashboard and in the API.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

from motcua.indicators.engine import Scorecard
from motcua.indicators.periods import Period
from motcua.indicators.presenters import classification_label, scorecard_dict
from motcua.indicators.selectors import Ranked
from motcua.lib.spreadsheet import safe_row
from motcua.organizations.models import Agency


def _append(sheet: Any, values: list[Any]) -> None:
    """One row, text that would start a formula escaped (agency and indicator names are data)."""
    sheet.append(safe_row(values))


def scorecard_workbook(agency: Agency, period: Period, card: Scorecard, ranking: list[Ranked]) -> bytes:
    data = scorecard_dict(agency, period, card)
    wb = Workbook()
    ws = cast("Worksheet", wb.active)  # a new workbook has one worksheet
    ws.title = _("Indicator set 766")
    _append(ws, [f"{agency.name} ({agency.code})", _("Period %(period)s") % {"period": period.label}])
    _append(ws, [_("Total points"), data["total"], data["classification_label"]])
    _append(ws, [])
    _append(
        ws,
        [
            _("Group"),
            _("Code"),
            _("Indicator"),
            _("Numerator"),
            _("Denominator"),
            _("Rate"),
            _("Points"),
            _("Maximum"),
            _("Note"),
        ],
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for g in data["groups"]:
        for i in g["items"]:
            _append(
                ws,
                [
                    g["label"],
                    i["key"],
                    i["label"],
                    i["numerator"],
                    i["denominator"],
                    None if i["rate"] is None else round(i["rate"], 4),
                    i["points"],
                    i["max_points"],
                    i["note"],
                ],
            )
        _append(ws, [g["label"], "", _("Group total"), None, None, None, g["points"], g["max_points"], ""])
    rank = wb.create_sheet(_("Ranking"))
    rank.append(["#", _("Code"), _("Agency"), _("Total points"), _("Classification"), _("Dossiers"), _("On time")])
    for n, r in enumerate(ranking, start=1):
        _append(
            rank,
            [
                n,
                r.agency.code,
                r.agency.name,
                round(r.card.total, 2),
                classification_label(r.card.classification),
                r.card.received,
                r.card.on_time,
            ],
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def open_data_workbook(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    """The open data as one worksheet: the CSV's header and rows, text made formula-safe."""
    wb = Workbook()
    ws = cast("Worksheet", wb.active)
    ws.title = _("Open data")
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(ws, [row.get(column) for column in columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
