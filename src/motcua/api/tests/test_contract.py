"""The API contract (issue 2, item 6): OpenAPI, errors, idempotency, pagination, filters.

The property-based part runs Schemathesis over the OpenAPI document of the running
application (called in-process through the Django WSGI application): no operation may
answer 5xx, and every documented answer must match its schema. The rest pins the parts of
the contract a schema cannot express: the JSON error shape, `Idempotency-Key` replays,
cursor pagination and the list filters.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from motcua.api.tests.support import (
    assert_error,
    bearer_client,
    bearer_token,
    client_for,
    read_version,
    session_client,
    session_headers,
)
from motcua.calendars.worktime import VN_TZ
from motcua.config.api import api
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, IdempotencyRecord
from motcua.dossiers.workflow import Action
from motcua.organizations.services import membership_grant
from motcua.testing.world import ANY_HOUR_REASON, World


def _wsgi_app(environ: dict[str, Any], start_response: Any) -> Any:
    """The production WSGI entry point, imported on first call (after Django is set up)."""
    from motcua.config.wsgi import application

    return application(environ, start_response)


# The document Schemathesis fuzzes is the one the API builds; a test below checks that it
# is exactly what /api/v1/openapi.json serves.
SCHEMA = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), default=str)))
SCHEMA.app = _wsgi_app

FUZZ = settings(
    max_examples=20,  # keeps the three fuzzing tests near a minute together
    deadline=None,
    derandomize=True,  # the same cases on every run and every machine
    database=None,
    suppress_health_check=list(HealthCheck),
)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@SCHEMA.include(tag_regex="^(calendar|catalogue|agencies)$", method="GET").parametrize()
@FUZZ
def test_public_reads_never_fail_and_match_the_schema(case: Any, in_process_wsgi: Any) -> None:
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def catalogue_admin_headers(in_process_wsgi: Any) -> dict[str, str]:
    return session_headers(in_process_wsgi.admin)


@SCHEMA.include(tag="catalogue", method_regex="^(POST|PUT)$").parametrize()
@settings(FUZZ, max_examples=10)  # large bodies are slow to generate; the services have their own tests
def test_catalogue_administration_never_fails_and_matches_the_schema(
    case: Any, catalogue_admin_headers: dict[str, str]
) -> None:
    if "code" in (case.path_parameters or {}):
        case.path_parameters["code"] = "2.000488"
    if isinstance(case.body, dict) and "field" in case.body:
        # Random codes only reach the "unknown field" answer; real ones reach the services.
        case.body["field"] = "LLTP"
        case.body["competent_agency"] = "H99.10"
    case.call_and_validate(headers=catalogue_admin_headers, checks=CHECKS)


def _dossier_in(world: World, status: str) -> Dossier:
    """A dossier brought to `status` through the services, as an officer would."""
    if status == "submitted":
        return world.submit()
    dossier = world.register()
    if status in {"processing", "awaiting_payment", "processed", "supplement_requested", "supplement_submitted"}:
        ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    if status in {"supplement_requested", "supplement_submitted"}:
        ds.dossier_request_supplement(
            items=["Tờ khai có chữ ký"],
            dossier=world.refresh(dossier),
            actor=world.leader,
            reason="Thiếu bản chụp CCCD",
        )
    if status == "supplement_submitted":
        ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen)
    if status == "awaiting_payment":
        ds.dossier_request_payment(dossier=dossier, actor=world.leader)
    if status == "processed":
        ds.dossier_approve(dossier=dossier, actor=world.leader)
        ds.dossier_finish(dossier=dossier, actor=world.leader)
    return world.refresh(dossier)


#: The status from which each command can succeed, so fuzzed bodies reach its service.
STATUS_FOR_COMMAND = {
    "receive": "submitted",
    "resubmit": "supplement_requested",
    "return_for_completion": "submitted",
    "accept_supplement": "supplement_submitted",
    "hand_over": "processing",
    "request_payment": "processing",
    "approve": "processing",
    "finish": "processing",
    "apologise": "processing",
    "confirm_payment": "awaiting_payment",
    "return_result": "processed",
}


@pytest.fixture
def officer_headers(in_process_wsgi: Any) -> dict[str, str]:
    """The session of an officer who receives at the centre and leads the settling department
    (small provinces combine posts), so that most fuzzed commands may really change the dossier."""
    world = in_process_wsgi
    user = get_user_model().objects.get(pk=world.reception.user_id)
    membership_grant(user=user, agency=world.justice, role="leader")
    return session_headers(world.reception)


@pytest.fixture
def dossier_code_in(in_process_wsgi: Any) -> Callable[[str], str]:
    """The code of a dossier in a given status, made once per test."""
    made: dict[str, str] = {}

    def code(status: str) -> str:
        if status not in made:
            made[status] = _dossier_in(in_process_wsgi, status).code
        return made[status]

    return code


@SCHEMA.include(tag="dossiers").parametrize()
@FUZZ
def test_dossier_endpoints_never_fail_and_match_the_schema(
    case: Any, officer_headers: dict[str, str], dossier_code_in: Callable[[str], str]
) -> None:
    if "code" in (case.path_parameters or {}):
        # A random code is only ever a 404 (pinned below); a real one reaches the services.
        command = case.path.rsplit("/", 1)[-1]
        code = case.path_parameters["code"] = dossier_code_in(STATUS_FOR_COMMAND.get(command, "received"))
        version_sent = (case.headers or {}).get("If-Match") or (
            isinstance(case.body, dict) and case.body.get("expected_version") is not None
        )
        if case.method == "POST" and isinstance(case.body, dict) and not version_sent:
            # Without a version a command only ever answers 428 (pinned elsewhere); with the
            # current one it reaches the services. Generated versions stay: mostly 409.
            case.body["expected_version"] = read_version(code)
    if isinstance(case.body, dict) and "procedure" in case.body:
        case.body["procedure"] = "2.000488"
    case.call_and_validate(headers=officer_headers, checks=CHECKS)


# ---------------------------------------------------------------- the documents


def test_openapi_is_served_and_lists_every_dossier_command(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert "post" in paths["/api/v1/dossiers"]
    assert "get" in paths["/api/v1/dossiers"]
    commands = [action for action in Action if action is not Action.SUBMIT]  # submit is POST /dossiers
    missing = [a.value for a in commands if "post" not in paths.get(f"/api/v1/dossiers/{{code}}/{a.value}", {})]
    assert missing == []
    for path in (
        "/api/v1/calendar/due-date",
        "/api/v1/calendar/working-days",
        "/api/v1/procedures",
        "/api/v1/agencies",
    ):
        assert "get" in paths[path], path
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_the_fuzzed_schema_is_the_served_schema(client: Client) -> None:
    served = client.get("/api/v1/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema(), default=str))


def test_api_docs_serve_swagger_ui_from_our_own_static_files(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="swagger-ui"' in page
    assert "/api/v1/openapi.json" in page
    for outside in ("cdn", "unpkg", "jsdelivr", "https://", "http://"):
        assert outside not in page.lower(), outside
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in page
    assert finders.find("ninja/swagger-ui-bundle.js") is not None
    assert finders.find("ninja/swagger-ui.css") is not None


# ---------------------------------------------------------------- errors


def _counter_body(world: Any, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure": "2.000488",
        "channel": "counter",
        "receiving_agency": "H99.01",
        "outside_hours_reason": ANY_HOUR_REASON,
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "components": [
            {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "copies": 1},
            {"name": "Bản chụp giấy tờ tùy thân", "copies": 1},
        ],
    }
    body.update(changes)
    return body


def _read(dossier: Dossier) -> dict[str, Any]:
    """A command's body as a client sends it: the version it read the dossier at."""
    return {"expected_version": dossier.row_version}


def _receipt(dossier: Dossier) -> dict[str, Any]:
    """A receipt's body: the suite may run outside working hours (the rule has its own tests)."""
    return {**_read(dossier), "outside_hours_reason": ANY_HOUR_REASON}


def _post(client: Client, path: str, body: Any, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(path, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer mc_not-a-token"}, {"Authorization": "Basic x"}])
def test_it_answers_401_json_without_valid_credentials(world: Any, headers: dict[str, str]) -> None:
    response = Client(headers=headers).get("/api/v1/dossiers")
    assert_error(response, 401, "unauthenticated")


def test_a_revoked_token_is_refused(world: Any) -> None:
    from motcua.api.models import ApiToken
    from motcua.api.services import api_token_revoke

    token = bearer_token(world.portal)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/dossiers").status_code == 200
    api_token_revoke(token=ApiToken.objects.get())
    assert_error(client.get("/api/v1/dossiers"), 401, "unauthenticated")


def test_a_token_is_stored_only_as_its_digest_and_its_use_is_recorded(world: Any) -> None:
    from motcua.api.models import ApiToken

    secret = bearer_token(world.portal)
    row = ApiToken.objects.get()
    assert secret not in {row.digest, row.prefix, row.name}
    assert row.digest == ApiToken.hash(secret)
    assert row.last_used_at is None
    assert Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/v1/dossiers").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_it_answers_403_json_to_an_officer_without_the_role(world: Any) -> None:
    dossier = world.submit()
    response = _post(session_client(world.specialist), f"/api/v1/dossiers/{dossier.code}/receive", _receipt(dossier))
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/api/v1/dossiers/H99.01-260101-9999", "dossier_not_found"),
        ("/api/v1/procedures/9.999999", "procedure_not_found"),
        ("/api/v1/agencies/Z99", "agency_not_found"),
        ("/api/v1/no-such-endpoint", "not_found"),
    ],
)
def test_it_answers_404_json(world: Any, path: str, code: str) -> None:
    assert_error(session_client(world.reception).get(path), 404, code)


def test_it_answers_409_json_to_a_transition_the_table_does_not_allow(world: Any) -> None:
    dossier = world.register()  # already received
    body = assert_error(
        _post(session_client(world.reception), f"/api/v1/dossiers/{dossier.code}/receive", _receipt(dossier)),
        409,
        "transition_not_allowed",
    )
    assert body["details"] == {"action": "receive", "status": "received"}


def test_it_answers_422_json_naming_the_invalid_fields(world: Any) -> None:
    response = _post(session_client(world.reception), "/api/v1/dossiers", {"channel": "fax"})
    body = assert_error(response, 422, "validation_error")
    fields = {detail["field"] for detail in body["details"]}
    assert {"body.procedure", "body.channel"} <= fields
    assert all(detail["message"] for detail in body["details"])


def test_a_domain_rule_broken_by_the_input_is_422_json(world: Any) -> None:
    body = _counter_body(world, applicant={"id_number": "12345", "full_name": "X"})
    answer = assert_error(_post(session_client(world.reception), "/api/v1/dossiers", body), 422, "invalid_personal_id")
    assert answer["details"] == {"id_number": "12345"}


def test_a_body_that_is_not_json_is_a_4xx_json_error(world: Any) -> None:
    response = session_client(world.reception).post("/api/v1/dossiers", "{oops", content_type="application/json")
    assert_error(response, 400)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/dossiers", {"status": "received\x00"}),
        ("get", "/api/v1/procedures", {"q": "khai\x00sinh"}),
        ("get", "/api/v1/agencies/H99%00", None),
        ("post", "/api/v1/dossiers", '{"procedure": "2.000488", "channel": "online", "external_id": "a\\u0000b"}'),
    ],
)
def test_a_nul_character_anywhere_is_422_not_a_database_error(world: Any, method: str, path: str, data: Any) -> None:
    """PostgreSQL refuses NUL in text (DataError); found by the fuzzing above."""
    client = session_client(world.reception)
    if method == "get":
        response = client.get(path, data)
    else:
        response = client.post(path, data, content_type="application/json")
    assert_error(response, 422, "invalid_characters")


# ---------------------------------------------------------------- Idempotency-Key


def test_the_same_create_twice_with_one_key_creates_one_dossier_and_replays_the_answer(world: Any) -> None:
    client = session_client(world.reception)
    first = _post(client, "/api/v1/dossiers", _counter_body(world), key="create-1")
    second = _post(client, "/api/v1/dossiers", _counter_body(world), key="create-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert Dossier.objects.count() == 1
    assert first.json()["components"][0]["name"] == "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"


def test_without_a_key_a_retry_creates_a_second_dossier(world: Any) -> None:
    client = session_client(world.reception)
    codes = {_post(client, "/api/v1/dossiers", _counter_body(world)).json()["code"] for _ in range(2)}
    assert len(codes) == 2


def test_reusing_a_key_for_a_different_request_is_409(world: Any) -> None:
    client = session_client(world.reception)
    assert _post(client, "/api/v1/dossiers", _counter_body(world), key="k").status_code == 201
    response = _post(client, "/api/v1/dossiers", _counter_body(world, sets=2), key="k")
    assert_error(response, 409, "idempotency_key_reused")
    assert Dossier.objects.count() == 1


def test_keys_belong_to_their_sender(world: Any) -> None:
    """Two systems choosing the same key do not see each other's answers."""
    body = _counter_body(world)
    first = _post(session_client(world.reception), "/api/v1/dossiers", body, key="shared")
    user = get_user_model().objects.get(pk=world.specialist.user_id)
    membership_grant(user=user, agency=world.centre, role="reception")
    second = _post(session_client(world.specialist), "/api/v1/dossiers", body, key="shared")
    assert first.status_code == second.status_code == 201
    assert first.json()["code"] != second.json()["code"]


def test_a_command_retried_with_the_same_key_appends_one_event(world: Any) -> None:
    dossier = world.submit()
    client = session_client(world.reception)
    path = f"/api/v1/dossiers/{dossier.code}/receive"
    first = _post(client, path, _receipt(dossier), key="receive-1")
    second = _post(client, path, _receipt(dossier), key="receive-1")  # the version read before the first
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert [e.action for e in DossierEvent.objects.filter(dossier=dossier).order_by("seq")] == ["submit", "receive"]


def test_a_command_answers_the_new_state_and_its_event_and_the_detail_has_the_rest(world: Any) -> None:
    dossier = world.submit()
    client = session_client(world.reception)
    answer = _post(client, f"/api/v1/dossiers/{dossier.code}/receive", _receipt(dossier)).json()
    assert answer["status"] == "received"
    assert answer["version"] == dossier.row_version + 1
    assert answer["event"]["action"] == "receive"
    assert answer["event"]["seq"] == 2
    assert answer["event"]["actor_agency"] == world.centre.code
    assert "events" not in answer
    detail = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert detail["version"] == answer["version"]
    assert detail["events"][-1] == answer["event"]


def test_a_keyed_command_costs_one_statement_to_claim_its_key_and_one_to_store_its_answer(world: Any) -> None:
    dossier = world.submit()
    client = session_client(world.reception)
    client.get("/api/v1/dossiers")  # the session and actor are loaded once, outside the count
    with CaptureQueriesContext(connection) as queries:
        _post(client, f"/api/v1/dossiers/{dossier.code}/receive", _receipt(dossier), key="count-1")
    keyed = [q["sql"] for q in queries.captured_queries if "idempotencyrecord" in q["sql"]]
    assert len(keyed) == 2, keyed
    assert keyed[0].startswith("INSERT")
    assert keyed[1].startswith("UPDATE")
    with CaptureQueriesContext(connection) as queries:
        replayed = _post(client, f"/api/v1/dossiers/{dossier.code}/receive", _receipt(dossier), key="count-1")
    assert replayed.status_code == 200
    assert len([q for q in queries.captured_queries if "idempotencyrecord" in q["sql"]]) == 2  # claim, read


def _portal_body(world: Any) -> dict[str, Any]:
    return {
        "procedure": "2.000488",
        "channel": "online",
        "source": "national_portal",
        "external_id": "G-42",
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "form_data": {},
        "components": [
            {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "digitized": True, "file_name": "to-khai.pdf"},
            {"name": "Bản chụp giấy tờ tùy thân", "copies": 2},
        ],
    }


@pytest.mark.parametrize("persona", ["portal", "reception"])
def test_filing_answers_the_detail_a_read_gives_right_after_without_reading_the_dossier_back(
    world: Any, persona: str
) -> None:
    client = bearer_client(world.portal) if persona == "portal" else session_client(world.reception)
    body = _portal_body(world) if persona == "portal" else _counter_body(world)
    with CaptureQueriesContext(connection) as queries:
        created = _post(client, "/api/v1/dossiers", body, key="file-1")
    assert created.status_code == 201, created.content
    tables = ('"dossiers_dossier"', '"dossiers_dossierevent"', '"dossiers_dossiercomponent"')
    statements = [q["sql"] for q in queries.captured_queries]
    assert [sql for sql in statements if sql.startswith("SELECT") and any(t in sql for t in tables)] == []
    # Between claiming the key and storing the answer, no savepoint: a known applicant is found
    # without one, and the filing takes none inside the request's own transaction.
    claim = next(k for k, sql in enumerate(statements) if sql.startswith('INSERT INTO "dossiers_idempotencyrecord"'))
    answer = next(k for k, sql in enumerate(statements) if sql.startswith('UPDATE "dossiers_idempotencyrecord"'))
    assert claim < answer
    assert [sql for sql in statements[claim:answer] if "SAVEPOINT" in sql] == []
    detail = client.get(f"/api/v1/dossiers/{created.json()['code']}")
    assert created.json() == detail.json()
    assert [e["action"] for e in detail.json()["events"]] == ["submit" if persona == "portal" else "receive"]


def test_a_failed_command_stores_no_answer_so_the_key_can_be_used_again(world: Any) -> None:
    dossier = world.submit()
    path = f"/api/v1/dossiers/{dossier.code}/receive"
    assert _post(session_client(world.specialist), path, _receipt(dossier), key="again").status_code == 403
    assert not IdempotencyRecord.objects.exists()
    assert _post(session_client(world.reception), path, _receipt(dossier), key="again").status_code == 200


def test_an_overlong_key_is_refused(world: Any) -> None:
    response = _post(session_client(world.reception), "/api/v1/dossiers", _counter_body(world), key="k" * 256)
    assert_error(response, 422, "invalid_idempotency_key")
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------- listing


def _codes(page: dict[str, Any]) -> list[str]:
    return [item["code"] for item in page["items"]]


def test_cursor_pagination_returns_every_dossier_exactly_once(world: Any) -> None:
    created = {world.register().code for _ in range(7)}
    client = session_client(world.reception)
    seen: list[str] = []
    page = client.get("/api/v1/dossiers", {"limit": 3}).json()
    pages = 1
    seen += _codes(page)
    world.register()  # a dossier filed between two pages does not shift the pages
    while page["next_cursor"]:
        page = client.get("/api/v1/dossiers", {"limit": 3, "cursor": page["next_cursor"]}).json()
        seen += _codes(page)
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == created


def test_the_last_page_has_no_cursor(world: Any) -> None:
    world.register()
    page = session_client(world.reception).get("/api/v1/dossiers", {"limit": 1}).json()
    assert len(page["items"]) == 1
    assert page["next_cursor"] is None


@pytest.mark.parametrize(
    "cursor",
    ["not-a-cursor", base64.urlsafe_b64encode(b"id:abc").decode(), base64.urlsafe_b64encode(b"pk:5").decode(), "é"],
)
def test_a_cursor_the_api_did_not_give_out_is_422(world: Any, cursor: str) -> None:
    response = session_client(world.reception).get("/api/v1/dossiers", {"cursor": cursor})
    assert_error(response, 422, "invalid_cursor")


@pytest.mark.parametrize("limit", [0, 201, -1, "ten"])
def test_a_page_size_out_of_range_is_422(world: Any, limit: Any) -> None:
    response = session_client(world.reception).get("/api/v1/dossiers", {"limit": limit})
    assert_error(response, 422, "validation_error")


@pytest.fixture
def listed(world: Any) -> dict[str, Dossier]:
    """Dossiers of several kinds, seen together by the province's manager."""

    def at(month: int, day: int) -> datetime:
        return datetime(2026, month, day, 9, 0, tzinfo=VN_TZ)

    march = world.register(at=at(3, 2))
    june = world.register(at=at(6, 1))
    post = world.register(at=at(6, 2), channel="post")
    online = world.submit(at=at(6, 3))
    commune = ds.dossier_register(
        actor=world.commune_reception,
        version=world.commune_procedure,
        applicant=world.citizen_person,
        receiving_agency=world.commune_centre,
        at=at(6, 4),
    )
    return {"march": march, "june": june, "post": post, "online": online, "commune": commune}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"march", "june", "post", "online", "commune"}),
        ({"status": "submitted"}, {"online"}),
        ({"status": ["submitted", "received"]}, {"march", "june", "post", "online", "commune"}),
        ({"status": "processing"}, set()),
        ({"agency": "H99.50"}, {"commune"}),
        ({"agency": "H99.50.01"}, {"commune"}),
        ({"agency": "H99.10"}, {"march", "june", "post", "online"}),
        ({"procedure": "1.001193"}, {"commune"}),
        ({"procedure": "2.000488", "channel": "online"}, {"online"}),
        ({"channel": "post"}, {"post"}),
        ({"channel": "counter"}, {"march", "june", "commune"}),
        ({"due_before": "2026-04-01T00:00:00+07:00"}, {"march"}),
        ({"due_after": "2026-04-01T00:00:00+07:00"}, {"june", "post", "commune"}),
        ({"due_after": "2026-06-05T12:00:00+07:00", "due_before": "2026-06-16T00:00:00+07:00"}, {"june"}),
        ({"received_before": "2026-06-01T12:00:00+07:00"}, {"march", "june"}),
        ({"applicant": "001090123456", "channel": "post"}, {"post"}),
    ],
)
def test_list_filters(world: Any, listed: dict[str, Dossier], query: dict[str, Any], expected: set[str]) -> None:
    response = session_client(world.manager).get("/api/v1/dossiers", query)
    assert response.status_code == 200, response.content
    by_code = {d.code: name for name, d in listed.items()}
    assert {by_code[code] for code in _codes(response.json())} == expected


def test_instants_with_any_iso_offset_are_read_correctly(world: Any, listed: dict[str, Dossier]) -> None:
    """ISO 8601 allows offsets PostgreSQL refuses (beyond ±15:59); found by the fuzzing above."""
    # 2026-04-01 00:00 +07:00 written with an offset of +18:00 (11 hours later on the clock).
    response = client_for(world, "manager").get("/api/v1/dossiers", {"due_before": "2026-04-01T11:00:00+18:00"})
    assert response.status_code == 200, response.content
    assert _codes(response.json()) == [listed["march"].code]


def test_an_instant_that_cannot_be_moved_to_utc_is_422(world: Any) -> None:
    response = client_for(world, "manager").get("/api/v1/dossiers", {"due_before": "0001-01-01T00:00:00+05:00"})
    body = assert_error(response, 422, "validation_error")
    assert body["details"][0]["field"] == "due_before"


def test_a_filter_value_of_the_wrong_type_is_422(world: Any) -> None:
    response = client_for(world, "manager").get("/api/v1/dossiers", {"due_before": "next tuesday"})
    body = assert_error(response, 422, "validation_error")
    assert body["details"][0]["field"] == "due_before"
