"""Indicator endpoints (mounted at /api/v1/indicators): scorecard, drill-down, open data."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from motcua.api.auth import REQUIRED, current_actor
from motcua.indicators import selectors
from motcua.indicators.engine import FLAGS
from motcua.indicators.export import open_data_workbook
from motcua.indicators.periods import parse_period
from motcua.indicators.presenters import scorecard_dict
from motcua.lib.spreadsheet import safe_record

router = Router(tags=["indicators"])

OPEN_DATA_COLUMNS = ("month", "agency_code", "agency_name", "procedure_code", *FLAGS)


@router.get("/scorecard", auth=REQUIRED, summary="Indicator set 766 scorecard of an agency for a period")
def get_scorecard(request: HttpRequest, agency: str, period: str) -> dict[str, Any]:
    """`period`: 2026-03, 2026-Q1, 2026 or 2026-01-05..2026-02-20. Managers and
    administrators of the agency or of an agency above it only."""
    target = selectors.agency_for_manager(current_actor(request), agency)
    p = parse_period(period)
    return scorecard_dict(target, p, selectors.scorecard(target, p))


@router.get("/ranking", auth=REQUIRED, summary="Agencies below one agency ranked by total points")
def get_ranking(request: HttpRequest, agency: str, period: str) -> list[dict[str, Any]]:
    target = selectors.agency_for_manager(current_actor(request), agency)
    p = parse_period(period)
    return [
        {
            "agency": r.agency.code,
            "name": r.agency.name,
            "total": round(r.card.total, 2),
            "class": r.card.classification,
        }
        for r in selectors.ranking(target, p)
    ]


@router.get(
    "/drilldown", auth=REQUIRED, url_name="indicator_drilldown", summary="The dossiers behind an indicator number"
)
def get_drilldown(request: HttpRequest, agency: str, period: str, flag: str, limit: int = 100) -> dict[str, Any]:
    """`flag` is one of the dossier flags (received, on_time, late, full_online, e_result, …)."""
    target = selectors.agency_for_manager(current_actor(request), agency)
    p = parse_period(period)
    rows = selectors.drilldown(target, p, flag, limit=max(1, limit))
    return {"agency": target.code, "period": p.label, "flag": flag, "count": len(rows), "dossiers": rows}


@router.get(
    "/items",
    auth=REQUIRED,
    url_name="indicator_items",
    summary="The procedures, communes or PAKN behind a catalogue or PAKN sub-indicator",
)
def get_items(request: HttpRequest, agency: str, period: str, key: str, limit: int = 100) -> dict[str, Any]:
    """`key` is one of 1.1, 1.2, 1.3, 4.e, 4.5a, 5.B, 5.C, 6.1, 6.2 (the dossier-based ones
    use `drilldown`). Every item of the denominator, each with `in_numerator` and a `reason`;
    `numerator` and `denominator` are those of the scorecard; items not counted come first."""
    target = selectors.agency_for_manager(current_actor(request), agency)
    p = parse_period(period)
    body = selectors.indicator_items(target, p, key, limit=max(1, limit))
    return {"agency": target.code, "period": p.label, "count": len(body["items"]), **body}


@router.get(
    "/open-data",
    auth=None,
    url_name="indicator_open_data",
    summary="Open data: counts per agency, procedure and month (JSON)",
)
def get_open_data(request: HttpRequest, period: str) -> dict[str, Any]:
    """Public. Aggregates only: no dossier code, no applicant, nothing personal."""
    p = parse_period(period)
    return {"period": p.label, "columns": list(OPEN_DATA_COLUMNS), "rows": selectors.open_data(period=p)}


@router.get("/open-data.csv", auth=None, url_name="indicator_open_data_csv", summary="Open data as CSV")
def get_open_data_csv(request: HttpRequest, period: str) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel reads the Vietnamese names right."""
    p = parse_period(period)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OPEN_DATA_COLUMNS)
    writer.writeheader()
    writer.writerows(safe_record(row) for row in selectors.open_data(period=p))
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="motcua-open-data-{p.label}.csv"'
    return response


@router.get("/open-data.xlsx", auth=None, url_name="indicator_open_data_xlsx", summary="Open data as an Excel workbook")
def get_open_data_xlsx(request: HttpRequest, period: str) -> HttpResponse:
    """The same columns and rows as the CSV, numbers as numbers."""
    p = parse_period(period)
    body = open_data_workbook(list(OPEN_DATA_COLUMNS), selectors.open_data(period=p))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="motcua-open-data-{p.label}.xlsx"'
    return response
