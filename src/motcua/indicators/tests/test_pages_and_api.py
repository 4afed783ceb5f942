"""Dashboards, export, API and who may see them."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from motcua.indicators.tests.conftest import Walker, vn
from motcua.testing.tasks import run_background_tasks


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_a_manager_sees_the_province_dashboard_with_ranking_and_drilldown(world: Any, walk: Walker) -> None:
    d = walk.counter(vn(2026, 3, 2, 9))
    run_background_tasks()
    client = _client("manager")
    page = client.get("/indicators/H99/?period=2026-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sở Tư pháp" in html
    assert "<svg" in html
    assert "Xếp hạng" in html
    drill = client.get("/indicators/H99/dossiers/received/?period=2026-03")
    assert drill.status_code == 200
    assert d.code in drill.content.decode()
    assert client.get("/indicators/").status_code == 302


def test_an_officer_without_a_manager_role_is_refused(world: Any) -> None:
    assert _client("specialist").get("/indicators/H99.10/?period=2026-03").status_code == 403
    assert _client("specialist").get("/indicators/").status_code == 403


def test_a_bad_period_or_flag_is_a_clear_error(world: Any) -> None:
    client = _client("manager")
    assert client.get("/indicators/H99/?period=2026-13").status_code == 400
    assert client.get("/indicators/H99/dossiers/nonsense/?period=2026-03").status_code == 400
    assert client.get("/indicators/NOPE/").status_code == 404


def test_the_excel_export_holds_the_scorecard(world: Any, walk: Walker) -> None:
    walk.counter(vn(2026, 3, 2, 9))
    run_background_tasks()
    response = _client("manager").get("/indicators/H99/export.xlsx?period=2026-03")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    keys = [row[1] for row in wb["Chỉ số 766"].iter_rows(values_only=True)]
    assert "2.1" in keys
    assert "4.5a" in keys
    assert wb["Xếp hạng"].max_row > 1


def test_the_api_scorecard_and_drilldown(world: Any, walk: Walker) -> None:
    d = walk.counter(vn(2026, 3, 2, 9))
    run_background_tasks()
    client = _client("manager")
    body = client.get("/api/v1/indicators/scorecard", {"agency": "H99.10", "period": "2026-03"}).json()
    assert body["received"] == 1
    assert [g["max_points"] for g in body["groups"]] == [18, 20, 12, 10, 22, 18]
    drill = client.get(
        "/api/v1/indicators/drilldown", {"agency": "H99", "period": "2026-03", "flag": "received"}
    ).json()
    assert [row["code"] for row in drill["dossiers"]] == [d.code]
    bad = client.get("/api/v1/indicators/scorecard", {"agency": "H99", "period": "soon"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_period"
    refused = _client("outsider").get("/api/v1/indicators/scorecard", {"agency": "H99", "period": "2026-03"})
    assert refused.status_code == 403
    assert Client().get("/api/v1/indicators/scorecard", {"agency": "H99", "period": "2026-03"}).status_code == 401


def test_open_data_is_public_and_holds_no_personal_data(world: Any, walk: Walker) -> None:
    d = walk.counter(vn(2026, 3, 2, 9))
    run_background_tasks()
    anonymous = Client()
    body = anonymous.get("/api/v1/indicators/open-data", {"period": "2026-Q1"}).json()
    assert body["rows"] == [
        {**body["rows"][0], "month": "2026-03", "agency_code": "H99.10", "procedure_code": "2.000488", "received": 1}
    ]
    csv_bytes = anonymous.get("/api/v1/indicators/open-data.csv", {"period": "2026-Q1"}).content
    assert csv_bytes.startswith(b"\xef\xbb\xbfmonth,agency_code")  # the BOM tells Excel it is UTF-8
    csv_text = csv_bytes.decode("utf-8-sig")
    for text in (str(body), csv_text):
        assert d.code not in text
        assert world.citizen_person.id_number not in text
        assert "Nguyễn" not in text


def test_the_exports_escape_an_agency_name_a_spreadsheet_would_run(world: Any, walk: Walker) -> None:
    walk.counter(vn(2026, 3, 2, 9))
    run_background_tasks()
    world.justice.name = "=1+cmd|' /C calc'!A0"
    world.justice.save(update_fields=["name"])
    csv_text = Client().get("/api/v1/indicators/open-data.csv", {"period": "2026-Q1"}).content.decode("utf-8-sig")
    assert ",'=1+cmd|' /C calc'!A0," in csv_text
    opened = Client().get("/api/v1/indicators/open-data.xlsx", {"period": "2026-Q1"}).content
    cells = [row[2] for row in load_workbook(io.BytesIO(opened)).worksheets[0].iter_rows(values_only=True)]
    assert cells == ["agency_name", "'=1+cmd|' /C calc'!A0"]
    workbook = _client("manager").get("/indicators/H99/export.xlsx?period=2026-03").content
    names = [row[2] for row in load_workbook(io.BytesIO(workbook))["Xếp hạng"].iter_rows(values_only=True)]
    assert "'=1+cmd|' /C calc'!A0" in names
    assert "=1+cmd|' /C calc'!A0" not in names
