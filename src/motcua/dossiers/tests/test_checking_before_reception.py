"""Checking before receiving, supplements that go back to an officer, and the province's limit
for asking (docs/legal-basis.md#checking-before-receiving, #supplements-during-processing).

Everything goes through the services the pages and the API call; the clock is pinned to the
plain working week of `states.py` (Monday 01/6/2026).
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers import services as ds
from motcua.dossiers.models import ClockPause, Dossier, DossierEvent, Status
from motcua.dossiers.tests.states import T0, snapshot, vn
from motcua.dossiers.workflow import Action
from motcua.lib.errors import Conflict, InvalidInput
from motcua.testing.world import World


def _at_counter(world: World, action: Action, **kwargs: Any) -> Dossier:
    return ds.dossier_register_not_received(
        actor=world.reception,
        version=world.procedure,
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        action=action,
        at=T0,
        **kwargs,
    )


# ------------------------------------------------------------------ at the counter


def test_a_counter_dossier_returned_for_completion_is_kept_with_form_02_and_no_clock(world: World) -> None:
    papers = world.papers()[:1]  # the declaration only: the ID copy is missing
    dossier = _at_counter(world, Action.RETURN_FOR_COMPLETION, items=["Bản chụp giấy tờ tùy thân"], components=papers)

    dossier = world.refresh(dossier)
    assert dossier.code.startswith(world.centre.code)
    assert dossier.status == Status.RETURNED_FOR_COMPLETION
    assert (dossier.received_at, dossier.clock_started_at, dossier.appointment_at, dossier.due_at) == (
        None,
        None,
        None,
        None,
    )
    assert not ClockPause.objects.filter(dossier_id=dossier.pk).exists()
    [event] = DossierEvent.objects.filter(dossier_id=dossier.pk)
    assert (event.action, event.form, event.data["received"]) == ("return_for_completion", "02", False)
    assert event.data["form"]["items"] == ["Bản chụp giấy tờ tùy thân"]
    assert [c.name for c in dossier.components.all()] == [papers[0].name]


def test_a_dossier_returned_at_the_counter_is_received_only_with_every_paper(world: World) -> None:
    papers = world.papers()
    dossier = _at_counter(world, Action.RETURN_FOR_COMPLETION, items=["Bản chụp CCCD"], components=papers[:1])
    before = snapshot(dossier.pk)

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 2, 9))
    assert caught.value.code == "documents_missing"
    assert snapshot(dossier.pk) == before

    event = ds.dossier_receive(
        dossier=world.refresh(dossier), actor=world.reception, components=papers[1:], at=vn(2026, 6, 2, 9)
    )
    dossier = world.refresh(dossier)
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == vn(2026, 6, 2, 9)  # the clock starts now, not when it was first seen
    assert [c["name"] for c in event.data["form"]["components"]] == [p.name for p in papers]


def test_a_counter_refusal_needs_its_reasons_and_is_kept_unreceived(world: World) -> None:
    before = snapshot(None)
    with pytest.raises(InvalidInput) as caught:
        _at_counter(world, Action.REFUSE, reason="   ")
    assert caught.value.code == "reason_required"
    assert snapshot(None) == before

    dossier = world.refresh(_at_counter(world, Action.REFUSE, reason="Không thuộc thẩm quyền của tỉnh"))

    assert (dossier.status, dossier.received_at, dossier.due_at) == (Status.REFUSED, None, None)
    event = dossier.events.get()
    assert (event.form, event.reason, event.data["received"]) == ("03", "Không thuộc thẩm quyền của tỉnh", False)
    assert event.data["form"]["reasons"] == "Không thuộc thẩm quyền của tỉnh"


def test_a_counter_dossier_returned_for_completion_needs_its_numbered_list(world: World) -> None:
    before = snapshot(None)
    with pytest.raises(InvalidInput) as caught:
        _at_counter(world, Action.RETURN_FOR_COMPLETION, items=["  "])
    assert caught.value.code == "supplement_items_required"
    assert snapshot(None) == before


# ------------------------------------------------------------------ supplements during processing


def _processing(world: World) -> Dossier:
    """Received Mon 01/6 09:00, at Sở Tư pháp since 09:30 (due Mon 15/6 09:00)."""
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=vn(2026, 6, 1, 9, 30))
    return world.refresh(dossier)


def _ask(world: World, dossier: Dossier, at: Any) -> DossierEvent:
    return ds.dossier_request_supplement(
        dossier=world.refresh(dossier), actor=world.specialist, reason="Thiếu", items=["Bản sao chứng thực"], at=at
    )


def test_the_agency_asks_within_two_working_days_and_the_unit_notifies_within_one_more(world: World) -> None:
    dossier = _processing(world)
    # Reached Mon 01/6 09:30: two working days end Wed 03/6 09:30; one more, Thu 04/6 09:30.
    before = snapshot(dossier.pk)
    with pytest.raises(Conflict) as caught:
        _ask(world, dossier, vn(2026, 6, 3, 9, 31))
    assert caught.value.code == "supplement_request_too_late"
    assert caught.value.details["ask_by"] == "2026-06-03T09:30:00+07:00"
    assert snapshot(dossier.pk) == before

    event = _ask(world, dossier, vn(2026, 6, 3, 9, 30))

    assert event.data["ask_by"] == "2026-06-03T09:30:00+07:00"
    assert event.data["notify_by"] == "2026-06-04T09:30:00+07:00"
    assert (event.data["request_number"], event.data["late_for_indicators"]) == (1, False)


def test_the_limit_follows_the_settings(world: World, settings: Any) -> None:
    settings.SUPPLEMENT_REQUEST_WORKING_DAYS = 1
    dossier = _processing(world)
    with pytest.raises(Conflict) as caught:
        _ask(world, dossier, vn(2026, 6, 2, 10))
    assert caught.value.details["ask_by"] == "2026-06-02T09:30:00+07:00"


def test_a_supplement_handed_in_goes_to_an_officer_who_may_ask_once_more_marked_late(world: World) -> None:
    dossier = _processing(world)
    _ask(world, dossier, vn(2026, 6, 1, 10))
    ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen, at=vn(2026, 6, 2, 9))
    assert world.refresh(dossier).status == Status.SUPPLEMENT_SUBMITTED

    # The window of the second request counts from the supplement's arrival (Tue 02/6 09:00).
    second = _ask(world, dossier, vn(2026, 6, 4, 8, 30))

    assert (second.from_status, second.to_status) == (Status.SUPPLEMENT_SUBMITTED, Status.SUPPLEMENT_REQUESTED)
    assert (second.data["request_number"], second.data["late_for_indicators"]) == (2, True)
    assert world.refresh(dossier).late_by_supplement is True
    ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen, at=vn(2026, 6, 4, 10))
    before = snapshot(dossier.pk)
    with pytest.raises(Conflict) as caught:
        _ask(world, dossier, vn(2026, 6, 4, 11))
    assert caught.value.code == "supplement_limit_reached"
    assert snapshot(dossier.pk) == before


def _accepted(world: World) -> tuple[Dossier, DossierEvent]:
    dossier = _processing(world)
    _ask(world, dossier, vn(2026, 6, 2, 10))
    ds.dossier_resubmit(
        dossier=world.refresh(dossier),
        actor=world.citizen,
        components=[ds.ComponentIn(name="Bản chụp giấy tờ tùy thân")],  # handed in again
        at=vn(2026, 6, 4, 11),
    )
    event = ds.dossier_accept_supplement(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 4, 14))
    return world.refresh(dossier), event


def test_an_accepted_supplement_gives_a_new_form_01_with_the_paused_due_by_default(world: World) -> None:
    dossier, event = _accepted(world)

    assert dossier.status == Status.PROCESSING
    # Paused Tue 02/6 10:00 – Thu 04/6 11:00 (17 working hours): due Mon 15/6 09:00 → Wed 17/6 10:00.
    assert dossier.due_at == vn(2026, 6, 17, 10)
    assert dossier.appointment_at == vn(2026, 6, 15, 9)  # the first receipt's, for indicator 2.1
    form = event.data["form"]
    assert (event.form, event.data["clock"]) == ("01", "pause")
    assert form["appointment_at"] == "2026-06-17T10:00:00+07:00"
    assert form["received_at"] == "2026-06-04T14:00:00+07:00"
    assert form["first_received_at"] == "2026-06-01T09:00:00+07:00"
    assert form["receiver"] == world.reception.name
    names = [c["name"] for c in form["components"]]
    assert (
        sorted(names)
        == sorted(set(names))
        == ["Bản chụp giấy tờ tùy thân", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"]
    )


def test_with_the_restart_setting_the_whole_time_limit_counts_again_from_the_acceptance(
    world: World, settings: Any
) -> None:
    settings.SUPPLEMENT_CLOCK = "restart"

    dossier, event = _accepted(world)

    # 10 working days (80 h) from Thu 04/6 14:00: 3 h, 5/6 8 h (11), 8–12/6 40 h (51),
    # 15–17/6 24 h (75), 5 h on Thu 18/6 → 14:00.
    assert dossier.due_at == vn(2026, 6, 18, 14)
    assert event.data["form"]["appointment_at"] == "2026-06-18T14:00:00+07:00"
    assert event.data["clock"] == "restart"
