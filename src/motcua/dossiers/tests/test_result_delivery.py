"""How the applicant receives the result (Decree 118/2025 Art. 22): at the counter, by public
post to an address, or online; chosen and changed until the result is returned, recorded as an
event, and followed when the one-stop unit returns the result."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from motcua.api.tests.support import assert_error, session_client
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.selectors import delivery_choice_of
from motcua.dossiers.tests.states import ACT_AT, T0, dossier_in, snapshot, vn
from motcua.dossiers.tests.test_services import _procedure
from motcua.lib.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from motcua.testing.world import World

pytestmark = pytest.mark.django_db

ADDRESS = "12 Trần Phú, phường Ba Đình, Hà Nội"


def _processing(world: World) -> Dossier:
    dossier = dossier_in(world, Status.PROCESSING)
    assert dossier is not None
    return dossier


def _received_of(world: World, code: str, **flags: Any) -> Dossier:
    """A dossier received at T0 of a procedure with the given result flags."""
    version = _procedure(world, code, **flags)
    dossier = ds.dossier_register(
        actor=world.reception,
        version=version,
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        components=[],
        at=T0,
    )
    return world.refresh(dossier)


def test_the_applicant_chooses_the_post_and_the_result_is_returned_that_way(world: World) -> None:
    dossier = _processing(world)
    assert delivery_choice_of(dossier) is None

    event = ds.dossier_choose_delivery(
        dossier=dossier,
        actor=world.citizen,
        delivery="post",
        address="  12 Trần Phú,\n phường Ba Đình,  Hà Nội ",
        at=ACT_AT,
    )

    assert (event.action, event.from_status, event.to_status, event.actor_role) == (
        "choose_delivery",
        "processing",
        "processing",
        "applicant",
    )
    assert event.data == {"delivery": "post", "address": ADDRESS}
    dossier = world.refresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert dossier.result_delivery == ""  # how it was delivered is written when it is returned
    assert delivery_choice_of(dossier) == {"delivery": "post", "address": ADDRESS, "at": ACT_AT, "by_applicant": True}

    ds.dossier_finish(dossier=dossier, actor=world.leader, at=ACT_AT + timedelta(hours=1))
    ds.dossier_return_result(dossier=world.refresh(dossier), actor=world.reception, at=ACT_AT + timedelta(hours=2))
    returned = world.refresh(dossier)
    assert (returned.status, returned.result_delivery) == (Status.RETURNED, "post")
    assert DossierEvent.objects.get(dossier=dossier, action="return_result").data["delivery"] == "post"


def test_the_latest_choice_counts_and_the_counter_may_record_one(world: World) -> None:
    dossier = _processing(world)
    ds.dossier_choose_delivery(dossier=dossier, actor=world.citizen, delivery="post", address=ADDRESS, at=ACT_AT)
    later = ACT_AT + timedelta(minutes=30)
    ds.dossier_choose_delivery(dossier=world.refresh(dossier), actor=world.reception, delivery="in_person", at=later)

    choice = delivery_choice_of(world.refresh(dossier))
    assert choice == {"delivery": "in_person", "address": "", "at": later, "by_applicant": False}


def test_a_choice_made_once_the_result_is_ready_is_still_taken(world: World) -> None:
    dossier = dossier_in(world, Status.PROCESSED)
    assert dossier is not None
    ds.dossier_choose_delivery(dossier=dossier, actor=world.citizen, delivery="post", address=ADDRESS, at=ACT_AT)
    ds.dossier_return_result(dossier=world.refresh(dossier), actor=world.reception, at=ACT_AT + timedelta(hours=1))
    assert world.refresh(dossier).result_delivery == "post"


def test_the_officer_returning_the_result_may_say_otherwise(world: World) -> None:
    dossier = dossier_in(world, Status.PROCESSED)
    assert dossier is not None
    ds.dossier_choose_delivery(dossier=dossier, actor=world.citizen, delivery="post", address=ADDRESS, at=ACT_AT)
    ds.dossier_return_result(
        dossier=world.refresh(dossier), actor=world.reception, delivery="in_person", at=ACT_AT + timedelta(hours=1)
    )
    assert world.refresh(dossier).result_delivery == "in_person"


def test_without_a_choice_the_result_is_returned_at_the_counter(world: World) -> None:
    dossier = dossier_in(world, Status.PROCESSED)
    assert dossier is not None
    ds.dossier_return_result(dossier=dossier, actor=world.reception, at=ACT_AT)
    assert world.refresh(dossier).result_delivery == "in_person"


@pytest.mark.parametrize(
    ("delivery", "address", "code"),
    [
        ("post", "", "address_required"),
        ("post", "   \n ", "address_required"),
        ("post", "x" * 501, "address_too_long"),
        ("pigeon", "", "invalid_delivery_choice"),
        ("", "", "invalid_delivery_choice"),
        # The world's procedure requires a paper result: no electronic one.
        ("online", "", "delivery_not_offered"),
    ],
)
def test_a_bad_choice_is_refused_and_nothing_is_stored(world: World, delivery: str, address: str, code: str) -> None:
    dossier = _processing(world)
    before = snapshot(dossier.pk)

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_choose_delivery(dossier=dossier, actor=world.citizen, delivery=delivery, address=address, at=ACT_AT)

    assert caught.value.code == code
    assert snapshot(dossier.pk) == before


def test_the_procedure_decides_which_ways_are_offered(world: World) -> None:
    assert ds.delivery_options(world.procedure) == ["in_person", "post"]
    paperless = _received_of(world, "2.000901", requires_paper_result=False)
    no_post = _received_of(world, "2.000902", postal_allowed=False)
    assert ds.delivery_options(paperless.procedure_version) == ["in_person", "post", "online"]
    assert ds.delivery_options(no_post.procedure_version) == ["in_person"]

    ds.dossier_choose_delivery(dossier=paperless, actor=world.citizen, delivery="online", address=ADDRESS, at=ACT_AT)
    assert delivery_choice_of(world.refresh(paperless)) == {
        "delivery": "online",
        "address": "",  # an address is kept only for the post
        "at": ACT_AT,
        "by_applicant": True,
    }
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_choose_delivery(dossier=no_post, actor=world.citizen, delivery="post", address=ADDRESS, at=ACT_AT)
    assert caught.value.code == "delivery_not_offered"
    assert caught.value.details == {"options": ["in_person"]}


def test_once_the_result_is_returned_the_choice_is_refused(world: World) -> None:
    dossier = dossier_in(world, Status.RETURNED)
    assert dossier is not None
    before = snapshot(dossier.pk)

    with pytest.raises(TransitionNotAllowed) as caught:
        ds.dossier_choose_delivery(dossier=dossier, actor=world.citizen, delivery="post", address=ADDRESS, at=ACT_AT)

    assert (caught.value.code, caught.value.http_status) == ("result_returned", 409)
    assert snapshot(dossier.pk) == before


@pytest.mark.parametrize("status", [Status.REFUSED, Status.WITHDRAWN, Status.STOPPED])
def test_a_dossier_ended_without_result_has_nothing_to_receive(world: World, status: Status) -> None:
    dossier = dossier_in(world, status)
    assert dossier is not None
    with pytest.raises(TransitionNotAllowed) as caught:
        ds.dossier_choose_delivery(dossier=dossier, actor=world.citizen, delivery="in_person", at=ACT_AT)
    assert caught.value.code == "transition_not_allowed"


@pytest.mark.parametrize("persona", ["other_citizen", "specialist", "leader", "outsider"])
def test_only_the_applicant_and_the_one_stop_unit_choose(world: World, persona: str) -> None:
    dossier = _processing(world)
    before = snapshot(dossier.pk)
    with pytest.raises(PermissionDenied):
        ds.dossier_choose_delivery(dossier=dossier, actor=getattr(world, persona), delivery="in_person", at=ACT_AT)
    assert snapshot(dossier.pk) == before


def test_the_api_records_the_choice_and_refuses_a_missing_address(world: World) -> None:
    dossier = _processing(world)
    client = session_client(world.citizen)
    url = f"/api/v1/dossiers/{dossier.code}/choose_delivery"

    missing = client.post(url, {"expected_version": dossier.row_version, "delivery": "post"}, "application/json")
    assert_error(missing, 422, "address_required")
    done = client.post(
        url, {"expected_version": dossier.row_version, "delivery": "post", "address": ADDRESS}, "application/json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["event"]["action"] == "choose_delivery"
    assert delivery_choice_of(world.refresh(dossier))["address"] == ADDRESS  # type: ignore[index]


def test_public_tracking_gives_no_appointment_once_the_dossier_is_refused(world: World) -> None:
    dossier = _processing(world)
    assert Client().get(f"/api/v1/dossiers/{dossier.code}/track").json()["appointment_at"] is not None
    ds.dossier_refuse(dossier=dossier, actor=world.specialist, reason="Không đủ điều kiện", at=vn(2026, 6, 2, 9))

    tracked = Client().get(f"/api/v1/dossiers/{dossier.code}/track").json()
    assert (tracked["status"], tracked["appointment_at"]) == ("refused", None)
