"""Receipts outside the receiving agency's working hours need the officer's reason, kept on the
event (docs/legal-basis.md#receipts-outside-working-hours): at the counter, by post and for an
online dossier, for one returned for completion and for a supplement accepted with its new
Form 01, through the services, the API and the pages."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.urls import reverse

from motcua.api.tests.support import session_client
from motcua.calendars.services import clear_cache
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.tests.states import vn
from motcua.dossiers.workflow import Action
from motcua.lib.errors import InvalidInput
from motcua.organizations.services import agency_update
from motcua.testing.world import World

#: Monday 01/6/2026: 07:30 before opening, 12:30 at lunch, 17:00 at closing, Saturday 06/6.
OUTSIDE = [vn(2026, 6, 1, 7, 30), vn(2026, 6, 1, 12, 30), vn(2026, 6, 1, 17, 0), vn(2026, 6, 6, 9, 0)]


@pytest.mark.parametrize("at", OUTSIDE, ids=["before-opening", "lunch", "closing", "saturday"])
def test_a_counter_receipt_outside_working_hours_is_refused_without_a_reason(world: World, at: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.register(at=at)

    assert caught.value.code == "outside_working_hours"
    assert not Dossier.objects.exists()


def test_a_counter_receipt_outside_working_hours_keeps_the_officers_reason_on_the_event(world: World) -> None:
    dossier = world.register(at=vn(2026, 6, 1, 17, 20), outside_hours_reason="  Người dân đến trước giờ đóng cửa ")

    event = DossierEvent.objects.get(dossier=dossier, action="receive")
    assert event.data["outside_hours_reason"] == "Người dân đến trước giờ đóng cửa"
    assert event.form == "01"


def test_a_receipt_inside_working_hours_needs_no_reason_and_stores_none(world: World) -> None:
    dossier = world.register(at=vn(2026, 6, 1, 8, 0))

    assert "outside_hours_reason" not in DossierEvent.objects.get(dossier=dossier, action="receive").data


def test_receiving_an_online_dossier_at_night_needs_a_reason(world: World) -> None:
    dossier = world.submit(at=vn(2026, 6, 1, 20, 0))  # filing online at night is fine

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 1, 21, 0))
    assert caught.value.code == "outside_working_hours"

    event = ds.dossier_receive(
        dossier=world.refresh(dossier), actor=world.reception, outside_hours_reason="Trực tối", at=vn(2026, 6, 1, 21)
    )
    assert event.data["outside_hours_reason"] == "Trực tối"


def test_the_receiving_agencys_own_working_hours_decide(world: World) -> None:
    agency_update(agency=world.centre, changes={"working_hours": [["07:00", "11:30"], ["13:30", "20:00"]]})
    clear_cache()

    dossier = world.register(at=vn(2026, 6, 1, 19, 0))  # inside this centre's evening hours

    assert world.refresh(dossier).status == Status.RECEIVED
    with pytest.raises(InvalidInput):
        world.register(at=vn(2026, 6, 1, 12, 0))


def test_the_api_refuses_then_takes_the_reason(world: World) -> None:
    body = {
        "procedure": world.procedure.procedure.code,
        "channel": "counter",
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "components": [{"name": d.name, "required_document_id": d.pk} for d in world.procedure.documents.all()],
    }
    client = session_client(world.reception)
    with time_machine.travel(vn(2026, 6, 1, 18, 0), tick=False):
        refused = client.post("/api/v1/dossiers", body, content_type="application/json")
        taken = client.post(
            "/api/v1/dossiers",
            {**body, "outside_hours_reason": "Hồ sơ bưu chính đến muộn"},
            content_type="application/json",
        )

    assert refused.status_code == 422, refused.content
    assert refused.json()["code"] == "outside_working_hours"
    assert taken.status_code == 201, taken.content
    receive = next(e for e in taken.json()["events"] if e["action"] == "receive")
    assert receive["data"]["outside_hours_reason"] == "Hồ sơ bưu chính đến muộn"


def test_the_workspace_receive_form_asks_for_the_reason_outside_hours(world: World) -> None:
    dossier = world.submit(at=vn(2026, 6, 1, 20, 0))
    client = session_client(world.reception)
    url = reverse("portal:office-act", args=[dossier.code, "receive"])
    data = {"version": "1", "receive-checked": [c.name for c in dossier.components.all()]}
    with time_machine.travel(vn(2026, 6, 1, 21, 0), tick=False):
        page = client.get(reverse("portal:office-dossier", args=[dossier.code]))
        refused = client.post(url, data)
        assert world.refresh(dossier).status == Status.SUBMITTED
        taken = client.post(url, {**data, "receive-outside_hours_reason": "Trực tối"})

    assert 'name="receive-outside_hours_reason"' in page.content.decode()
    assert refused.status_code == 422
    assert "outside the agency" in refused.content.decode() or "ngoài giờ" in refused.content.decode()
    assert taken.status_code == 302
    assert world.refresh(dossier).status == Status.RECEIVED
    event = DossierEvent.objects.get(dossier=dossier, action="receive")
    assert event.data["outside_hours_reason"] == "Trực tối"


def test_receiving_at_night_a_dossier_returned_for_completion_needs_a_reason(world: World) -> None:
    papers = world.papers()
    returned = ds.dossier_register_not_received(
        actor=world.reception,
        version=world.procedure,
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        action=Action.RETURN_FOR_COMPLETION,
        items=[papers[1].name],
        components=papers[:1],
        at=vn(2026, 6, 1, 9, 0),
    )

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_receive(
            dossier=world.refresh(returned), actor=world.reception, components=papers[1:], at=vn(2026, 6, 1, 19)
        )
    assert caught.value.code == "outside_working_hours"
    assert world.refresh(returned).status == Status.RETURNED_FOR_COMPLETION

    event = ds.dossier_receive(
        dossier=world.refresh(returned),
        actor=world.reception,
        components=papers[1:],
        outside_hours_reason="Người dân bổ sung sau giờ làm việc",
        at=vn(2026, 6, 1, 19),
    )
    assert (event.form, event.data["outside_hours_reason"]) == ("01", "Người dân bổ sung sau giờ làm việc")


def _supplement_handed_in(world: World) -> Dossier:
    dossier = world.register(at=vn(2026, 6, 1, 8, 0))
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 1, 9))
    ds.dossier_request_supplement(
        dossier=world.refresh(dossier), actor=world.specialist, reason="Thiếu", items=["Tờ khai"], at=vn(2026, 6, 1, 10)
    )
    ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen, note="Đã bổ sung", at=vn(2026, 6, 1, 20))
    return world.refresh(dossier)


def test_accepting_a_supplement_at_night_is_a_receipt_and_needs_a_reason(world: World) -> None:
    dossier = _supplement_handed_in(world)

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_accept_supplement(dossier=dossier, actor=world.reception, at=vn(2026, 6, 1, 21))
    assert caught.value.code == "outside_working_hours"
    assert world.refresh(dossier).status == Status.SUPPLEMENT_SUBMITTED

    event = ds.dossier_accept_supplement(
        dossier=world.refresh(dossier), actor=world.reception, outside_hours_reason="Trực tối", at=vn(2026, 6, 1, 21)
    )
    assert (event.form, event.data["outside_hours_reason"]) == ("01", "Trực tối")
    inside = _supplement_handed_in(world)
    accepted = ds.dossier_accept_supplement(dossier=inside, actor=world.reception, at=vn(2026, 6, 2, 9))
    assert "outside_hours_reason" not in accepted.data


def test_the_api_accepts_a_supplement_at_night_only_with_the_reason(world: World) -> None:
    dossier = _supplement_handed_in(world)
    client = session_client(world.reception)
    url = f"/api/v1/dossiers/{dossier.code}/accept_supplement"
    with time_machine.travel(vn(2026, 6, 1, 21, 0), tick=False):
        refused = client.post(url, {"expected_version": dossier.row_version}, content_type="application/json")
        taken = client.post(
            url,
            {"expected_version": dossier.row_version, "outside_hours_reason": "Trực tối"},
            content_type="application/json",
        )

    assert (refused.status_code, refused.json()["code"]) == (422, "outside_working_hours")
    assert taken.status_code == 200, taken.content
    assert taken.json()["event"]["data"]["outside_hours_reason"] == "Trực tối"
