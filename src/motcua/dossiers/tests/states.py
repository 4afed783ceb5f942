"""Builders for the dossier tests: a dossier in any status, made only through the services.

Every step goes through the same `dossier_*` commands the API and the pages call, so a
dossier "in status X" here is exactly what an officer would get by clicking through the
lifecycle of `dossiers/workflow.py`. The clock is pinned with `at=` to a plain working week
(Monday 01/6/2026, no public holiday until 02/9), so every due instant is predictable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from motcua.dossiers import services as ds
from motcua.dossiers.models import ClockPause, CodeSequence, Dossier, DossierEvent, Handover, Status
from motcua.dossiers.workflow import Action, transition
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency
from motcua.testing.world import World

VN = ds.VN_TZ


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant on the wall clock of Asia/Ho_Chi_Minh (UTC+7, no daylight saving time)."""
    return datetime(year, month, day, hour, minute, tzinfo=VN)


#: Monday 01/6/2026 09:00: received then, a 10-working-day procedure is due Monday 15/6 09:00.
T0 = vn(2026, 6, 1, 9, 0)
#: When the action under test happens, after every step of `dossier_in` (same working day).
ACT_AT = T0 + timedelta(hours=1)

ALL_STATUSES: tuple[Status | None, ...] = (None, *Status)


def _step(n: int) -> datetime:
    return T0 + timedelta(minutes=5 * n)


def dossier_in(world: World, status: Status | None) -> Dossier | None:
    """A dossier of procedure 2.000488 brought into `status` through the services (None: none yet).

    Counter dossiers are received at the provincial centre H99.01 at T0; processing starts at
    Sở Tư pháp H99.10 (step "review"); intake supplements and refusals are made by reception.
    """
    if status is None:
        return None
    if status in {Status.SUBMITTED, Status.REFUSED, Status.RETURNED_FOR_COMPLETION}:
        # Checked at reception: an online dossier waiting for it, refused or returned unreceived.
        online = world.submit(at=_step(0))
        if status == Status.REFUSED:
            ds.dossier_refuse(dossier=online, actor=world.reception, reason="Không thuộc thẩm quyền", at=_step(1))
        elif status == Status.RETURNED_FOR_COMPLETION:
            ds.dossier_return_for_completion(
                dossier=online, actor=world.reception, items=["Bản chụp CCCD"], at=_step(1)
            )
        fresh = world.refresh(online)
        assert fresh.status == status, (fresh.status, status)
        return fresh
    dossier = world.register(at=_step(0))
    if status == Status.RECEIVED:
        pass
    elif status in {Status.SUPPLEMENT_REQUESTED, Status.SUPPLEMENT_SUBMITTED}:
        ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=_step(1))
        ds.dossier_request_supplement(
            dossier=dossier, actor=world.specialist, reason="Thiếu bản chụp CCCD", items=["CCCD"], at=_step(2)
        )
        if status == Status.SUPPLEMENT_SUBMITTED:
            ds.dossier_resubmit(dossier=dossier, actor=world.citizen, at=_step(3))
    elif status == Status.WITHDRAWN:
        ds.dossier_withdraw(dossier=dossier, actor=world.citizen, reason="Không còn nhu cầu", at=_step(1))
    elif status == Status.STOPPED:
        ds.dossier_stop(
            dossier=dossier, actor=world.reception, reason="Công dân đề nghị dừng", channel="counter", at=_step(1)
        )
    else:
        ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=_step(1))
        if status == Status.AWAITING_PAYMENT:
            ds.dossier_request_payment(dossier=dossier, actor=world.specialist, at=_step(2))
        elif status in {Status.PROCESSED, Status.RETURNED}:
            ds.dossier_finish(dossier=dossier, actor=world.leader, at=_step(2))
            if status == Status.RETURNED:
                ds.dossier_return_result(dossier=dossier, actor=world.reception, at=_step(3))
        else:
            assert status == Status.PROCESSING, status
    fresh = world.refresh(dossier)
    assert fresh.status == status, (fresh.status, status)
    return fresh


def unsaved_dossier(world: World) -> Dossier:
    """A dossier object that was never created: what a command sees before submit/receive."""
    return Dossier(
        procedure_version=world.procedure,
        channel="online",
        receiving_agency=world.centre,
        settling_agency=world.justice,
        current_agency=world.centre,
        applicant=world.citizen_person,
    )


@dataclass(frozen=True)
class Move:
    """Who applies an action in a given status, in which (role, agency), and how."""

    actor: Actor
    role: str
    agency: Agency | None
    run: Callable[[Dossier | None, Actor], Any]


def move_for(world: World, action: Action, status: Status | None) -> Move:
    """The persona that may apply `action` to a dossier in `status`, and the service call.

    For a (status, action) pair the table forbids, this is the persona who would normally
    apply the action, so only the table can be what refuses it.
    """
    w = world
    at = ACT_AT

    def need(d: Dossier | None) -> Dossier:
        return d if d is not None else unsaved_dossier(w)

    processing = status in {
        Status.PROCESSING,
        Status.AWAITING_PAYMENT,
        Status.SUPPLEMENT_REQUESTED,
        Status.SUPPLEMENT_SUBMITTED,
    }
    if action == Action.SUBMIT:
        if status is None:

            def submit(d: Dossier | None, a: Actor) -> Dossier:
                return ds.dossier_submit(
                    actor=a,
                    version=w.procedure,
                    applicant=w.citizen_person,
                    at=at,
                    components=w.papers(),
                )

            return Move(w.citizen, "applicant", None, submit)
        # No command re-submits an existing dossier; the engine itself is asked.
        return Move(w.citizen, "applicant", None, lambda d, a: transition(dossier=need(d), action=action, actor=a))
    if action == Action.RECEIVE:
        if status is None:

            def register(d: Dossier | None, a: Actor) -> Dossier:
                return ds.dossier_register(
                    actor=a,
                    version=w.procedure,
                    applicant=w.citizen_person,
                    receiving_agency=w.centre,
                    at=at,
                    components=w.papers(),
                )

            return Move(w.reception, "reception", w.centre, register)
        return Move(
            w.reception, "reception", w.centre, lambda d, a: ds.dossier_receive(dossier=need(d), actor=a, at=at)
        )
    if action in {Action.REFUSE, Action.RETURN_FOR_COMPLETION} and status is None:

        def not_received(d: Dossier | None, a: Actor) -> Dossier:
            return ds.dossier_register_not_received(
                actor=a,
                version=w.procedure,
                applicant=w.citizen_person,
                receiving_agency=w.centre,
                action=action,
                reason="Sai mẫu",
                items=["Tờ khai có chữ ký"],
                at=at,
            )

        return Move(w.reception, "reception", w.centre, not_received)
    if action == Action.REFUSE:
        officer = (w.specialist, "specialist", w.justice) if processing else (w.reception, "reception", w.centre)
        return Move(*officer, lambda d, a: ds.dossier_refuse(dossier=need(d), actor=a, reason="Sai mẫu", at=at))
    if action == Action.RETURN_FOR_COMPLETION:
        return Move(
            w.reception,
            "reception",
            w.centre,
            lambda d, a: ds.dossier_return_for_completion(
                dossier=need(d), actor=a, items=["Tờ khai có chữ ký"], reason="Thiếu giấy tờ", at=at
            ),
        )
    if action == Action.ACCEPT_SUPPLEMENT:
        return Move(
            w.reception,
            "reception",
            w.centre,
            lambda d, a: ds.dossier_accept_supplement(dossier=need(d), actor=a, at=at),
        )
    if action == Action.REQUEST_SUPPLEMENT:
        officer = (w.specialist, "specialist", w.justice) if processing else (w.reception, "reception", w.centre)
        return Move(
            *officer,
            lambda d, a: ds.dossier_request_supplement(
                items=["Tờ khai có chữ ký"], dossier=need(d), actor=a, reason="Thiếu giấy tờ", at=at
            ),
        )
    if action == Action.RESUBMIT:
        return Move(w.citizen, "applicant", None, lambda d, a: ds.dossier_resubmit(dossier=need(d), actor=a, at=at))
    if action == Action.START_PROCESSING:
        return Move(
            w.reception,
            "reception",
            w.centre,
            lambda d, a: ds.dossier_start_processing(dossier=need(d), actor=a, at=at),
        )
    if action == Action.HAND_OVER:
        return Move(
            w.specialist,
            "specialist",
            w.justice,
            lambda d, a: ds.dossier_hand_over(dossier=need(d), actor=a, to_step="approve", at=at),
        )
    if action == Action.ASSIGN:
        return Move(
            w.leader,
            "leader",
            w.justice,
            lambda d, a: ds.dossier_assign(dossier=need(d), actor=a, assignee="specialist", at=at),
        )
    if action == Action.REQUEST_PAYMENT:
        return Move(
            w.specialist,
            "specialist",
            w.justice,
            lambda d, a: ds.dossier_request_payment(dossier=need(d), actor=a, at=at),
        )
    if action == Action.CONFIRM_PAYMENT:
        return Move(
            w.specialist,
            "specialist",
            w.justice,
            lambda d, a: ds.dossier_confirm_payment(dossier=need(d), actor=a, amount_vnd=200_000, at=at),
        )
    if action == Action.APOLOGISE:
        # In "received" the dossier is still at the centre: the leader acts for the settling agency.
        return Move(
            w.leader,
            "leader",
            w.justice,
            lambda d, a: ds.dossier_apologise(
                dossier=need(d),
                actor=a,
                reason="Cần xác minh thêm",
                new_due_at=(need(d).due_at or T0) + timedelta(days=7),
                at=at,
            ),
        )
    if action == Action.APPROVE:
        return Move(w.leader, "leader", w.justice, lambda d, a: ds.dossier_approve(dossier=need(d), actor=a, at=at))
    if action == Action.FINISH:
        return Move(w.leader, "leader", w.justice, lambda d, a: ds.dossier_finish(dossier=need(d), actor=a, at=at))
    if action == Action.RETURN_RESULT:
        return Move(
            w.reception, "reception", w.centre, lambda d, a: ds.dossier_return_result(dossier=need(d), actor=a, at=at)
        )
    if action == Action.STOP:
        return Move(
            w.reception,
            "reception",
            w.centre,
            lambda d, a: ds.dossier_stop(dossier=need(d), actor=a, reason="Công dân đề nghị", channel="counter", at=at),
        )
    if action == Action.REQUEST_STOP:
        return Move(
            w.citizen,
            "applicant",
            None,
            lambda d, a: ds.dossier_request_stop(dossier=need(d), actor=a, reason="Không còn nhu cầu", at=at),
        )
    if action == Action.WITHDRAW:
        return Move(w.citizen, "applicant", None, lambda d, a: ds.dossier_withdraw(dossier=need(d), actor=a, at=at))
    if action == Action.CHOOSE_DELIVERY:
        return Move(
            w.citizen,
            "applicant",
            None,
            lambda d, a: ds.dossier_choose_delivery(
                dossier=need(d), actor=a, delivery="post", address="12 Trần Phú, Ba Đình, Hà Nội", at=at
            ),
        )
    raise AssertionError(f"no move for {action}")


def snapshot(dossier_pk: int | None) -> dict[str, Any]:
    """Everything a transition may write, to prove a refused one wrote nothing."""
    if dossier_pk is None:
        return {
            "dossiers": list(Dossier.objects.values()),
            "events": list(DossierEvent.objects.values()),
            "sequences": list(CodeSequence.objects.values()),
        }
    return {
        "dossier": Dossier.objects.filter(pk=dossier_pk).values().get(),
        "events": list(DossierEvent.objects.filter(dossier_id=dossier_pk).order_by("seq").values()),
        "pauses": list(ClockPause.objects.filter(dossier_id=dossier_pk).order_by("pk").values()),
        "handovers": list(Handover.objects.filter(dossier_id=dossier_pk).order_by("pk").values()),
        "dossier_count": Dossier.objects.count(),
    }
