"""A procedure version marks each paper mandatory, optional, or mandatory when a stated
condition holds: a yes/no or choice field of its e-form and the answers that make the paper
mandatory. The catalogue refuses a condition it could not enforce; the API reads and writes
the requirement."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.api.tests.support import session_client
from motcua.catalog.models import Requirement
from motcua.catalog.services import DocumentSpec, procedure_create
from motcua.lib.errors import InvalidInput
from motcua.testing.conditional import CODE, DIVORCED, OTHER, PROXY, SCHEMA, conditional_procedure, conditional_spec


def test_each_paper_keeps_its_requirement_and_condition(world: Any) -> None:
    version = conditional_procedure(world)

    rows = list(version.documents.values_list("name", "requirement", "condition_field", "condition_values"))

    assert rows[1:] == [
        ("Bản chụp giấy tờ tùy thân", Requirement.MANDATORY, "", []),
        (PROXY, Requirement.CONDITIONAL, "nop_thay", [True]),
        ("Giấy tờ chứng minh việc ly hôn (nếu có)", Requirement.CONDITIONAL, "tinh_trang_hon_nhan", [DIVORCED]),
        (OTHER, Requirement.OPTIONAL, "", []),
    ]


@pytest.mark.parametrize(
    ("paper", "schema", "says"),
    [
        (DocumentSpec(name="X", requirement="sometimes"), SCHEMA, "Use one of"),
        (DocumentSpec(name="X", requirement="conditional", condition_values=[True]), SCHEMA, "is not one"),
        (
            DocumentSpec(name="X", requirement="conditional", condition_field="nop_thay", condition_values=[True]),
            None,
            "is not one",
        ),
        (
            DocumentSpec(name="X", requirement="conditional", condition_field="ghi_chu", condition_values=["a"]),
            {**SCHEMA, "properties": {**SCHEMA["properties"], "ghi_chu": {"type": "string"}}},
            "is not one",
        ),
        (DocumentSpec(name="X", requirement="conditional", condition_field="nop_thay"), SCHEMA, "condition_values"),
        (
            DocumentSpec(name="X", requirement="conditional", condition_field="nop_thay", condition_values=[1]),
            SCHEMA,
            "cannot be answered [1]",
        ),
        (
            DocumentSpec(
                name="X", requirement="conditional", condition_field="tinh_trang_hon_nhan", condition_values=["Góa"]
            ),
            SCHEMA,
            "cannot be answered",
        ),
        (DocumentSpec(name="X", requirement="optional", condition_field="nop_thay"), SCHEMA, "Only a conditional"),
    ],
)
def test_a_condition_the_counter_could_not_check_is_refused(
    world: Any, paper: DocumentSpec, schema: dict[str, Any] | None, says: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        procedure_create(code=CODE, spec=conditional_spec(world, e_form_schema=schema, documents=[paper]))

    assert caught.value.code == "invalid_procedure"
    assert says in caught.value.details["documents[0].requirement"]


def test_a_choice_field_reached_through_a_reference_can_be_the_condition(world: Any) -> None:
    schema = {
        "type": "object",
        "$defs": {"status": {"title": "Tình trạng", "enum": ["A", "B"]}},
        "properties": {"tinh_trang": {"$ref": "#/$defs/status"}},
    }
    paper = DocumentSpec(name="X", requirement="conditional", condition_field="tinh_trang", condition_values=["B"])

    version = procedure_create(code=CODE, spec=conditional_spec(world, e_form_schema=schema, documents=[paper]))

    assert version.documents.get().required_for({"tinh_trang": "B"}) is True


def test_the_api_shows_the_requirement_and_the_condition_of_each_paper(world: Any) -> None:
    conditional_procedure(world)

    documents = Client().get(f"/api/v1/procedures/{CODE}").json()["documents"]

    assert [(d["requirement"], d["condition"]) for d in documents] == [
        ("mandatory", None),
        ("mandatory", None),
        ("conditional", {"field": "nop_thay", "values": [True]}),
        ("conditional", {"field": "tinh_trang_hon_nhan", "values": [DIVORCED]}),
        ("optional", None),
    ]


def _body(documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "code": CODE,
        "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "field": "LLTP",
        "time_limit_amount": 3,
        "time_limit_unit": "working_days",
        "competent_agency": "H99.10",
        "e_form_schema": SCHEMA,
        "documents": documents,
    }


def test_an_administrator_writes_the_requirement_through_the_api(world: Any) -> None:
    admin = session_client(world.admin)
    documents: list[dict[str, Any]] = [
        {"name": PROXY, "requirement": "conditional", "condition": {"field": "nop_thay", "values": [True]}},
        {"name": OTHER, "optional": True},  # the former flag still means "optional"
        {"name": "Bản chụp giấy tờ tùy thân"},
    ]

    created = admin.post("/api/v1/procedures", _body(documents), content_type="application/json")

    assert created.status_code == 201, created.content
    assert [(d["requirement"], d["condition"]) for d in created.json()["documents"]] == [
        ("conditional", {"field": "nop_thay", "values": [True]}),
        ("optional", None),
        ("mandatory", None),
    ]


def test_the_api_refuses_a_condition_on_a_field_the_e_form_does_not_have(world: Any) -> None:
    admin = session_client(world.admin)
    documents = [{"name": PROXY, "requirement": "conditional", "condition": {"field": "uy_quyen", "values": [True]}}]

    refused = admin.post("/api/v1/procedures", _body(documents), content_type="application/json")

    assert refused.status_code == 422
    assert "documents[0].requirement" in refused.json()["details"]
