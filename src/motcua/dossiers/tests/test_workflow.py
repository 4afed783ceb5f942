"""The dossier lifecycle: every (status, action) pair, allowed or forbidden, and the event log.

The expected table below is written out by hand from docs/legal-basis.md (one-stop mechanism, statuses; Decree
118/2025 Art. 11, 18, 21; Circular 03/2025 forms 01–05) instead of being read from
`workflow.TABLE`, so a change to the engine's table must be matched here on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, PauseKind, Status
from motcua.dossiers.tests.states import ACT_AT, ALL_STATUSES, T0, dossier_in, move_for, snapshot, vn
from motcua.dossiers.workflow import TABLE, Action, rule_for
from motcua.lib.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed

S = Status
PRE_RESULT = (
    S.SUBMITTED,
    S.RECEIVED,
    S.PROCESSING,
    S.SUPPLEMENT_REQUESTED,
    S.AWAITING_PAYMENT,
    S.RETURNED_FOR_COMPLETION,
    S.SUPPLEMENT_SUBMITTED,
)
#: Form 05 only after receipt and before any result (Decree 118/2025 Art. 21.1): a supplement
#: handed in is still in processing; a dossier returned for completion was never received.
STOPPABLE = (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT, S.SUPPLEMENT_SUBMITTED)
#: Checked at reception, not received: at the counter (None), online, returned to be completed.
BEFORE_RECEPTION = (None, S.SUBMITTED, S.RETURNED_FOR_COMPLETION)
RESULT_STATUSES = (S.PROCESSED, S.RETURNED)

#: action -> {source status (None: not yet created): (target status or None when unchanged/restored, form)}
EXPECTED: dict[Action, dict[Status | None, tuple[Status | None, str]]] = {
    Action.SUBMIT: {None: (S.SUBMITTED, "")},
    Action.RECEIVE: dict.fromkeys(BEFORE_RECEPTION, (S.RECEIVED, "01")),
    # At intake the one-stop unit's Form 03; during processing the competent agency's notice "TC".
    Action.REFUSE: {**dict.fromkeys(BEFORE_RECEPTION, (S.REFUSED, "03")), S.PROCESSING: (S.REFUSED, "TC")},
    Action.RETURN_FOR_COMPLETION: dict.fromkeys((None, S.SUBMITTED), (S.RETURNED_FOR_COMPLETION, "02")),
    Action.REQUEST_SUPPLEMENT: dict.fromkeys((S.PROCESSING, S.SUPPLEMENT_SUBMITTED), (S.SUPPLEMENT_REQUESTED, "02")),
    Action.RESUBMIT: {
        S.RETURNED_FOR_COMPLETION: (S.SUBMITTED, ""),
        S.SUPPLEMENT_REQUESTED: (S.SUPPLEMENT_SUBMITTED, ""),
    },
    Action.ACCEPT_SUPPLEMENT: {S.SUPPLEMENT_SUBMITTED: (S.PROCESSING, "01")},
    Action.START_PROCESSING: {S.RECEIVED: (S.PROCESSING, "")},
    Action.HAND_OVER: {S.PROCESSING: (S.PROCESSING, "")},
    # A leader names who handles it while it is in processing, a supplement handed in included.
    Action.ASSIGN: dict.fromkeys((S.PROCESSING, S.AWAITING_PAYMENT, S.SUPPLEMENT_SUBMITTED), (None, "")),
    Action.REQUEST_PAYMENT: {S.PROCESSING: (S.AWAITING_PAYMENT, "")},
    Action.CONFIRM_PAYMENT: {S.AWAITING_PAYMENT: (S.PROCESSING, "")},
    # Open with a running clock and a due date: not while waiting for a supplement (paused).
    Action.APOLOGISE: dict.fromkeys(
        (S.RECEIVED, S.PROCESSING, S.AWAITING_PAYMENT, S.SUPPLEMENT_SUBMITTED), (None, "04")
    ),
    Action.APPROVE: {S.PROCESSING: (S.PROCESSING, "")},
    Action.FINISH: {S.PROCESSING: (S.PROCESSED, "")},
    Action.RETURN_RESULT: {S.PROCESSED: (S.RETURNED, "")},
    # Circular 03/2025 Art. 7: the applicant's request is recorded, then the unit issues Form 05.
    Action.REQUEST_STOP: dict.fromkeys(STOPPABLE, (None, "")),
    Action.STOP: dict.fromkeys(STOPPABLE, (S.STOPPED, "05")),
    Action.WITHDRAW: dict.fromkeys(PRE_RESULT, (S.WITHDRAWN, "")),
    # Decree 118/2025 Art. 22: how to receive the result, chosen until the result is returned.
    Action.CHOOSE_DELIVERY: dict.fromkeys((*PRE_RESULT, S.PROCESSED), (None, "")),
}

ALL_PAIRS = [(status, action) for status in ALL_STATUSES for action in Action]
ALLOWED_PAIRS = [(status, action) for status, action in ALL_PAIRS if status in EXPECTED[action]]
FORBIDDEN_PAIRS = [(status, action) for status, action in ALL_PAIRS if status not in EXPECTED[action]]


def _id(value: Any) -> str:
    return "new" if value is None else str(value)


def _expected_target(action: Action, status: Status | None, before: Dossier | None) -> Status:
    target, _ = EXPECTED[action][status]
    if target is not None:
        return target
    if action == Action.RESUBMIT:
        assert before is not None
        return Status(before.status_before_pause)
    assert status is not None
    return status


# ------------------------------------------------------------------ the table itself


def test_the_expected_table_covers_every_action() -> None:
    assert set(EXPECTED) == set(Action)
    assert len(ALL_PAIRS) == len(Action) * (len(Status) + 1)
    # 21 rule rows in the engine spread over these allowed pairs; nothing else is allowed.
    assert {(source, rule.action) for rule in TABLE for source in rule.sources} == set(ALLOWED_PAIRS)


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=[f"{_id(s)}-{a}" for s, a in ALL_PAIRS])
def test_rule_for_answers_exactly_the_pairs_the_table_allows(status: Status | None, action: Action) -> None:
    if status in EXPECTED[action]:
        target, form = EXPECTED[action][status]
        rule = rule_for(action, status)
        assert rule.action == action
        assert status in rule.sources
        assert rule.target == target
        assert rule.form == form
        # The same answer for the wire values an API client sends.
        assert rule_for(action.value, status.value if status else "") is rule
    else:
        with pytest.raises(TransitionNotAllowed) as caught:
            rule_for(action, status)
        assert caught.value.http_status == 409
        assert caught.value.code == "transition_not_allowed"
        assert caught.value.details == {"action": action.value, "status": status}


def test_rule_for_refuses_an_unknown_action_as_bad_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        rule_for("teleport", S.RECEIVED)
    assert caught.value.code == "unknown_action"


def test_the_clock_stops_for_supplements_and_payments_and_resumes_after() -> None:
    # Before reception no clock runs, so returning a dossier to be completed pauses nothing.
    assert rule_for(Action.RETURN_FOR_COMPLETION, S.SUBMITTED).pause is None
    assert rule_for(Action.RETURN_FOR_COMPLETION, S.SUBMITTED).phase == "intake"
    assert not rule_for(Action.RESUBMIT, S.RETURNED_FOR_COMPLETION).resumes
    assert rule_for(Action.REQUEST_SUPPLEMENT, S.PROCESSING).pause == PauseKind.SUPPLEMENT
    assert rule_for(Action.REQUEST_SUPPLEMENT, S.PROCESSING).phase == "processing"
    assert rule_for(Action.REQUEST_PAYMENT, S.PROCESSING).pause == PauseKind.PAYMENT
    assert rule_for(Action.RESUBMIT, S.SUPPLEMENT_REQUESTED).resumes
    assert rule_for(Action.CONFIRM_PAYMENT, S.AWAITING_PAYMENT).resumes
    paused_or_resumed = {rule.action for rule in TABLE if rule.pause is not None or rule.resumes}
    assert paused_or_resumed == {
        Action.REQUEST_SUPPLEMENT,
        Action.REQUEST_PAYMENT,
        Action.RESUBMIT,
        Action.CONFIRM_PAYMENT,
    }


def test_refusals_supplements_apologies_and_stops_need_a_reason() -> None:
    needs_reason = {rule.action for rule in TABLE if rule.reason_required}
    assert needs_reason == {
        Action.REFUSE,
        Action.REQUEST_SUPPLEMENT,
        Action.APOLOGISE,
        Action.REQUEST_STOP,
        Action.STOP,
    }


# ------------------------------------------------------------------ end to end, through the services


@pytest.mark.parametrize(("status", "action"), ALLOWED_PAIRS, ids=[f"{_id(s)}-{a}" for s, a in ALLOWED_PAIRS])
def test_an_allowed_action_succeeds_for_the_right_persona(world: Any, status: Status | None, action: Action) -> None:
    before = dossier_in(world, status)
    move = move_for(world, action, status)
    events_before = list(DossierEvent.objects.filter(dossier=before).order_by("seq")) if before else []
    expected_status = _expected_target(action, status, before)

    result = move.run(before, move.actor)

    dossier = world.refresh(result if isinstance(result, Dossier) else before)
    assert dossier.status == expected_status
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert len(events) == len(events_before) + 1
    assert events[:-1] == events_before
    event = events[-1]
    assert event.seq == len(events_before) + 1 == dossier.row_version
    assert event.action == action.value
    assert event.from_status == (status.value if status else "")
    assert event.to_status == expected_status
    assert event.actor_id == move.actor.user_id
    assert event.actor_role == move.role
    assert event.actor_agency_id == (move.agency.pk if move.agency else None)
    assert event.form == EXPECTED[action][status][1]
    assert event.at == ACT_AT


@pytest.mark.parametrize(("status", "action"), ALLOWED_PAIRS, ids=[f"{_id(s)}-{a}" for s, a in ALLOWED_PAIRS])
def test_an_officer_of_another_unit_may_not_apply_an_allowed_action(
    world: Any, status: Status | None, action: Action
) -> None:
    dossier = dossier_in(world, status)
    move = move_for(world, action, status)
    before = snapshot(dossier.pk if dossier else None)

    with pytest.raises(PermissionDenied) as caught:
        move.run(dossier, world.outsider)

    assert caught.value.http_status == 403
    assert snapshot(dossier.pk if dossier else None) == before


@pytest.mark.parametrize(("status", "action"), FORBIDDEN_PAIRS, ids=[f"{_id(s)}-{a}" for s, a in FORBIDDEN_PAIRS])
def test_a_forbidden_action_raises_409_and_changes_nothing(world: Any, status: Status | None, action: Action) -> None:
    dossier = dossier_in(world, status)
    move = move_for(world, action, status)
    before = snapshot(dossier.pk if dossier else None)

    with pytest.raises(TransitionNotAllowed) as caught:
        move.run(dossier, move.actor)

    assert caught.value.http_status == 409
    # Once a result exists, stopping and withdrawing are refused with that reason (Circular 03/2025 Art. 7).
    after_result = status in RESULT_STATUSES and action in {Action.REQUEST_STOP, Action.STOP, Action.WITHDRAW}
    # Once the result is returned, how to receive it can no longer change.
    returned = status == S.RETURNED and action == Action.CHOOSE_DELIVERY
    expected = "result_exists" if after_result else "result_returned" if returned else "transition_not_allowed"
    assert caught.value.code == expected
    assert snapshot(dossier.pk if dossier else None) == before


# ------------------------------------------------------------------ the event log


def _last_event(dossier: Dossier) -> DossierEvent:
    return DossierEvent.objects.filter(dossier_id=dossier.pk).order_by("-seq").first()  # type: ignore[return-value]


def test_each_transition_of_a_whole_lifecycle_appends_exactly_one_event(world: Any) -> None:
    """Counter receipt → review → supplement asked by the agency → handed in → accepted by the
    one-stop unit (a new Form 01) → tax (liên thông) → payment → apology → approval → result;
    every step leaves one event with the next seq."""
    w = world
    dossier = w.register(at=vn(2026, 6, 1, 9))
    steps: list[tuple[Callable[[], DossierEvent], Any, str, Any, str, str, str, str]] = [
        # (call, actor, role, agency, action, from, to, form)
        (
            lambda: ds.dossier_start_processing(dossier=dossier, actor=w.reception, at=vn(2026, 6, 1, 10)),
            w.reception, "reception", w.centre, "start_processing", "received", "processing", "",
        ),
        (
            lambda: ds.dossier_request_supplement(
                items=["Tờ khai có chữ ký"],
                dossier=dossier, actor=w.specialist, reason="Thiếu CCCD", at=vn(2026, 6, 1, 11)
            ),
            w.specialist, "specialist", w.justice, "request_supplement", "processing", "supplement_requested", "02",
        ),
        (
            lambda: ds.dossier_resubmit(dossier=dossier, actor=w.citizen, at=vn(2026, 6, 2, 9)),
            w.citizen, "applicant", None, "resubmit", "supplement_requested", "supplement_submitted", "",
        ),
        (
            lambda: ds.dossier_accept_supplement(dossier=dossier, actor=w.reception, at=vn(2026, 6, 2, 10)),
            w.reception, "reception", w.centre, "accept_supplement", "supplement_submitted", "processing", "01",
        ),
        (
            lambda: ds.dossier_hand_over(dossier=dossier, actor=w.specialist, to_step="tax", at=vn(2026, 6, 3, 9)),
            w.specialist, "specialist", w.justice, "hand_over", "processing", "processing", "",
        ),
        (
            lambda: ds.dossier_request_payment(dossier=dossier, actor=w.tax_specialist, at=vn(2026, 6, 3, 10)),
            w.tax_specialist, "specialist", w.tax, "request_payment", "processing", "awaiting_payment", "",
        ),
        (
            lambda: ds.dossier_confirm_payment(
                dossier=dossier, actor=w.payments, amount_vnd=200_000, online=True, at=vn(2026, 6, 4, 9)
            ),
            w.payments, "system", None, "confirm_payment", "awaiting_payment", "processing", "",
        ),
        (
            lambda: ds.dossier_hand_over(
                dossier=dossier, actor=w.tax_specialist, to_step="approve", at=vn(2026, 6, 4, 10)
            ),
            w.tax_specialist, "specialist", w.tax, "hand_over", "processing", "processing", "",
        ),
        (
            lambda: ds.dossier_apologise(
                dossier=dossier,
                actor=w.leader,
                reason="Chờ kết quả xác minh",
                new_due_at=vn(2026, 6, 30, 17),
                at=vn(2026, 6, 5, 9),
            ),
            w.leader, "leader", w.justice, "apologise", "processing", "processing", "04",
        ),
        (
            lambda: ds.dossier_approve(dossier=dossier, actor=w.leader, at=vn(2026, 6, 8, 9)),
            w.leader, "leader", w.justice, "approve", "processing", "processing", "",
        ),
        (
            lambda: ds.dossier_finish(dossier=dossier, actor=w.specialist, at=vn(2026, 6, 8, 10)),
            w.specialist, "specialist", w.justice, "finish", "processing", "processed", "",
        ),
        (
            lambda: ds.dossier_return_result(dossier=dossier, actor=w.reception, at=vn(2026, 6, 8, 14)),
            w.reception, "reception", w.centre, "return_result", "processed", "returned", "",
        ),
    ]  # fmt: skip
    first = _last_event(dossier)
    assert (first.seq, first.action, first.from_status, first.to_status, first.form) == (
        1,
        "receive",
        "",
        "received",
        "01",
    )
    assert (first.actor_id, first.actor_role, first.actor_agency_id) == (w.reception.user_id, "reception", w.centre.pk)

    for call, actor, role, agency, action, from_status, to_status, form in steps:
        count = DossierEvent.objects.filter(dossier_id=dossier.pk).count()
        previous = _last_event(dossier).seq
        event = call()
        assert DossierEvent.objects.filter(dossier_id=dossier.pk).count() == count + 1, action
        stored = _last_event(dossier)
        assert stored.pk == event.pk
        assert stored.seq == previous + 1, action
        assert stored.action == action
        assert stored.actor_id == actor.user_id, action
        assert stored.actor_name == (actor.name or actor.system)
        assert stored.actor_role == role, action
        assert stored.actor_agency_id == (agency.pk if agency else None), action
        assert (stored.from_status, stored.to_status) == (from_status, to_status), action
        assert stored.form == form, action
        assert world.refresh(dossier).row_version == stored.seq

    seqs = list(DossierEvent.objects.filter(dossier_id=dossier.pk).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(steps) + 2))


def test_the_model_refuses_to_update_or_delete_an_event(world: Any) -> None:
    dossier = world.register(at=T0)
    event = _last_event(dossier)
    event.reason = "rewritten history"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    stored = DossierEvent.objects.get(pk=event.pk)
    assert stored.reason == ""


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE dossiers_dossierevent SET reason = 'rewritten history' WHERE id = %s",
        "DELETE FROM dossiers_dossierevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_a_raw_update_or_delete_of_an_event(world: Any, sql: str) -> None:
    dossier = world.register(at=T0)
    event = _last_event(dossier)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    stored = DossierEvent.objects.get(pk=event.pk)
    assert stored.reason == ""
    assert DossierEvent.objects.filter(dossier_id=dossier.pk).count() == 1


def test_the_database_refuses_a_bulk_update_or_delete_of_events(world: Any) -> None:
    dossier = world.register(at=T0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DossierEvent.objects.filter(dossier_id=dossier.pk).update(reason="rewritten history")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DossierEvent.objects.filter(dossier_id=dossier.pk).delete()
    assert list(DossierEvent.objects.filter(dossier_id=dossier.pk).values_list("reason", flat=True)) == [""]


def test_a_stale_dossier_instance_raises_conflict_and_changes_nothing(world: Any) -> None:
    dossier = world.register(at=T0)
    stale = world.refresh(dossier)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=ACT_AT)
    before = snapshot(dossier.pk)

    assert stale.row_version == 1
    assert stale.status == Status.RECEIVED  # the stale copy still believes the table allows this
    with pytest.raises(Conflict) as caught:
        ds.dossier_start_processing(dossier=stale, actor=world.reception, at=ACT_AT)

    assert caught.value.code == "dossier_changed"
    assert caught.value.http_status == 409
    assert snapshot(dossier.pk) == before
    # The in-memory copy is not advanced either, so a retry has to reload.
    assert stale.row_version == 1


def test_two_copies_of_a_dossier_race_and_only_the_first_write_wins(world: Any) -> None:
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=ACT_AT)
    mine = world.refresh(dossier)
    theirs = world.refresh(dossier)

    ds.dossier_approve(dossier=mine, actor=world.leader, at=ACT_AT)
    with pytest.raises(Conflict) as caught:
        ds.dossier_finish(dossier=theirs, actor=world.leader, at=ACT_AT)

    assert caught.value.code == "dossier_changed"
    fresh = world.refresh(dossier)
    assert fresh.status == Status.PROCESSING
    assert list(DossierEvent.objects.filter(dossier_id=dossier.pk).values_list("action", flat=True)) == [
        "receive",
        "start_processing",
        "approve",
    ]
