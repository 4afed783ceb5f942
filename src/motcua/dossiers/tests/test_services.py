"""The rules the dossier commands apply: deadlines, forms, supplements, hand-overs, apologies,
approval, payment, stop and withdrawal, commune procedures, channels and e-forms.

Every expected instant below is counted by hand on the 2026 calendar (Labor Code 2019
Art. 112 holidays plus 24/11 Vietnam Cultural Day, Resolution 80-NQ/TW) with office hours
08:00–12:00 and 13:00–17:00 and the 15:00 cut-off of Decree 63/2024 Art. 7.2.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import FeeSpec, VersionSpec, procedure_create, procedure_version_publish
from motcua.dossiers import services as ds
from motcua.dossiers.models import (
    Channel,
    ClockPause,
    Dossier,
    DossierEvent,
    Handover,
    HandoverResult,
    PauseKind,
    Status,
)
from motcua.dossiers.selectors import late_apologies
from motcua.dossiers.tests.states import T0, dossier_in, snapshot, vn
from motcua.lib.errors import Conflict, InvalidInput, PermissionDenied
from motcua.testing.world import World

#: The papers the test procedure lists, as Form 01 prints them (the world files them all).
PAPERS = [
    {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "copies": 1},
    {"name": "Bản chụp giấy tờ tùy thân", "copies": 1},
]


def _events(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier_id=dossier.pk).order_by("seq"))


def _procedure(world: Any, code: str, **overrides: Any) -> ProcedureVersion:
    """A published 10-working-day procedure of Sở Tư pháp with one 50,000 VND fee."""
    values: dict[str, Any] = {
        "name": f"Thủ tục thử {code}",
        "field": world.procedure.field,
        "time_limit_amount": 10,
        "time_limit_unit": "working_days",
        "competent_agency": world.justice,
        "online_level": "full",
        "fees": [FeeSpec(name="Lệ phí", amount_vnd=50_000)],
    }
    values.update(overrides)
    version = procedure_create(code=code, spec=VersionSpec(**values))
    procedure_version_publish(
        version=version, decision_number="9/QĐ-UBND", decision_date=date(2025, 7, 1), effective_date=date(2025, 7, 1)
    )
    return ProcedureVersion.objects.select_related("procedure", "competent_agency").get(pk=version.pk)


def _processing(world: World) -> Dossier:
    """Received Mon 01/6/2026 09:00 (due Mon 15/6 09:00), at Sở Tư pháp's review step since 09:30."""
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=vn(2026, 6, 1, 9, 30))
    return world.refresh(dossier)


# ------------------------------------------------------------------ receipt and Form 01


@pytest.mark.parametrize(
    ("received", "clock_start", "due"),
    [
        # Mon 23/11 16:00 is after the cut-off; Tue 24/11 is Vietnam Cultural Day, so the clock
        # starts Wed 25/11 08:00. Working days: 25, 26, 27/11 (3), 30/11–4/12 (8), 7/12 (9), 8/12 (10).
        (vn(2026, 11, 23, 16), vn(2026, 11, 25, 8), vn(2026, 12, 8, 17)),
        # Exactly 15:00 is already "after 15:00" for the clock: same as above.
        (vn(2026, 11, 23, 15), vn(2026, 11, 25, 8), vn(2026, 12, 8, 17)),
        # Mon 23/11 10:00: 6 h that day, 24/11 off, 25–27/11 24 h (30), 30/11–4/12 40 h (70),
        # 7/12 8 h (78), 2 h on 8/12 → 10:00.
        (vn(2026, 11, 23, 10), vn(2026, 11, 23, 10), vn(2026, 12, 8, 10)),
        # 14:59 counts from receipt: 2 h 01 on 23/11, … 74 h 01 after 7/12, 5 h 59 on 8/12 → 14:59.
        (vn(2026, 11, 23, 14, 59), vn(2026, 11, 23, 14, 59), vn(2026, 12, 8, 14, 59)),
        # Fri 20/11 16:00: next working day Mon 23/11; 23/11 (1), 25–27/11 (4), 30/11–4/12 (9), 7/12 (10).
        (vn(2026, 11, 20, 16), vn(2026, 11, 23, 8), vn(2026, 12, 7, 17)),
    ],
    ids=["after-cutoff-before-holiday", "at-cutoff", "morning", "one-minute-before-cutoff", "friday-evening"],
)
def test_receipt_sets_the_appointment_from_ten_working_days_and_the_cutoff(
    world: Any, received: Any, clock_start: Any, due: Any
) -> None:
    with time_machine.travel(received, tick=False):
        dossier = world.register()

    dossier = world.refresh(dossier)
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == received
    assert dossier.clock_started_at == clock_start
    assert dossier.appointment_at == due
    assert dossier.due_at == due


def test_the_receipt_explains_the_cultural_day_it_skipped(world: Any) -> None:
    dossier = world.register(at=vn(2026, 11, 23, 16))
    explanation = _events(dossier)[0].data["form"]["due_explanation"]
    assert any("15:00" in line and "25/11/2026" in line for line in explanation), explanation
    assert any("24/11/2026" in line and "Cultural Day" in line for line in explanation), explanation


def test_form_01_carries_the_code_the_applicant_and_the_appointment(world: Any) -> None:
    dossier = world.register(at=vn(2026, 11, 23, 16), authorised_person={"name": "Lê Văn Cường"}, sets=2)

    [event] = _events(dossier)
    assert event.form == "01"
    form = event.data["form"]
    assert form["dossier_code"] == dossier.code == "H99.01-261123-0001"
    # The tracking book numbers its entries itself (documents.tracking): no daily number here.
    assert "entry_no" not in form
    assert form["applicant"] == {
        "name": "Nguyễn Văn An",
        "id_number": "001090123456",
        "address": "Phường An Bình",
        "phone": "0912345678",
        "email": "an@example.vn",
    }
    assert form["authorised_person"] == {"name": "Lê Văn Cường"}
    assert form["procedure_code"] == "2.000488"
    assert form["matter"] == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert form["components"] == PAPERS
    assert form["sets"] == 2
    assert form["time_limit"] == {"amount": 10, "unit": "working_days"}
    assert form["received_at"] == "2026-11-23T16:00:00+07:00"
    assert form["appointment_at"] == "2026-12-08T17:00:00+07:00"
    assert form["receiving_unit"] == form["result_place"] == "Trung tâm Phục vụ hành chính công tỉnh"
    assert form["receiver"] == "Lê Thu Hà"


def test_receiving_an_online_dossier_lists_the_papers_filed_online_on_form_01(world: Any) -> None:
    dossier = world.submit(at=vn(2026, 6, 1, 8, 30))
    assert dossier.received_at is None
    assert dossier.due_at is None

    event = ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 1, 9))

    assert event.form == "01"
    assert event.data["form"]["components"] == PAPERS
    dossier = world.refresh(dossier)
    assert dossier.submitted_at == vn(2026, 6, 1, 8, 30)
    assert dossier.received_at == vn(2026, 6, 1, 9)
    assert dossier.due_at == dossier.appointment_at == vn(2026, 6, 15, 9)


# ------------------------------------------------------------------ supplements (Form 02)


def test_form_02_at_reception_is_issued_once_and_never_receives_or_pauses(world: Any) -> None:
    dossier = world.submit(at=T0)
    event = ds.dossier_return_for_completion(
        dossier=world.refresh(dossier), actor=world.reception, items=["CCCD", " CCCD "], at=vn(2026, 6, 1, 10)
    )
    assert (event.form, event.to_status, event.data["phase"]) == ("02", Status.RETURNED_FOR_COMPLETION, "intake")
    assert event.data["form"]["items"] == ["CCCD"]  # each item once
    assert not ClockPause.objects.filter(dossier_id=dossier.pk).exists()  # no clock runs, none stops
    ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen, at=vn(2026, 6, 2, 9))
    dossier = world.refresh(dossier)
    assert (dossier.status, dossier.received_at, dossier.due_at) == (Status.SUBMITTED, None, None)
    before = snapshot(dossier.pk)

    with pytest.raises(Conflict) as caught:
        ds.dossier_return_for_completion(
            dossier=dossier, actor=world.reception, items=["Tờ khai có chữ ký"], at=vn(2026, 6, 2, 10)
        )

    assert caught.value.code == "supplement_already_requested"
    assert snapshot(dossier.pk) == before


def test_a_return_before_reception_does_not_count_as_a_supplement_request(world: Any) -> None:
    dossier = world.submit(at=T0)
    ds.dossier_return_for_completion(dossier=dossier, actor=world.reception, items=["CCCD"], at=vn(2026, 6, 1, 10))
    ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen, at=vn(2026, 6, 2, 9))
    ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 2, 9, 30))
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 2, 10))

    event = ds.dossier_request_supplement(
        items=["Bản sao chứng thực"],
        dossier=world.refresh(dossier),
        actor=world.specialist,
        reason="Cần bản sao chứng thực",
        at=vn(2026, 6, 3, 9),
    )

    assert (event.data["phase"], event.data["late_for_indicators"], event.data["request_number"]) == (
        "processing",
        False,
        1,
    )
    dossier = world.refresh(dossier)
    assert (dossier.supplement_count, dossier.intake_supplement_count, dossier.late_by_supplement) == (1, 1, False)


def test_a_single_supplement_during_processing_does_not_make_the_dossier_late(world: Any) -> None:
    dossier = _processing(world)

    event = ds.dossier_request_supplement(
        items=["Tờ khai có chữ ký"],
        dossier=dossier,
        actor=world.specialist,
        reason="Cần bản sao",
        at=vn(2026, 6, 2, 10),
    )

    assert event.data["late_for_indicators"] is False
    dossier = world.refresh(dossier)
    assert (dossier.supplement_count, dossier.intake_supplement_count, dossier.late_by_supplement) == (1, 0, False)


def test_resubmission_pushes_the_due_instant_by_the_paused_working_time_but_not_the_appointment(world: Any) -> None:
    dossier = _processing(world)
    assert dossier.due_at == dossier.appointment_at == vn(2026, 6, 15, 9)
    # Step "review" (6 working days) from Mon 01/6 09:30: 6.5 h + 2–5/6 32 h + 8/6 8 h + 1.5 h → Tue 09/6 09:30.
    assert dossier.step_due_at == vn(2026, 6, 9, 9, 30)

    ds.dossier_request_supplement(
        items=["Tờ khai có chữ ký"], dossier=dossier, actor=world.specialist, reason="Thiếu", at=vn(2026, 6, 2, 10)
    )
    ds.dossier_resubmit(dossier=dossier, actor=world.citizen, note="Đã bổ sung", at=vn(2026, 6, 4, 11))

    dossier = world.refresh(dossier)
    assert dossier.status == Status.SUPPLEMENT_SUBMITTED  # an officer checks it before it goes on
    # Paused Tue 02/6 10:00 – Thu 04/6 11:00: 6 h + 8 h + 3 h = 17 working hours.
    # Due Mon 15/6 09:00 + 17 h: 7 h on 15/6, 8 h on 16/6, 2 h on 17/6 → Wed 17/6 10:00.
    assert dossier.due_at == vn(2026, 6, 17, 10)
    assert dossier.appointment_at == vn(2026, 6, 15, 9)
    # Step due Tue 09/6 09:30 + 17 h: 6.5 h on 9/6, 8 h on 10/6, 2.5 h on 11/6 → Thu 11/6 10:30.
    assert dossier.step_due_at == vn(2026, 6, 11, 10, 30)
    assert dossier.paused_since is None
    assert dossier.status_before_pause == ""
    [pause] = ClockPause.objects.filter(dossier_id=dossier.pk)
    assert (pause.started_at, pause.ended_at, pause.during_intake) == (vn(2026, 6, 2, 10), vn(2026, 6, 4, 11), False)


def test_an_online_dossier_completed_before_reception_waits_for_an_officer_to_receive_it(world: Any) -> None:
    dossier = world.submit(at=vn(2026, 6, 1, 9))
    ds.dossier_return_for_completion(
        items=["Bản chụp CCCD"],
        dossier=world.refresh(dossier),
        actor=world.reception,
        reason="Thiếu CCCD",
        at=vn(2026, 6, 1, 10),
    )
    event = ds.dossier_resubmit(
        dossier=world.refresh(dossier),
        actor=world.citizen,
        components=[
            ds.ComponentIn(name="Bản chụp CCCD"),
            ds.ComponentIn(name="Bản chụp giấy tờ tùy thân"),  # handed in again
        ],
        at=vn(2026, 6, 3, 14),
    )
    dossier = world.refresh(dossier)
    assert (event.form, dossier.status, dossier.received_at, dossier.due_at) == ("", Status.SUBMITTED, None, None)

    receipt = ds.dossier_receive(dossier=dossier, actor=world.reception, at=vn(2026, 6, 3, 14, 30))

    dossier = world.refresh(dossier)
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == dossier.clock_started_at == vn(2026, 6, 3, 14, 30)
    # Wed 03/6 14:30: 2.5 h, 4–5/6 16 h, 8–12/6 40 h, 15–16/6 16 h (74.5), 5.5 h on 17/6 → 14:30.
    assert dossier.appointment_at == dossier.due_at == vn(2026, 6, 17, 14, 30)
    assert receipt.form == "01"
    assert receipt.data["form"]["receiver"] == world.reception.name
    # Every paper once, the one handed in again too.
    assert [c["name"] for c in receipt.data["form"]["components"]] == [
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "Bản chụp giấy tờ tùy thân",
        "Bản chụp CCCD",
    ]


# ------------------------------------------------------------------ hand-over (Form 06, liên thông)


@pytest.mark.parametrize(
    ("at", "result"),
    [
        (vn(2026, 6, 8, 10), HandoverResult.EARLY),  # a day before the step due (Tue 09/6 09:30)
        (vn(2026, 6, 9, 9), HandoverResult.ON_TIME),  # on the due day, before the due instant
        (vn(2026, 6, 9, 9, 30), HandoverResult.ON_TIME),  # at the due instant itself
        (vn(2026, 6, 9, 10), HandoverResult.LATE),  # after the due instant
    ],
    ids=["early", "on-time", "at-due-instant", "late"],
)
def test_a_hand_over_to_the_tax_step_moves_the_dossier_and_logs_the_result(world: Any, at: Any, result: str) -> None:
    dossier = _processing(world)
    assert dossier.current_agency_id == world.justice.pk
    assert dossier.current_step is not None
    assert dossier.current_step.key == "review"

    event = ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="tax", note="Xác định thuế", at=at)

    dossier = world.refresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert dossier.current_agency_id == world.tax.pk
    assert dossier.settling_agency_id == world.justice.pk
    assert dossier.current_step is not None
    assert dossier.current_step.key == "tax"
    assert dossier.step_started_at == at
    assert dossier.step_due_at == at + timedelta(days=1)  # 1 working day, each of these is a Mon–Thu
    assert event.data["to_agency"] == world.tax.pk
    start, handover = Handover.objects.filter(dossier_id=dossier.pk).order_by("at", "id")
    assert start.to_step is not None
    assert handover.from_step is not None
    assert handover.to_step is not None
    assert (start.from_agency_id, start.to_agency_id, start.to_step.key) == (
        world.centre.pk,
        world.justice.pk,
        "review",
    )
    assert handover.from_agency_id == world.justice.pk
    assert handover.to_agency_id == world.tax.pk
    assert (handover.from_step.key, handover.to_step.key) == ("review", "tax")
    assert handover.given_by_id == world.specialist.user_id
    assert handover.step_due_at == vn(2026, 6, 9, 9, 30)
    assert handover.at == at
    assert handover.result == result
    assert handover.note == "Xác định thuế"


def test_after_a_hand_over_to_tax_only_the_tax_specialist_can_work_the_step(world: Any) -> None:
    dossier = _processing(world)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="tax", at=vn(2026, 6, 2, 9))
    dossier = world.refresh(dossier)
    before = snapshot(dossier.pk)

    with pytest.raises(PermissionDenied):
        ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve", at=vn(2026, 6, 2, 10))
    with pytest.raises(PermissionDenied):
        ds.dossier_request_payment(dossier=dossier, actor=world.specialist, at=vn(2026, 6, 2, 10))
    assert snapshot(dossier.pk) == before

    event = ds.dossier_hand_over(dossier=dossier, actor=world.tax_specialist, to_step="approve", at=vn(2026, 6, 2, 11))

    assert (event.actor_role, event.actor_agency_id) == ("specialist", world.tax.pk)
    dossier = world.refresh(dossier)
    assert dossier.current_agency_id == world.justice.pk  # the approve step belongs to the settling agency
    assert dossier.current_step.key == "approve"
    with pytest.raises(PermissionDenied):
        ds.dossier_approve(dossier=dossier, actor=world.tax_specialist, at=vn(2026, 6, 2, 14))


def test_a_hand_over_refuses_a_step_that_does_not_follow(world: Any) -> None:
    dossier = _processing(world)
    before = snapshot(dossier.pk)
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="return", at=vn(2026, 6, 2, 9))
    assert caught.value.code == "step_not_next"
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="nowhere", at=vn(2026, 6, 2, 9))
    assert caught.value.code == "unknown_step"
    assert snapshot(dossier.pk) == before


# ------------------------------------------------------------------ apology (Form 04)


def test_an_apology_sets_a_new_due_date_once_and_keeps_the_appointment(world: Any) -> None:
    dossier = _processing(world)

    event = ds.dossier_apologise(
        dossier=dossier,
        actor=world.leader,
        reason="Chờ kết quả xác minh",
        new_due_at=vn(2026, 6, 19, 17),
        at=vn(2026, 6, 10, 10),
    )

    assert event.form == "04"
    assert event.data["form"]["original_appointment"] == "2026-06-15T09:00:00+07:00"
    assert event.data["form"]["new_due_at"] == "2026-06-19T17:00:00+07:00"
    assert event.data["form"]["signed_by"] == "Hoàng Văn Nam"
    dossier = world.refresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == vn(2026, 6, 19, 17)
    assert dossier.appointment_at == vn(2026, 6, 15, 9)
    assert dossier.reappointment_count == 1
    before = snapshot(dossier.pk)

    with pytest.raises(Conflict) as caught:
        ds.dossier_apologise(
            dossier=dossier, actor=world.leader, reason="Lần nữa", new_due_at=vn(2026, 6, 26, 17), at=vn(2026, 6, 11, 9)
        )

    assert caught.value.code == "already_reappointed"
    assert snapshot(dossier.pk) == before


@pytest.mark.parametrize(
    ("at", "late"),
    [
        # Due Mon 15/6 09:00. Fri 12/6 09:00 leaves 8 h (7 h on Friday + 1 h on Monday): just in time.
        (vn(2026, 6, 12, 9), False),
        # Fri 12/6 10:00 leaves 7 h: less than one working day.
        (vn(2026, 6, 12, 10), True),
        (vn(2026, 6, 15, 8), True),
        (vn(2026, 6, 16, 9), True),  # already overdue
    ],
    ids=["one-working-day-before", "less-than-a-day-before", "due-day", "overdue"],
)
def test_an_apology_is_always_possible_and_is_marked_late_after_one_working_day_before_the_due_instant(
    world: Any, at: Any, late: bool
) -> None:
    dossier = _processing(world)

    event = ds.dossier_apologise(
        dossier=dossier, actor=world.leader, reason="Chậm", new_due_at=vn(2026, 6, 22, 17), at=at
    )

    assert event.form == "04"
    assert event.data["late"] is late
    assert event.data["latest_on_time"] == "2026-06-12T09:00:00+07:00"
    assert world.refresh(dossier).due_at == vn(2026, 6, 22, 17)
    assert list(late_apologies().values_list("pk", flat=True)) == ([dossier.pk] if late else [])


def test_an_overdue_dossier_needs_a_new_date_in_the_future(world: Any) -> None:
    dossier = _processing(world)
    before = snapshot(dossier.pk)
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_apologise(
            dossier=dossier, actor=world.leader, reason="Chậm", new_due_at=vn(2026, 6, 16, 9), at=vn(2026, 6, 17, 9)
        )
    assert caught.value.code == "invalid_new_date"
    assert snapshot(dossier.pk) == before


@pytest.mark.parametrize("new_due", [vn(2026, 6, 15, 9), vn(2026, 6, 12, 17)], ids=["same", "earlier"])
def test_an_apology_needs_a_new_date_later_than_the_due_instant(world: Any, new_due: Any) -> None:
    dossier = _processing(world)
    before = snapshot(dossier.pk)
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_apologise(
            dossier=dossier, actor=world.leader, reason="Chậm", new_due_at=new_due, at=vn(2026, 6, 8, 9)
        )
    assert caught.value.code == "invalid_new_date"
    assert snapshot(dossier.pk) == before


def test_only_a_leader_may_apologise(world: Any) -> None:
    dossier = _processing(world)
    with pytest.raises(PermissionDenied):
        ds.dossier_apologise(
            dossier=dossier, actor=world.specialist, reason="Chậm", new_due_at=vn(2026, 6, 22, 17), at=T0
        )


def test_the_settling_leader_may_apologise_while_the_dossier_is_at_the_tax_office(world: Any) -> None:
    dossier = _processing(world)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="tax", at=vn(2026, 6, 2, 9))

    event = ds.dossier_apologise(
        dossier=world.refresh(dossier),
        actor=world.leader,
        reason="Chờ cơ quan thuế",
        new_due_at=vn(2026, 6, 22, 17),
        at=vn(2026, 6, 3, 9),
    )

    assert (event.actor_role, event.actor_agency_id) == ("leader", world.justice.pk)


# ------------------------------------------------------------------ approval and result


def test_a_specialist_can_finish_only_after_a_leader_approved(world: Any) -> None:
    dossier = _processing(world)
    before = snapshot(dossier.pk)
    with pytest.raises(Conflict) as caught:
        ds.dossier_finish(dossier=dossier, actor=world.specialist, at=vn(2026, 6, 3, 9))
    assert caught.value.code == "approval_required"
    assert snapshot(dossier.pk) == before

    ds.dossier_approve(dossier=dossier, actor=world.leader, note="Đồng ý", at=vn(2026, 6, 3, 10))
    assert world.refresh(dossier).approved_at == vn(2026, 6, 3, 10)
    ds.dossier_finish(dossier=dossier, actor=world.specialist, electronic_result=True, at=vn(2026, 6, 3, 11))

    dossier = world.refresh(dossier)
    assert dossier.status == Status.PROCESSED
    assert dossier.processed_at == dossier.ended_at == vn(2026, 6, 3, 11)
    assert dossier.current_agency_id == world.centre.pk  # back to the one-stop unit to return the result
    assert dossier.current_step is None
    assert dossier.has_electronic_result is True


def test_a_hand_over_withdraws_an_earlier_approval(world: Any) -> None:
    dossier = _processing(world)
    ds.dossier_approve(dossier=dossier, actor=world.leader, at=vn(2026, 6, 3, 10))
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve", at=vn(2026, 6, 3, 11))
    assert world.refresh(dossier).approved_at is None

    with pytest.raises(Conflict) as caught:
        ds.dossier_finish(dossier=world.refresh(dossier), actor=world.specialist, at=vn(2026, 6, 3, 14))
    assert caught.value.code == "approval_required"


def test_a_leader_may_finish_without_a_separate_approval(world: Any) -> None:
    dossier = _processing(world)
    ds.dossier_finish(dossier=dossier, actor=world.leader, at=vn(2026, 6, 3, 9))
    assert world.refresh(dossier).status == Status.PROCESSED


def test_returning_the_result_records_how_it_was_delivered(world: Any) -> None:
    dossier = dossier_in(world, Status.PROCESSED)
    assert dossier is not None
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_return_result(dossier=dossier, actor=world.reception, delivery="pigeon", at=vn(2026, 6, 2, 9))
    assert caught.value.code == "invalid_delivery"

    ds.dossier_return_result(dossier=dossier, actor=world.reception, delivery="post", at=vn(2026, 6, 2, 9))

    dossier = world.refresh(dossier)
    assert dossier.status == Status.RETURNED
    assert dossier.returned_at == vn(2026, 6, 2, 9)
    assert (dossier.result_delivery, dossier.result_collected_by) == ("post", "Nguyễn Văn An")


# ------------------------------------------------------------------ payment


def test_requesting_and_confirming_payment_pauses_and_resumes_the_clock(world: Any) -> None:
    dossier = _processing(world)

    requested = ds.dossier_request_payment(dossier=dossier, actor=world.specialist, at=vn(2026, 6, 2, 10))

    assert requested.data["amount_vnd"] == 200_000
    dossier = world.refresh(dossier)
    assert dossier.status == Status.AWAITING_PAYMENT
    assert dossier.fee_vnd == 200_000
    assert dossier.paused_since == vn(2026, 6, 2, 10)
    assert dossier.status_before_pause == Status.PROCESSING
    [pause] = ClockPause.objects.filter(dossier_id=dossier.pk)
    assert (pause.kind, pause.ended_at) == (PauseKind.PAYMENT, None)

    confirmed = ds.dossier_confirm_payment(
        dossier=dossier, actor=world.payments, amount_vnd=200_000, online=True, reference="PAY-1", at=vn(2026, 6, 3, 10)
    )

    assert (confirmed.actor_role, confirmed.data["reference"]) == ("system", "PAY-1")
    dossier = world.refresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert (dossier.paid_vnd, dossier.paid_online) == (200_000, True)
    assert dossier.paused_since is None
    assert ClockPause.objects.get(pk=pause.pk).ended_at == vn(2026, 6, 3, 10)
    # One working day (8 h) stood still: Mon 15/6 09:00 → Tue 16/6 09:00; the appointment stays.
    assert dossier.due_at == vn(2026, 6, 16, 9)
    assert dossier.appointment_at == vn(2026, 6, 15, 9)


def test_payment_amounts_must_be_positive(world: Any) -> None:
    dossier = _processing(world)
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_request_payment(dossier=dossier, actor=world.specialist, amount_vnd=0, at=vn(2026, 6, 2, 10))
    assert caught.value.code == "invalid_amount"
    ds.dossier_request_payment(dossier=dossier, actor=world.specialist, at=vn(2026, 6, 2, 10))
    before = snapshot(dossier.pk)
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_confirm_payment(dossier=dossier, actor=world.specialist, amount_vnd=-5, at=vn(2026, 6, 2, 11))
    assert caught.value.code == "invalid_amount"
    assert snapshot(dossier.pk) == before


def test_a_procedure_whose_payment_wait_does_not_stop_the_clock_keeps_its_due(world: Any) -> None:
    version = _procedure(world, "2.000901", pause_on_payment=False)
    dossier = ds.dossier_register(
        actor=world.reception, version=version, applicant=world.citizen_person, receiving_agency=world.centre, at=T0
    )
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=vn(2026, 6, 1, 9, 30))
    ds.dossier_request_payment(dossier=dossier, actor=world.specialist, at=vn(2026, 6, 2, 10))
    # The clock keeps running: no pause is recorded and the dossier does not look paused.
    assert not ClockPause.objects.filter(dossier_id=dossier.pk).exists()
    waiting = world.refresh(dossier)
    assert waiting.status == Status.AWAITING_PAYMENT
    assert waiting.paused_since is None

    ds.dossier_confirm_payment(
        dossier=world.refresh(dossier), actor=world.specialist, amount_vnd=50_000, at=vn(2026, 6, 3, 10)
    )

    dossier = world.refresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == vn(2026, 6, 15, 9)
    assert dossier.paid_vnd == 50_000


# ------------------------------------------------------------------ stop (Form 05) and withdrawal


def test_stopping_ends_the_dossier_with_form_05_and_closes_the_open_pause(world: Any) -> None:
    dossier = dossier_in(world, Status.SUPPLEMENT_REQUESTED)
    assert dossier is not None
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_stop(dossier=dossier, actor=world.reception, reason="  ", at=vn(2026, 6, 2, 9))
    assert caught.value.code == "reason_required"

    event = ds.dossier_stop(
        dossier=dossier, actor=world.reception, reason="Công dân đề nghị dừng", channel="counter", at=vn(2026, 6, 2, 9)
    )

    assert event.form == "05"
    assert event.data["form"]["reason"] == "Công dân đề nghị dừng"
    dossier = world.refresh(dossier)
    assert dossier.status == Status.STOPPED
    assert not dossier.is_open
    assert dossier.ended_at == vn(2026, 6, 2, 9)
    assert dossier.paused_since is None
    assert list(ClockPause.objects.filter(dossier_id=dossier.pk).values_list("ended_at", flat=True)) == [
        vn(2026, 6, 2, 9)
    ]


def test_withdrawing_ends_the_dossier_and_closes_the_open_pause(world: Any) -> None:
    dossier = dossier_in(world, Status.AWAITING_PAYMENT)
    assert dossier is not None
    with pytest.raises(PermissionDenied):
        ds.dossier_withdraw(dossier=dossier, actor=world.other_citizen, at=vn(2026, 6, 2, 9))

    event = ds.dossier_withdraw(dossier=dossier, actor=world.citizen, reason="Không cần nữa", at=vn(2026, 6, 2, 9))

    assert (event.actor_role, event.reason) == ("applicant", "Không cần nữa")
    dossier = world.refresh(dossier)
    assert dossier.status == Status.WITHDRAWN
    assert dossier.ended_at == vn(2026, 6, 2, 9)
    assert dossier.current_step is None
    assert dossier.paused_since is None
    [pause] = ClockPause.objects.filter(dossier_id=dossier.pk)
    assert (pause.kind, pause.ended_at) == (PauseKind.PAYMENT, vn(2026, 6, 2, 9))


# ------------------------------------------------------------------ commune procedures, channels, e-forms


def test_a_commune_procedure_filed_at_the_commune_centre_is_settled_by_the_commune(world: Any) -> None:
    dossier = ds.dossier_register(
        actor=world.commune_reception,
        version=world.commune_procedure,
        applicant=world.citizen_person,
        receiving_agency=world.commune_centre,
        at=vn(2026, 6, 1, 9),
    )

    dossier = world.refresh(dossier)
    assert dossier.receiving_agency_id == world.commune_centre.pk
    assert dossier.settling_agency_id == world.commune.pk
    assert dossier.current_agency_id == world.commune_centre.pk
    assert dossier.code == "H99.50.01-260601-0001"
    assert dossier.due_at == vn(2026, 6, 2, 9)  # one working day


def test_a_commune_procedure_filed_online_goes_to_the_centre_of_the_chosen_commune(world: Any) -> None:
    dossier = ds.dossier_submit(
        actor=world.citizen,
        version=world.commune_procedure,
        applicant=world.citizen_person,
        settling_agency=world.commune,
        at=vn(2026, 6, 1, 9),
    )
    assert (dossier.receiving_agency_id, dossier.settling_agency_id) == (world.commune_centre.pk, world.commune.pk)

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_submit(
            actor=world.citizen, version=world.commune_procedure, applicant=world.citizen_person, at=vn(2026, 6, 1, 9)
        )
    assert caught.value.code == "settling_commune_required"


def test_the_post_channel_is_refused_when_the_procedure_does_not_allow_post(world: Any) -> None:
    version = _procedure(world, "2.000902", postal_allowed=False)
    before = snapshot(None)

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_register(
            actor=world.reception,
            version=version,
            applicant=world.citizen_person,
            receiving_agency=world.centre,
            channel=Channel.POST,
            at=T0,
        )

    assert caught.value.code == "post_not_allowed"
    assert snapshot(None) == before
    # The same procedure at the counter, and a procedure that allows post, are received.
    counter = ds.dossier_register(
        actor=world.reception, version=version, applicant=world.citizen_person, receiving_agency=world.centre, at=T0
    )
    assert counter.channel == Channel.COUNTER
    posted = world.register(at=T0, channel=Channel.POST)
    assert posted.channel == Channel.POST


E_FORM = {
    "type": "object",
    "properties": {
        "full_name": {"type": "string", "minLength": 1},
        "birth_year": {"type": "integer", "minimum": 1900},
    },
    "required": ["full_name"],
}


def test_invalid_e_form_data_is_refused_with_field_errors(world: Any) -> None:
    version = _procedure(world, "2.000903", e_form_schema=E_FORM)
    before = snapshot(None)

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_submit(
            actor=world.citizen,
            version=version,
            applicant=world.citizen_person,
            form_data={"birth_year": 1800},
            at=T0,
        )

    assert caught.value.code == "invalid_form"
    assert caught.value.http_status == 422
    assert set(caught.value.details) == {"(form)", "birth_year"}
    assert "full_name" in caught.value.details["(form)"]
    assert "1900" in caught.value.details["birth_year"]
    assert snapshot(None) == before

    dossier = ds.dossier_submit(
        actor=world.citizen,
        version=version,
        applicant=world.citizen_person,
        form_data={"full_name": "Nguyễn Văn An", "birth_year": 1990},
        at=T0,
    )
    assert world.refresh(dossier).form_data == {"full_name": "Nguyễn Văn An", "birth_year": 1990}
