"""The public catalogue over HTTP: search with or without diacritics, filters, detail.

Citizens type names without diacritics ("dang ky khai sinh"); the search folds both sides
(lib.text.fold), so either spelling finds "Đăng ký khai sinh".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from motcua.api.tests.support import assert_error
from motcua.catalog.services import VersionSpec, procedure_create, procedure_version_publish


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dang ky khai sinh", ["1.001193"]),
        ("Đăng ký khai sinh", ["1.001193"]),
        ("ĐĂNG KÝ", ["1.001193"]),
        ("khai   sinh  dang", ["1.001193"]),  # word order and spacing do not matter
        ("ly lich tu phap", ["1.001193", "2.000488"]),  # the field's name is searched too
        ("phieu ly lich", ["2.000488"]),
        ("Judicial record certificate", ["2.000488"]),  # the English name as well
        ("2.000488", ["2.000488"]),
        ("khai sinh ket hon", []),  # every word must match
        ("", ["1.001193", "2.000488"]),
    ],
)
def test_search_finds_procedures_with_or_without_diacritics(
    client: Client, world: Any, q: str, expected: list[str]
) -> None:
    assert sorted(_codes(client.get("/api/v1/procedures", {"q": q}))) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"field": "LLTP"}, ["1.001193", "2.000488"]),
        ({"field": "HT"}, []),
        ({"level": "commune"}, ["1.001193"]),
        ({"level": "province"}, ["2.000488"]),
        ({"online_level": "full"}, ["1.001193", "2.000488"]),
        ({"online_level": "partial"}, []),
        ({"q": "khai sinh", "level": "province"}, []),
    ],
)
def test_search_filters(client: Client, world: Any, filters: dict[str, str], expected: list[str]) -> None:
    assert sorted(_codes(client.get("/api/v1/procedures", filters))) == expected


def test_search_shows_only_versions_in_force(client: Client, world: Any) -> None:
    """A draft is not yet law; the search shows what a citizen may file today."""
    spec = VersionSpec(
        name="Đăng ký kết hôn", field=world.procedure.field, time_limit_amount=3, time_limit_unit="working_days"
    )
    spec.competent_agency = world.justice
    procedure_create(code="1.000894", spec=spec)
    assert _codes(client.get("/api/v1/procedures", {"q": "ket hon"})) == []
    assert_error(client.get("/api/v1/procedures/1.000894"), 404, "procedure_not_found")


def test_search_pages_with_a_cursor(client: Client, world: Any) -> None:
    first = client.get("/api/v1/procedures", {"limit": 1}).json()
    assert len(first["items"]) == 1
    assert first["next_cursor"]
    second = client.get("/api/v1/procedures", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert second["next_cursor"] is None
    assert {first["items"][0]["code"], second["items"][0]["code"]} == {"1.001193", "2.000488"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": "x" * 201}, "validation_error"),
        ({"limit": 0}, "validation_error"),
        ({"cursor": "garbage"}, "invalid_cursor"),
    ],
)
def test_bad_search_parameters_are_422(client: Client, world: Any, params: dict[str, Any], code: str) -> None:
    assert_error(client.get("/api/v1/procedures", params), 422, code)


def test_the_detail_shows_the_version_in_force_with_fees_documents_and_steps(client: Client, world: Any) -> None:
    response = client.get("/api/v1/procedures/2.000488")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "2.000488"
    assert body["version"] == 1
    assert body["status"] == "published"
    assert body["name"] == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert body["field"] == {"code": "LLTP", "name": "Lý lịch tư pháp", "name_en": "Judicial records"}
    assert body["time_limit"] == {"amount": 10, "unit": "working_days"}
    assert body["competent_agency"] == "H99.10"
    assert body["decision_number"] == "1/QĐ-UBND"
    assert body["effective_date"] == "2025-07-01"
    assert [(f["name"], f["amount_vnd"]) for f in body["fees"]] == [("Phí cấp phiếu", 200_000)]
    assert [d["name"] for d in body["documents"]] == [
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "Bản chụp giấy tờ tùy thân",
    ]
    assert [d["e_form"] for d in body["documents"]] == [True, False]
    steps = {s["key"]: s for s in body["steps"]}
    assert list(steps) == ["reception", "review", "tax", "approve", "return"]
    assert sorted(steps["review"]["next"]) == ["approve", "tax"]
    assert steps["tax"]["agency"] == "H99.30"
    assert steps["reception"]["budget_unit"] == "working_hours"


def test_a_commune_procedure_names_no_competent_agency(client: Client, world: Any) -> None:
    body = client.get("/api/v1/procedures/1.001193").json()
    assert body["competent_agency"] is None
    assert body["competent_level"] == "commune"
    assert body["levels"] == ["commune"]


def test_an_unknown_procedure_is_404_json(client: Client, world: Any) -> None:
    assert_error(client.get("/api/v1/procedures/9.999999"), 404, "procedure_not_found")
    assert_error(client.get("/api/v1/procedures/9.999999/versions"), 404, "procedure_not_found")


def test_the_fields_are_listed(client: Client, world: Any) -> None:
    response = client.get("/api/v1/fields")
    assert response.json() == [{"code": "LLTP", "name": "Lý lịch tư pháp", "name_en": "Judicial records"}]


def test_the_catalogue_is_public(world: Any) -> None:
    anonymous = Client()
    for path in ("/api/v1/procedures", "/api/v1/procedures/2.000488", "/api/v1/fields", "/api/v1/agencies"):
        assert anonymous.get(path).status_code == 200, path


def test_a_version_published_later_is_the_one_found(client: Client, world: Any) -> None:
    from motcua.catalog.services import procedure_version_draft

    spec = VersionSpec(
        name="Đăng ký khai sinh (sửa đổi)",
        field=world.procedure.field,
        time_limit_amount=1,
        time_limit_unit="working_days",
        levels=["commune"],
        competent_level="commune",
        online_level="full",
    )
    draft = procedure_version_draft(procedure=world.commune_procedure.procedure, spec=spec)
    procedure_version_publish(
        version=draft, decision_number="9/QĐ-UBND", decision_date=date(2026, 1, 5), effective_date=date(2026, 1, 5)
    )
    items = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"}).json()["items"]
    assert [(i["code"], i["version"], i["name"]) for i in items] == [("1.001193", 2, "Đăng ký khai sinh (sửa đổi)")]
