"""Access control as a matrix of personas × actions, through the HTTP API (issue 2, item 7).

"An officer sees and acts only on dossiers of their agency or handed to it; a citizen only
on their own; an anonymous caller only on the public catalogue and calendar." Who may apply
which transition is the workflow table (`dossiers/workflow.py`); these tests check that the API
enforces both, for every persona of the test world:

* 401: not logged in, on a protected endpoint;
* 404: the dossier exists but this persona may not see it (codes must not leak);
* 403: the persona sees the dossier but its role may not apply the action;
* 200/201: the action is applied (and exactly one event is appended).

Every persona is tried from the same starting state: each attempt runs in a savepoint that
is rolled back afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from motcua.api.tests.support import client_for
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.testing.world import ANY_HOUR_REASON, World

PERSONAS = (
    "anonymous",
    "citizen",  # the applicant, owner of every dossier below
    "other_citizen",
    "reception",  # reception officer of the receiving centre H99.01
    "specialist",  # specialist of the settling department H99.10
    "leader",  # leader of the settling department H99.10
    "outsider",  # reception, specialist and leader of another department H99.11
    "tax_specialist",  # specialist of the tax branch H99.30, a step of the process
    "commune_reception",  # reception officer of a commune centre H99.50.01
    "manager",  # manager of the province H99
    "admin",  # administrator of the province H99
    "portal",  # the national portal connector (bearer token, system): only dossiers it delivered
    "payments",  # the national payment platform (bearer token, system): confirms payments only
)


# ---------------------------------------------------------------- states

#: The mandatory papers of the test procedure, named as an API client names them.
PAPERS = [{"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"}, {"name": "Bản chụp giấy tờ tùy thân"}]


def _received(world: World) -> Dossier:
    return world.register()


def _processing(world: World) -> Dossier:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    return dossier


def _approved(world: Any) -> Dossier:
    dossier = _processing(world)
    ds.dossier_approve(dossier=dossier, actor=world.leader)
    return dossier


def _handed_to_tax(world: Any) -> Dossier:
    dossier = _processing(world)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="tax")
    return dossier


def _back_from_tax(world: Any) -> Dossier:
    dossier = _handed_to_tax(world)
    ds.dossier_hand_over(dossier=dossier, actor=world.tax_specialist, to_step="approve")
    return dossier


def _supplement_requested(world: World) -> Dossier:
    dossier = _processing(world)
    ds.dossier_request_supplement(
        items=["Tờ khai có chữ ký"], dossier=dossier, actor=world.specialist, reason="Thiếu bản chụp CCCD"
    )
    return dossier


def _supplement_submitted(world: World) -> Dossier:
    dossier = _supplement_requested(world)
    ds.dossier_resubmit(dossier=dossier, actor=world.citizen, note="Đã bổ sung")
    return dossier


def _awaiting_payment(world: Any) -> Dossier:
    dossier = _processing(world)
    ds.dossier_request_payment(dossier=dossier, actor=world.leader)
    return dossier


def _processed(world: Any) -> Dossier:
    dossier = _approved(world)
    ds.dossier_finish(dossier=dossier, actor=world.leader)
    return dossier


def _commune(world: Any) -> Dossier:
    return ds.dossier_register(
        actor=world.commune_reception,
        version=world.commune_procedure,
        applicant=world.citizen_person,
        receiving_agency=world.commune_centre,
        outside_hours_reason=ANY_HOUR_REASON,
    )


def _from_portal(world: World) -> Dossier:
    return world.submit(actor=world.portal, source="national_portal")


STATES: dict[str, Callable[[Any], Dossier]] = {
    "submitted": lambda world: world.submit(),
    "from_portal": _from_portal,
    "received": _received,
    "processing": _processing,
    "approved": _approved,
    "handed_to_tax": _handed_to_tax,
    "back_from_tax": _back_from_tax,
    "supplement_requested": _supplement_requested,
    "supplement_submitted": _supplement_submitted,
    "awaiting_payment": _awaiting_payment,
    "processed": _processed,
    "commune": _commune,
}


# ---------------------------------------------------------------- running one persona


def _clients(world: Any) -> dict[str, Client]:
    return {persona: client_for(world, persona) for persona in PERSONAS}


def _attempt(client: Client, method: str, path: str, body: dict[str, Any] | None, dossier: Dossier | None) -> int:
    """Send one request in a savepoint that is rolled back, and check the answer's shape."""
    with transaction.atomic():
        events_before = DossierEvent.objects.filter(dossier=dossier).count() if dossier else 0
        dossiers_before = Dossier.objects.count()
        if method == "GET":
            response = client.get(path)
        else:
            # A command carries the version its sender read (else 428, before any access check).
            sent = {"expected_version": dossier.row_version, **(body or {})} if dossier else body or {}
            response = client.post(path, sent, content_type="application/json")
        status = response.status_code
        if status >= 400:
            error = response.json()
            expected_code = {401: {"unauthenticated"}, 404: {"dossier_not_found"}}.get(status)
            assert expected_code is None or error["code"] in expected_code, (path, error)
            assert error["message"]
        if method == "POST" and dossier is not None:
            appended = DossierEvent.objects.filter(dossier=dossier).count() - events_before
            assert appended == (1 if status == 200 else 0), (path, status, appended)
        if method == "POST" and dossier is None:
            assert Dossier.objects.count() - dossiers_before == (1 if status == 201 else 0)
        transaction.set_rollback(True)
    return status


def _run(world: Any, method: str, path: str, body: dict[str, Any] | None, dossier: Dossier | None) -> dict[str, int]:
    clients = _clients(world)
    return {persona: _attempt(clients[persona], method, path, body, dossier) for persona in PERSONAS}


def _expected(row: tuple[int, ...]) -> dict[str, int]:
    assert len(row) == len(PERSONAS)
    return dict(zip(PERSONAS, row, strict=True))


# ---------------------------------------------------------------- who sees what

# fmt: off
#                     anon cit  oth  rec  spec lead out  tax  comm mgr  adm  portal pay
VISIBILITY = {
    "submitted":      (401, 200, 404, 200, 200, 200, 404, 404, 404, 200, 200, 404, 200),
    "processing":     (401, 200, 404, 200, 200, 200, 404, 404, 404, 200, 200, 404, 200),
    "handed_to_tax":  (401, 200, 404, 200, 200, 200, 404, 200, 404, 200, 200, 404, 200),
    "back_from_tax":  (401, 200, 404, 200, 200, 200, 404, 200, 404, 200, 200, 404, 200),
    "commune":        (401, 200, 404, 404, 404, 404, 404, 404, 200, 200, 200, 404, 200),
    "from_portal":    (401, 200, 404, 200, 200, 200, 404, 404, 404, 200, 200, 200, 200),
}
# fmt: on


@pytest.mark.parametrize(("state", "row"), VISIBILITY.items(), ids=VISIBILITY.keys())
def test_who_sees_a_dossier_in_detail(world: Any, state: str, row: tuple[int, ...]) -> None:
    dossier = STATES[state](world)
    assert _run(world, "GET", f"/api/v1/dossiers/{dossier.code}", None, None) == _expected(row)


@pytest.mark.parametrize(("state", "row"), VISIBILITY.items(), ids=VISIBILITY.keys())
def test_the_list_shows_exactly_the_dossiers_the_detail_shows(world: Any, state: str, row: tuple[int, ...]) -> None:
    dossier = STATES[state](world)
    seen: dict[str, int] = {}
    for persona, client in _clients(world).items():
        response = client.get("/api/v1/dossiers")
        if response.status_code != 200:
            seen[persona] = response.status_code
            continue
        codes = [item["code"] for item in response.json()["items"]]
        seen[persona] = 200 if codes == [dossier.code] else 404 if codes == [] else -1
    assert seen == _expected(row)


@pytest.mark.parametrize("state", ["submitted", "processing", "commune"])
def test_everyone_may_track_a_dossier_by_code_without_personal_data(world: Any, state: str) -> None:
    dossier = STATES[state](world)
    answers = {}
    for persona, client in _clients(world).items():
        response = client.get(f"/api/v1/dossiers/{dossier.code}/track")
        answers[persona] = response.status_code
        if response.status_code == 200:
            body = response.json()
            assert set(body) == {
                "code",
                "status",
                "status_label",
                "appointment_at",
                "receiving_agency",
                "receiving_agency_name",
            }
            assert world.citizen_person.full_name not in response.content.decode()
            assert world.citizen_person.id_number not in response.content.decode()
    assert answers == dict.fromkeys(PERSONAS, 200)


# ---------------------------------------------------------------- who creates dossiers


def _create_body(world: Any, channel: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure": "2.000488",
        "channel": channel,
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "components": [{**paper, "digitized": channel == "online"} for paper in PAPERS],
    }
    if channel != "online":
        body["receiving_agency"] = "H99.01"
        body["outside_hours_reason"] = ANY_HOUR_REASON  # the suite may run at night
    return body


# fmt: off
#                     anon cit  oth  rec  spec lead out  tax  comm mgr  adm  portal pay
CREATION = {
    "online":         (401, 201, 403, 201, 403, 403, 403, 403, 403, 403, 403, 201, 403),
    "counter":        (401, 403, 403, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "post":           (401, 403, 403, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403),
}
# fmt: on


@pytest.mark.parametrize(("channel", "row"), CREATION.items(), ids=CREATION.keys())
def test_who_may_file_a_dossier_for_the_citizen(world: Any, channel: str, row: tuple[int, ...]) -> None:
    """The applicant files online for themself, the counter files for anyone, the national
    portal forwards online filings; another citizen may not file in someone else's name."""
    assert _run(world, "POST", "/api/v1/dossiers", _create_body(world, channel), None) == _expected(row)


def test_a_citizen_files_online_for_themself_without_naming_the_applicant(world: Any) -> None:
    client = client_for(world, "other_citizen")
    response = client.post(
        "/api/v1/dossiers",
        {"procedure": "2.000488", "channel": "online", "components": PAPERS},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["applicant_id_number"] == "079195000111"


# ---------------------------------------------------------------- who applies each transition


def _apology(dossier: Dossier) -> dict[str, Any]:
    assert dossier.due_at is not None
    return {"reason": "Cần xác minh thêm", "new_due_at": (dossier.due_at + timedelta(days=7)).isoformat()}


REASON = {"reason": "Lý do ghi rõ trên mẫu"}
SUPPLEMENT = {**REASON, "items": ["Tờ khai có chữ ký"]}
#: A receipt: the suite may run outside working hours (test_receipt_hours.py tests the rule).
RECEIPT = {"outside_hours_reason": ANY_HOUR_REASON}
#: An applicant's request an officer records (Circular 03/2025 Art. 7); a citizen's is online.
AT_COUNTER = {"channel": "counter"}
BY_POST = {"delivery": "post", "address": "12 Trần Phú, Ba Đình, Hà Nội"}
Body = Callable[[Dossier], dict[str, Any]]

# fmt: off
#   action              state                   body                                    anon cit  oth  rec  spec lead out  tax  comm mgr  adm  portal pay  # noqa: E501
COMMANDS: list[tuple[str, str, Body, tuple[int, ...]]] = [
    ("receive",            "submitted",            lambda d: RECEIPT,                       (401, 403, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("refuse",             "submitted",            lambda d: REASON,                        (401, 403, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("refuse",             "processing",           lambda d: REASON,                        (401, 403, 404, 403, 200, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("return_for_completion", "submitted",       lambda d: SUPPLEMENT,                    (401, 403, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("request_supplement", "processing",           lambda d: SUPPLEMENT,                    (401, 403, 404, 403, 200, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("resubmit",           "supplement_requested", lambda d: {"note": "Đã bổ sung"},        (401, 200, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("accept_supplement",  "supplement_submitted", lambda d: RECEIPT,                       (401, 403, 404, 200, 200, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("start_processing",   "received",             lambda d: {},                            (401, 403, 404, 200, 200, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("hand_over",          "processing",           lambda d: {"to_step": "approve"},        (401, 403, 404, 403, 200, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("assign",             "processing",           lambda d: {"assignee": "specialist"},    (401, 403, 404, 403, 403, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("request_payment",    "processing",           lambda d: {},                            (401, 403, 404, 403, 200, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("confirm_payment",    "awaiting_payment",     lambda d: {"amount_vnd": 200_000},       (401, 403, 404, 200, 200, 200, 404, 404, 404, 403, 403, 404, 200)),  # noqa: E501
    ("apologise",          "processing",           _apology,                                (401, 403, 404, 403, 403, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("approve",            "processing",           lambda d: {},                            (401, 403, 404, 403, 403, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("finish",             "approved",             lambda d: {},                            (401, 403, 404, 403, 200, 200, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("return_result",      "processed",            lambda d: {},                            (401, 403, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("request_stop",       "received",             lambda d: {**REASON, **AT_COUNTER},      (401, 200, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("stop",               "received",             lambda d: {**REASON, **AT_COUNTER},      (401, 403, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("withdraw",           "received",             lambda d: AT_COUNTER,                    (401, 200, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    ("choose_delivery",    "processing",           lambda d: BY_POST,                       (401, 200, 404, 200, 403, 403, 404, 404, 404, 403, 403, 404, 403)),  # noqa: E501
    # Handed over to the tax branch: the step's agency now acts, the department only watches,
    # except that its leader still answers for the deadline (Form 04).
    ("hand_over",          "handed_to_tax",        lambda d: {"to_step": "approve"},        (401, 403, 404, 403, 403, 403, 404, 200, 404, 403, 403, 404, 403)),  # noqa: E501
    ("request_payment",    "handed_to_tax",        lambda d: {},                            (401, 403, 404, 403, 403, 403, 404, 200, 404, 403, 403, 404, 403)),  # noqa: E501
    ("refuse",             "handed_to_tax",        lambda d: REASON,                        (401, 403, 404, 403, 403, 403, 404, 200, 404, 403, 403, 404, 403)),  # noqa: E501
    ("approve",            "handed_to_tax",        lambda d: {},                            (401, 403, 404, 403, 403, 403, 404, 403, 404, 403, 403, 404, 403)),  # noqa: E501
    ("apologise",          "handed_to_tax",        _apology,                                (401, 403, 404, 403, 403, 200, 404, 403, 404, 403, 403, 404, 403)),  # noqa: E501
    # Back from tax: the tax specialist still sees the dossier it handled, but acts no more.
    ("hand_over",          "back_from_tax",        lambda d: {"to_step": "return"},         (401, 403, 404, 403, 200, 200, 404, 403, 404, 403, 403, 404, 403)),  # noqa: E501
    # Delivered by the national portal: the portal may act on it with its own actions only.
    ("withdraw",           "from_portal",          lambda d: AT_COUNTER,                    (401, 200, 404, 200, 403, 403, 404, 404, 404, 403, 403, 200, 403)),  # noqa: E501
    ("receive",            "from_portal",          lambda d: RECEIPT,                       (401, 403, 404, 200, 403, 403, 404, 404, 404, 403, 403, 403, 403)),  # noqa: E501
    # A commune dossier: only the commune's own centre acts on it.
    ("start_processing",   "commune",              lambda d: {},                            (401, 403, 404, 404, 404, 404, 404, 404, 200, 403, 403, 404, 403)),  # noqa: E501
    ("withdraw",           "commune",              lambda d: AT_COUNTER,                    (401, 200, 404, 404, 404, 404, 404, 404, 200, 403, 403, 404, 403)),  # noqa: E501
]
# fmt: on


@pytest.mark.parametrize(
    ("action", "state", "body", "row"), COMMANDS, ids=[f"{action}@{state}" for action, state, _, _ in COMMANDS]
)
def test_who_may_apply_each_transition(world: Any, action: str, state: str, body: Body, row: tuple[int, ...]) -> None:
    dossier = STATES[state](world)
    dossier = world.refresh(dossier)
    path = f"/api/v1/dossiers/{dossier.code}/{action}"
    assert _run(world, "POST", path, body(dossier), dossier) == _expected(row)


def test_the_matrix_covers_every_command_endpoint() -> None:
    from motcua.dossiers.workflow import Action

    assert {action for action, *_ in COMMANDS} == {a.value for a in Action} - {"submit"}


def test_the_detail_offers_each_persona_only_what_it_may_do(world: Any) -> None:
    """`allowed_actions` in the detail (what pages show as buttons) agrees with the matrix."""
    dossier = _processing(world)
    offered = {}
    for persona, client in _clients(world).items():
        response = client.get(f"/api/v1/dossiers/{dossier.code}")
        if response.status_code == 200:
            offered[persona] = set(response.json()["allowed_actions"])
    processing_rows = {
        action: dict(zip(PERSONAS, row, strict=True))
        for action, state, _, row in COMMANDS
        if state in {"processing", "approved"}  # both are the status "processing"
    }
    for persona, actions in offered.items():
        expected = {action for action, row in processing_rows.items() if row[persona] == 200}
        # stopping and withdrawal are allowed from processing too but their rows use a received dossier.
        assert actions - {"request_stop", "stop", "withdraw"} == expected, persona


@pytest.mark.parametrize("state", STATES.keys())
def test_can_see_one_dossier_agrees_with_the_visible_list(world: Any, state: str) -> None:
    """`dossier_for` decides on one loaded dossier (`can_see`); lists filter in SQL
    (`dossiers_visible_to`): both must give the same answer for every persona."""
    from motcua.dossiers.selectors import can_see, dossiers_visible_to
    from motcua.organizations.actors import ANONYMOUS

    dossier = STATES[state](world)
    for persona in PERSONAS:
        actor = ANONYMOUS if persona == "anonymous" else getattr(world, persona)
        listed = dossiers_visible_to(actor).filter(pk=dossier.pk).exists()
        assert can_see(actor, dossier) == listed, (state, persona)
