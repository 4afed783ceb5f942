"""Procedure versions: draft → published → superseded, abolition, and who may change them.

A version is published under a publishing decision (quyết định công bố); the version in
force before it becomes superseded, and a running dossier keeps the version it started
with (Resolution 190/2025/QH15: no re-doing of completed steps). Published versions never
change; only a draft is edited. Checked through the services and through the
administrators' API endpoints, which call the same services.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.api.tests.support import assert_error, client_for, session_client
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog import services as catalog_services
from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.catalog.selectors import version_for_filing, version_in_force
from motcua.catalog.services import (
    StepSpec,
    VersionSpec,
    procedure_abolish,
    procedure_create,
    procedure_version_draft,
    procedure_version_publish,
    procedure_version_update,
)
from motcua.dossiers import services as ds
from motcua.lib.errors import Conflict, InvalidInput, NotFound
from motcua.testing.world import ANY_HOUR_REASON

DECISION: dict[str, Any] = {
    "decision_number": "15/QĐ-UBND",
    "decision_date": date(2026, 3, 2),
    "effective_date": date(2026, 3, 2),
}


def _spec(world: Any, **changes: Any) -> VersionSpec:
    spec = VersionSpec(
        name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        field=world.procedure.field,
        time_limit_amount=5,
        time_limit_unit="working_days",
        competent_agency=world.justice,
        online_level="full",
        steps=[
            StepSpec(
                key="review", name="Thẩm định", actor_role="specialist", budget_amount=3, budget_unit="working_days"
            ),
        ],
    )
    for name, value in changes.items():
        setattr(spec, name, value)
    return spec


def _status(version: ProcedureVersion) -> str:
    return ProcedureVersion.objects.get(pk=version.pk).status


# ---------------------------------------------------------------- services


def test_a_new_procedure_starts_as_a_draft_and_is_in_force_once_published(world: Any) -> None:
    draft = procedure_create(code="1.000894", spec=_spec(world, name="Đăng ký kết hôn"))
    assert draft.status == VersionStatus.DRAFT
    assert draft.number == 1
    with pytest.raises(NotFound):
        version_in_force("1.000894")
    procedure_version_publish(version=draft, **DECISION)
    in_force = version_in_force("1.000894")
    assert in_force.pk == draft.pk
    assert in_force.decision_number == "15/QĐ-UBND"
    assert in_force.published_at is not None


def test_publishing_a_new_version_supersedes_the_one_in_force(world: Any) -> None:
    v1 = world.procedure
    v2 = procedure_version_draft(procedure=v1.procedure, spec=_spec(world))
    assert v2.number == 2
    assert _status(v1) == VersionStatus.PUBLISHED  # a draft changes nothing yet
    procedure_version_publish(version=v2, **DECISION)
    assert _status(v1) == VersionStatus.SUPERSEDED
    assert ProcedureVersion.objects.get(pk=v1.pk).ended_at is not None
    assert _status(v2) == VersionStatus.PUBLISHED
    assert version_in_force("2.000488").number == 2


def test_a_running_dossier_keeps_its_version(world: Any) -> None:
    dossier = world.register()
    due = dossier.due_at
    procedure_version_publish(
        version=procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world)), **DECISION
    )
    dossier = world.refresh(dossier)
    assert dossier.procedure_version.number == 1
    assert dossier.due_at == due
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    dossier = world.refresh(dossier)
    assert dossier.current_step.key == "review"
    assert dossier.current_step.version_id == world.procedure.pk  # the step of version 1
    new = ds.dossier_register(
        actor=world.reception,
        version=version_in_force("2.000488"),
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        outside_hours_reason=ANY_HOUR_REASON,
    )
    assert new.procedure_version.number == 2


def test_a_filing_never_starts_on_a_version_superseded_or_abolished_by_its_own_process(world: Any) -> None:
    kept = version_for_filing("2.000488")
    assert kept.pk == world.procedure.pk
    with CaptureQueriesContext(connection) as queries:
        assert version_for_filing("2.000488") is kept
    assert queries.captured_queries == []  # trusted for CHECK_EVERY seconds
    draft = procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world))
    assert version_for_filing("2.000488") is kept  # a draft changes nothing
    procedure_version_publish(version=draft, **DECISION)
    new = version_for_filing("2.000488")
    assert (new.pk, new.status, [step.key for step in new.steps.all()]) == (draft.pk, "published", ["review"])
    procedure_abolish(procedure=world.procedure.procedure, decision_number="20/QĐ-UBND", decision_date=date(2026, 4, 1))
    with pytest.raises(NotFound):
        version_for_filing("2.000488")


def test_a_version_superseded_by_another_process_is_filed_on_for_at_most_a_few_seconds(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = version_for_filing("2.000488")
    draft = procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world))
    monkeypatch.setattr(catalog_services, "catalogue_changed", lambda: None)  # published elsewhere
    procedure_version_publish(version=draft, **DECISION)
    assert version_for_filing("2.000488") is kept  # within CHECK_EVERY seconds, as documented
    later = time.monotonic() + catalog_selectors.CHECK_EVERY
    monkeypatch.setattr(catalog_selectors, "monotonic", lambda: later)
    with CaptureQueriesContext(connection) as queries:
        assert version_for_filing("2.000488").pk == draft.pk
    assert "published" in queries.captured_queries[0]["sql"]


def test_only_one_draft_at_a_time(world: Any) -> None:
    procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world))
    with pytest.raises(Conflict) as caught:
        procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world))
    assert caught.value.code == "draft_exists"


def test_only_a_draft_is_edited(world: Any) -> None:
    draft = procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world))
    edited = procedure_version_update(version=draft, spec=_spec(world, time_limit_amount=7))
    assert edited.time_limit_amount == 7
    with pytest.raises(Conflict) as caught:
        procedure_version_update(version=world.procedure, spec=_spec(world, time_limit_amount=7))
    assert caught.value.code == "version_not_draft"
    assert ProcedureVersion.objects.get(pk=world.procedure.pk).time_limit_amount == 10


def test_a_published_version_is_not_published_again(world: Any) -> None:
    with pytest.raises(Conflict) as caught:
        procedure_version_publish(version=world.procedure, **DECISION)
    assert caught.value.code == "version_not_draft"


def test_a_version_cannot_take_effect_before_its_decision(world: Any) -> None:
    draft = procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world))
    with pytest.raises(InvalidInput) as caught:
        procedure_version_publish(
            version=draft, decision_number="1/QĐ", decision_date=date(2026, 3, 2), effective_date=date(2026, 3, 1)
        )
    assert caught.value.code == "invalid_dates"


def test_abolishing_stops_new_dossiers_but_not_running_ones(world: Any) -> None:
    running = world.register()
    abolished = procedure_abolish(
        procedure=world.procedure.procedure, decision_number="20/QĐ-UBND", decision_date=date(2026, 4, 1)
    )
    assert abolished.status == VersionStatus.ABOLISHED
    assert "20/QĐ-UBND" in abolished.decision_number
    with pytest.raises(NotFound):
        version_in_force("2.000488")
    ds.dossier_start_processing(dossier=world.refresh(running), actor=world.reception)
    assert world.refresh(running).status == "processing"
    with pytest.raises(Conflict) as caught:
        procedure_abolish(procedure=world.procedure.procedure, decision_number="21/QĐ", decision_date=date(2026, 4, 2))
    assert caught.value.code == "nothing_to_abolish"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"time_limit_unit": "weeks"}, "time_limit_unit"),
        ({"time_limit_amount": -1}, "time_limit_amount"),
        ({"levels": []}, "levels"),
        ({"levels": ["district", "ward"]}, "levels"),
        ({"subjects": ["tourist"]}, "subjects"),
        ({"online_level": "total"}, "online_level"),
        ({"competent_agency": None}, "competent_agency"),
        ({"online_level": "none", "eligible_full_online": True}, "eligible_full_online"),
        ({"e_form_schema": {"type": "array"}}, "e_form_schema"),
    ],
)
def test_an_invalid_version_is_refused_naming_the_field(world: Any, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world, **changes))
    assert caught.value.code == "invalid_procedure"
    assert field in caught.value.details


def test_steps_must_form_a_process(world: Any) -> None:
    steps = [
        StepSpec(key="a", name="A", actor_role="clerk", budget_amount=1, budget_unit="working_days", next=["z"]),
        StepSpec(key="a", name="B", actor_role="leader", budget_amount=1, budget_unit="fortnights"),
    ]
    with pytest.raises(InvalidInput) as caught:
        procedure_version_draft(procedure=world.procedure.procedure, spec=_spec(world, steps=steps))
    assert {"steps", "steps.a.actor_role", "steps.a.next", "steps.a.budget_unit"} <= set(caught.value.details)


@pytest.mark.parametrize("code", ["2000488", "2.00048", "A.000488", ""])
def test_a_procedure_code_has_the_national_format(world: Any, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        procedure_create(code=code, spec=_spec(world))
    assert caught.value.code == "invalid_procedure_code"


def test_a_procedure_code_is_created_once(world: Any) -> None:
    with pytest.raises(Conflict) as caught:
        procedure_create(code="2.000488", spec=_spec(world))
    assert caught.value.code == "duplicate_procedure"


# ---------------------------------------------------------------- the administrators' API


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "field": "LLTP",
        "time_limit_amount": 5,
        "time_limit_unit": "working_days",
        "competent_agency": "H99.10",
        "online_level": "full",
        "fees": [{"name": "Phí cấp phiếu", "amount_vnd": 200_000}],
        "documents": [{"name": "Tờ khai", "e_form": True}],
        "steps": [
            {
                "key": "review",
                "name": "Thẩm định",
                "actor_role": "specialist",
                "budget_amount": 3,
                "budget_unit": "working_days",
                "next": ["tax"],
            },
            {
                "key": "tax",
                "name": "Thuế",
                "actor_role": "specialist",
                "agency": "H99.30",
                "budget_amount": 1,
                "budget_unit": "working_days",
            },
        ],
    }
    body.update(changes)
    return body


def _step(**changes: Any) -> dict[str, Any]:
    step: dict[str, Any] = {
        "key": "review",
        "name": "Thẩm định",
        "actor_role": "specialist",
        "budget_amount": 1,
        "budget_unit": "working_days",
    }
    step.update(changes)
    return step


PUBLISH = {"decision_number": "15/QĐ-UBND", "decision_date": "2026-03-02", "effective_date": "2026-03-02"}


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.fixture
def admin(world: Any) -> Client:
    return session_client(world.admin)


def test_an_administrator_drafts_edits_and_publishes_a_new_procedure(world: Any, admin: Client) -> None:
    created = _send(admin, "post", "/api/v1/procedures", _body(code="1.000894", name="Đăng ký kết hôn"))
    assert created.status_code == 201, created.content
    assert (created.json()["status"], created.json()["version"]) == ("draft", 1)
    assert Client().get("/api/v1/procedures", {"q": "ket hon"}).json()["items"] == []

    edited = _send(admin, "put", "/api/v1/procedures/1.000894/versions/1", _body(name="Đăng ký kết hôn mới"))
    assert edited.status_code == 200, edited.content
    assert edited.json()["name"] == "Đăng ký kết hôn mới"

    published = _send(admin, "post", "/api/v1/procedures/1.000894/versions/1/publish", PUBLISH)
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert published.json()["decision_number"] == "15/QĐ-UBND"
    found = Client().get("/api/v1/procedures", {"q": "dang ky ket hon moi"}).json()["items"]
    assert [i["code"] for i in found] == ["1.000894"]
    detail = Client().get("/api/v1/procedures/1.000894").json()
    assert [s["agency"] for s in detail["steps"]] == [None, "H99.30"]
    assert detail["steps"][0]["next"] == ["tax"]


def test_publishing_through_the_api_supersedes_and_running_dossiers_keep_their_version(
    world: Any, admin: Client
) -> None:
    running = world.register()
    draft = _send(admin, "post", "/api/v1/procedures/2.000488/versions", _body())
    assert draft.status_code == 201, draft.content
    assert draft.json()["version"] == 2
    assert Client().get("/api/v1/procedures/2.000488").json()["version"] == 1  # the draft is not in force
    assert _send(admin, "post", "/api/v1/procedures/2.000488/versions/2/publish", PUBLISH).status_code == 200

    versions = Client().get("/api/v1/procedures/2.000488/versions").json()
    assert sorted((v["version"], v["status"]) for v in versions) == [(1, "superseded"), (2, "published")]
    assert Client().get("/api/v1/procedures/2.000488").json()["time_limit"] == {"amount": 5, "unit": "working_days"}

    reception = client_for(world, "reception")
    old = reception.get(f"/api/v1/dossiers/{running.code}").json()
    assert old["procedure_version"] == 1
    assert old["due_at"] is not None
    started = reception.post(
        f"/api/v1/dossiers/{running.code}/start_processing",
        {"expected_version": old["version"]},
        content_type="application/json",
    )
    assert started.json()["version"] == old["version"] + 1
    assert reception.get(f"/api/v1/dossiers/{running.code}").json()["current_step"] == "review"
    new = _send(
        reception,
        "post",
        "/api/v1/dossiers",
        {
            "procedure": "2.000488",
            "channel": "counter",
            "receiving_agency": "H99.01",
            "outside_hours_reason": ANY_HOUR_REASON,
            "applicant": {"id_number": "001090123456", "full_name": "Nguyễn Văn An"},
            "components": [{"name": "Tờ khai"}],  # the one paper version 2 lists
        },
    )
    assert new.status_code == 201, new.content
    assert new.json()["procedure_version"] == 2


def test_a_published_version_is_not_editable_through_the_api(world: Any, admin: Client) -> None:
    response = _send(admin, "put", "/api/v1/procedures/2.000488/versions/1", _body())
    assert_error(response, 409, "version_not_draft")
    response = _send(admin, "post", "/api/v1/procedures/2.000488/versions/1/publish", PUBLISH)
    assert_error(response, 409, "version_not_draft")


def test_an_administrator_abolishes_a_procedure(world: Any, admin: Client) -> None:
    response = _send(
        admin,
        "post",
        "/api/v1/procedures/2.000488/abolish",
        {"decision_number": "20/QĐ", "decision_date": "2026-04-01"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "abolished"
    assert_error(Client().get("/api/v1/procedures/2.000488"), 404, "procedure_not_found")
    filing = _send(
        client_for(world, "citizen"), "post", "/api/v1/dossiers", {"procedure": "2.000488", "channel": "online"}
    )
    assert_error(filing, 404, "procedure_not_found")
    again = _send(
        admin,
        "post",
        "/api/v1/procedures/2.000488/abolish",
        {"decision_number": "21/QĐ", "decision_date": "2026-04-02"},
    )
    assert_error(again, 409, "nothing_to_abolish")


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"time_limit_unit": "weeks"}, {"time_limit_unit"}),
        ({"levels": ["ward"], "online_level": "total"}, {"levels", "online_level"}),
        ({"field": "XX"}, {"field"}),
        ({"competent_agency": "Z99"}, {"competent_agency"}),
        ({"steps": [_step(key="a", agency="Z99.01")]}, {"steps.a.agency"}),
        ({"steps": [_step(key="a", actor_role="clerk", next=["b"])]}, {"steps.a.actor_role", "steps.a.next"}),
        ({"steps": [_step(key="a"), _step(key="a", budget_unit="weeks")]}, {"steps", "steps.a.budget_unit"}),
    ],
)
def test_an_invalid_version_is_422_with_field_details(
    world: Any, admin: Client, changes: dict[str, Any], fields: set[str]
) -> None:
    body = assert_error(_send(admin, "post", "/api/v1/procedures/2.000488/versions", _body(**changes)), 422)
    assert body["code"] == "invalid_procedure"
    assert fields <= set(body["details"]), body["details"]
    assert not ProcedureVersion.objects.filter(procedure__code="2.000488", number=2).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_limit_amount": -1}, "body.time_limit_amount"),
        ({"name": ""}, "body.name"),
        ({"fees": [{"name": "Phí", "amount_vnd": -5}]}, "body.fees.0.amount_vnd"),
        ({"steps": [{"key": "Bad Key!", "name": "A", "actor_role": "leader", "budget_amount": 1}]}, "body.steps.0.key"),
    ],
)
def test_a_malformed_version_is_422_naming_the_field(
    world: Any, admin: Client, changes: dict[str, Any], field: str
) -> None:
    body = assert_error(_send(admin, "post", "/api/v1/procedures/2.000488/versions", _body(**changes)), 422)
    assert body["code"] == "validation_error"
    assert field in {d["field"] for d in body["details"]}


def test_an_invalid_procedure_code_is_422(world: Any, admin: Client) -> None:
    response = _send(admin, "post", "/api/v1/procedures", _body(code="12345"))
    assert_error(response, 422, "invalid_procedure_code")


def test_versions_of_an_unknown_procedure_are_404(world: Any, admin: Client) -> None:
    assert_error(_send(admin, "post", "/api/v1/procedures/9.999999/versions", _body()), 404, "procedure_not_found")
    assert_error(_send(admin, "put", "/api/v1/procedures/2.000488/versions/7", _body()), 404, "version_not_found")


CHANGES = [
    ("post", "/api/v1/procedures", _body(code="1.000894")),
    ("post", "/api/v1/procedures/2.000488/versions", _body()),
    ("put", "/api/v1/procedures/2.000488/versions/1", _body()),
    ("post", "/api/v1/procedures/2.000488/versions/1/publish", PUBLISH),
    ("post", "/api/v1/procedures/2.000488/abolish", {"decision_number": "20/QĐ", "decision_date": "2026-04-01"}),
]


@pytest.mark.parametrize(("method", "path", "body"), CHANGES, ids=[f"{m} {p}" for m, p, _ in CHANGES])
def test_only_an_administrator_changes_the_catalogue(world: Any, method: str, path: str, body: dict[str, Any]) -> None:
    for persona in ("citizen", "reception", "leader", "manager", "portal"):
        response = _send(client_for(world, persona), method, path, body)
        assert_error(response, 403, "forbidden")
    assert ProcedureVersion.objects.count() == 2
    assert ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 2
    assert _send(session_client(world.admin), method, path, body).status_code != 403  # the gate opens for admins


@pytest.mark.parametrize(("method", "path", "body"), CHANGES, ids=[f"{m} {p}" for m, p, _ in CHANGES])
def test_changing_the_catalogue_needs_credentials(world: Any, method: str, path: str, body: dict[str, Any]) -> None:
    assert_error(_send(Client(), method, path, body), 401, "unauthenticated")
