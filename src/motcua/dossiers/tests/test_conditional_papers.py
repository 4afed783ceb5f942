"""A conditional paper is required exactly when the applicant's e-form answer meets its
condition, an optional paper never, a mandatory one always: on every channel, through the
services and the API."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.api.tests.support import assert_error, session_client
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.lib.errors import InvalidInput
from motcua.testing.conditional import DECLARATION, DIVORCE, DIVORCED, ID_COPY, PROXY, conditional_procedure
from motcua.testing.world import ANY_HOUR_REASON

SINGLE = {"tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai"}


@pytest.fixture
def version(world: Any) -> ProcedureVersion:
    return conditional_procedure(world)


def _papers(version: ProcedureVersion, *names: str) -> list[ds.ComponentIn]:
    return [ds.ComponentIn(name=d.name, required_document_id=d.pk) for d in version.documents.filter(name__in=names)]


def _submit(world: Any, version: ProcedureVersion, form_data: dict[str, Any], *names: str) -> Dossier:
    return ds.dossier_submit(
        actor=world.citizen,
        version=version,
        applicant=world.citizen_person,
        form_data=form_data,
        components=_papers(version, *names),
    )


def _missing(caught: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    assert caught.value.code == "documents_missing"
    return [item["name"] for item in caught.value.details["missing"]]


def test_without_the_condition_only_the_mandatory_papers_are_asked_for(world: Any, version: ProcedureVersion) -> None:
    dossier = _submit(world, version, SINGLE, ID_COPY)

    assert list(dossier.components.values_list("name", flat=True)) == [ID_COPY]


def test_a_conditional_paper_is_required_when_its_e_form_answer_meets_the_condition(
    world: Any, version: ProcedureVersion
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _submit(world, version, {"tinh_trang_hon_nhan": DIVORCED, "nop_thay": True}, ID_COPY)

    assert _missing(caught) == [PROXY, DIVORCE]
    assert not Dossier.objects.exists()


def test_a_conditional_paper_whose_condition_fails_is_not_required(world: Any, version: ProcedureVersion) -> None:
    dossier = _submit(world, version, {**SINGLE, "nop_thay": False}, ID_COPY)

    assert dossier.form_data["nop_thay"] is False


def test_the_counter_asks_for_the_paper_its_declaration_makes_mandatory(world: Any, version: ProcedureVersion) -> None:
    register = {
        "actor": world.reception,
        "version": version,
        "applicant": world.citizen_person,
        "receiving_agency": world.centre,
        "form_data": {"tinh_trang_hon_nhan": DIVORCED},
        "outside_hours_reason": ANY_HOUR_REASON,  # the suite may run outside working hours
    }
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_register(**register, components=_papers(version, DECLARATION, ID_COPY))
    assert _missing(caught) == [DIVORCE]

    dossier = ds.dossier_register(**register, components=_papers(version, DECLARATION, ID_COPY, DIVORCE))

    assert dossier.status == "received"


def test_the_api_names_the_conditional_paper_missing(world: Any, version: ProcedureVersion) -> None:
    body = {
        "procedure": version.procedure.code,
        "channel": "online",
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "form_data": {**SINGLE, "nop_thay": True},
        "components": [{"name": ID_COPY}],
    }
    client = session_client(world.citizen)

    refused = client.post("/api/v1/dossiers", body, content_type="application/json")
    assert [item["name"] for item in assert_error(refused, 422, "documents_missing")["details"]["missing"]] == [PROXY]

    body["components"] = [{"name": ID_COPY}, {"name": PROXY}]
    filed = client.post("/api/v1/dossiers", body, content_type="application/json")
    assert filed.status_code == 201, filed.content
