# long: the lifecycle is one table of rules (a row per command and phase) read together with the one
# transition function that applies it; the table grows with each command the law adds.
"""The dossier lifecycle as data (a transition table) plus one transition function.

Sources: Decree 118/2025, Circular 03/2025 and provincial practice (docs/legal-basis.md#one-stop-mechanism,
docs/legal-basis.md#dossier-statuses). Every change of a dossier goes through `transition`, which, in one database
transaction: finds the rule for (action, current status), checks the actor's role and
agency, lets the service compute the changes, writes them with a conditional UPDATE
(optimistic lock on `row_version`, docs/architecture.md#the-write-path) and appends the immutable event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from motcua.calendars.worktime import VN_TZ
from motcua.dossiers import chain, writes
from motcua.dossiers.integrity import event_content
from motcua.dossiers.models import ClockPause, Dossier, DossierEvent, Handover, PauseKind, Status
from motcua.dossiers.signals import event_appended
from motcua.lib.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from motcua.lib.transactions import atomic_change
from motcua.organizations.actors import Actor


class Action(StrEnum):
    SUBMIT = "submit"
    RECEIVE = "receive"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    RESUBMIT = "resubmit"
    START_PROCESSING = "start_processing"
    HAND_OVER = "hand_over"
    ASSIGN = "assign"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    APOLOGISE = "apologise"
    APPROVE = "approve"
    FINISH = "finish"
    RETURN_RESULT = "return_result"
    REQUEST_STOP = "request_stop"
    STOP = "stop"
    WITHDRAW = "withdraw"
    RETURN_FOR_COMPLETION = "return_for_completion"
    ACCEPT_SUPPLEMENT = "accept_supplement"
    CHOOSE_DELIVERY = "choose_delivery"


class Scope(StrEnum):
    """Which agency an officer's role must be held in."""

    RECEIVING = "receiving"  # the one-stop unit that received the dossier
    SETTLING = "settling"  # the competent agency
    CURRENT = "current"  # where the dossier is now


APPLICANT = "applicant"  # the citizen or organisation whose dossier it is
SYSTEM = "system"  # a connected system acting on the citizen's behalf (national portal, payments)

S = Status
NEW = None  # the dossier does not exist yet
#: Checked at reception, not received (yet): a counter dossier before it exists, an online
#: dossier waiting for reception, one returned to be completed (docs/legal-basis.md#checking-before-receiving).
BEFORE_RECEPTION = frozenset({NEW, S.SUBMITTED, S.RETURNED_FOR_COMPLETION})
#: Received and not finished: a supplement handed in is still in processing; a dossier returned
#: for completion was never received, so it is not stopped.
STOPPABLE = frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT, S.SUPPLEMENT_SUBMITTED})
#: Before any result: withdrawn also while waiting for reception or returned for completion.
PRE_RESULT = STOPPABLE | {S.SUBMITTED, S.RETURNED_FOR_COMPLETION}
#: A result exists from here on: stopping and withdrawal are refused (`result_exists`).
RESULT_STATUSES = frozenset({S.PROCESSED, S.RETURNED})
#: The applicant may choose how to receive the result until it is returned (also once it is ready).
DELIVERY_CHOOSABLE = PRE_RESULT | {S.PROCESSED}


@dataclass(frozen=True)
class Rule:
    action: Action
    sources: frozenset[Status | None]
    target: Status | None  # None: the status does not change
    officers: frozenset[tuple[str, Scope]] = frozenset()
    applicant: bool = False
    system: bool = False
    form: str = ""  # Circular 03/2025 form issued
    pause: PauseKind | None = None
    resumes: bool = False
    reason_required: bool = False
    phase: str = ""  # "intake" or "processing" where the same action has two rules
    label: str = ""


def _o(*pairs: tuple[str, Scope]) -> frozenset[tuple[str, Scope]]:
    return frozenset(pairs)


RECEPTION = ("reception", Scope.RECEIVING)
SPECIALIST = ("specialist", Scope.CURRENT)
LEADER = ("leader", Scope.CURRENT)
SETTLING_SPECIALIST = ("specialist", Scope.SETTLING)
SETTLING_LEADER = ("leader", Scope.SETTLING)

TABLE: tuple[Rule, ...] = (
    Rule(
        Action.SUBMIT,
        frozenset({NEW}),
        S.SUBMITTED,
        _o(RECEPTION),
        applicant=True,
        system=True,
        label="Nộp hồ sơ trực tuyến / Submit online",
    ),
    Rule(
        Action.RECEIVE,
        BEFORE_RECEPTION,
        S.RECEIVED,
        _o(RECEPTION),
        form="01",
        label="Tiếp nhận hồ sơ / Receive",
    ),
    # Refused at reception, before it is received: kept with its Form 03, never "received".
    Rule(
        Action.REFUSE,
        BEFORE_RECEPTION,
        S.REFUSED,
        _o(RECEPTION),
        form="03",
        reason_required=True,
        phase="intake",
        label="Từ chối tiếp nhận / Refuse",
    ),
    Rule(
        Action.REFUSE,
        frozenset({S.PROCESSING}),
        S.REFUSED,
        _o(SPECIALIST, LEADER),
        # The competent agency's reasoned notice, not the intake wording of Form 03
        # (docs/legal-basis.md#stopping-withdrawal-and-refusal).
        form="TC",
        reason_required=True,
        phase="processing",
        label="Từ chối giải quyết / Refuse",
    ),
    # Checked at reception and incomplete: Form 02 lists what is missing, once and completely;
    # the dossier is not received and no clock starts (no pause either: none is running).
    Rule(
        Action.RETURN_FOR_COMPLETION,
        frozenset({NEW, S.SUBMITTED}),
        S.RETURNED_FOR_COMPLETION,
        _o(RECEPTION),
        form="02",
        phase="intake",
        label="Hướng dẫn hoàn thiện, chưa tiếp nhận / Return for completion",
    ),
    # During processing, within the province's limit (dossiers.services.dossier_request_supplement);
    # again from a supplement handed in that does not complete the first list (marked late).
    Rule(
        Action.REQUEST_SUPPLEMENT,
        frozenset({S.PROCESSING, S.SUPPLEMENT_SUBMITTED}),
        S.SUPPLEMENT_REQUESTED,
        _o(SPECIALIST, LEADER),
        form="02",
        pause=PauseKind.SUPPLEMENT,
        reason_required=True,
        phase="processing",
        label="Yêu cầu bổ sung / Request supplement",
    ),
    # A supplement never receives a dossier by itself: it goes back to an officer who checks it.
    Rule(
        Action.RESUBMIT,
        frozenset({S.RETURNED_FOR_COMPLETION}),
        S.SUBMITTED,
        _o(RECEPTION),
        applicant=True,
        system=True,
        phase="intake",
        label="Nộp lại hồ sơ đã hoàn thiện / Resubmit the completed dossier",
    ),
    Rule(
        Action.RESUBMIT,
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.SUPPLEMENT_SUBMITTED,
        _o(RECEPTION),
        applicant=True,
        system=True,
        resumes=True,
        phase="processing",
        label="Nộp bổ sung / Resubmit",
    ),
    Rule(
        Action.ACCEPT_SUPPLEMENT,
        frozenset({S.SUPPLEMENT_SUBMITTED}),
        S.PROCESSING,
        _o(RECEPTION, SPECIALIST, LEADER),
        form="01",
        label="Tiếp nhận hồ sơ bổ sung, hẹn lại / Accept the supplement with a new appointment",
    ),
    Rule(
        Action.START_PROCESSING,
        frozenset({S.RECEIVED}),
        S.PROCESSING,
        _o(RECEPTION, SETTLING_SPECIALIST, SETTLING_LEADER),
        label="Chuyển xử lý / Start processing",
    ),
    Rule(
        Action.HAND_OVER,
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        _o(SPECIALIST, LEADER),
        label="Chuyển bước / Hand over",
    ),
    Rule(
        Action.ASSIGN,
        # Also a supplement handed in: still in processing, someone must check and accept it.
        frozenset({S.PROCESSING, S.AWAITING_PAYMENT, S.SUPPLEMENT_SUBMITTED}),
        None,
        _o(LEADER),
        label="Phân công xử lý / Assign",
    ),
    Rule(
        Action.REQUEST_PAYMENT,
        frozenset({S.PROCESSING}),
        S.AWAITING_PAYMENT,
        _o(SPECIALIST, LEADER),
        pause=PauseKind.PAYMENT,
        label="Yêu cầu nộp phí / Request payment",
    ),
    Rule(
        Action.CONFIRM_PAYMENT,
        frozenset({S.AWAITING_PAYMENT}),
        S.PROCESSING,
        _o(RECEPTION, SPECIALIST, LEADER),
        system=True,
        resumes=True,
        label="Xác nhận nộp phí / Confirm payment",
    ),
    # Always possible while the dossier is open and has a due date; issued later than one
    # working day before the due instant it is marked late (Lai Châu Decision 88/2025/QĐ-UBND
    # Art. 3.6); the new date is given once (docs/legal-basis.md#late-results-and-the-new-date).
    Rule(
        Action.APOLOGISE,
        frozenset({S.RECEIVED, S.PROCESSING, S.AWAITING_PAYMENT, S.SUPPLEMENT_SUBMITTED}),
        None,
        _o(LEADER, SETTLING_LEADER),
        form="04",
        reason_required=True,
        label="Xin lỗi và hẹn lại / Apologise with a new date",
    ),
    Rule(Action.APPROVE, frozenset({S.PROCESSING}), S.PROCESSING, _o(LEADER), label="Phê duyệt / Approve"),
    Rule(
        Action.FINISH, frozenset({S.PROCESSING}), S.PROCESSED, _o(SPECIALIST, LEADER), label="Hoàn thành xử lý / Finish"
    ),
    Rule(
        Action.RETURN_RESULT,
        frozenset({S.PROCESSED}),
        S.RETURNED,
        _o(RECEPTION),
        system=True,
        label="Trả kết quả / Return the result",
    ),
    # Circular 03/2025 Art. 7: the applicant's request (in person, by post, online) is recorded
    # with its date and channel; the one-stop unit checks that no result exists and issues the
    # stop notice (Form 05). Neither step touches the clock beyond ending it at the stop.
    Rule(
        Action.REQUEST_STOP,
        STOPPABLE,
        None,
        _o(RECEPTION),
        applicant=True,
        system=True,
        reason_required=True,
        label="Đề nghị dừng giải quyết / Request a stop",
    ),
    Rule(
        Action.STOP,
        STOPPABLE,
        S.STOPPED,
        _o(RECEPTION),
        system=True,
        form="05",
        reason_required=True,
        label="Dừng giải quyết / Stop on request",
    ),
    Rule(
        Action.WITHDRAW,
        PRE_RESULT,
        S.WITHDRAWN,
        _o(RECEPTION),
        applicant=True,
        system=True,
        label="Rút hồ sơ / Withdraw",
    ),
    # Decree 118/2025 Art. 22: the result is returned at the counter, by public post or online,
    # as the applicant chose. The choice changes neither the status nor the clock; the one-stop
    # unit records one made at the counter or by phone.
    Rule(
        Action.CHOOSE_DELIVERY,
        DELIVERY_CHOOSABLE,
        None,
        _o(RECEPTION),
        applicant=True,
        label="Chọn hình thức nhận kết quả / Choose how to receive the result",
    ),
)

_BY_KEY: dict[tuple[Action, Status | None], Rule] = {}
for _rule in TABLE:
    for _source in _rule.sources:
        assert (_rule.action, _source) not in _BY_KEY, f"two rules for {_rule.action} from {_source}"
        _BY_KEY[(_rule.action, _source)] = _rule


def rule_for(action: Action | str, status: Status | str | None) -> Rule:
    try:
        action = Action(action)
    except ValueError:
        raise InvalidInput(f"Unknown action {action!r}.", code="unknown_action") from None
    key_status = Status(status) if status else None
    rule = _BY_KEY.get((action, key_status))
    if rule is None:
        label = Status(status).label if status else "not yet created"
        raise TransitionNotAllowed(
            f"A dossier that is “{label}” cannot be sent to “{action.value}”.",
            details={"action": action.value, "status": status or None},
        )
    return rule


def _scope_agency(dossier: Dossier, scope: Scope) -> int | None:
    if scope is Scope.RECEIVING:
        return dossier.receiving_agency_id
    if scope is Scope.SETTLING:
        return dossier.settling_agency_id
    return dossier.current_agency_id


#: The role a division's officers hold towards a dossier assigned to their division.
DIVISION_ACTS_AS = "specialist"


def actor_role_for(rule: Rule, dossier: Dossier, actor: Actor) -> tuple[str, int | None] | None:
    """The (role, agency) in which `actor` may apply `rule` to `dossier`, or None."""
    for role, scope in sorted(rule.officers):
        agency_id = _scope_agency(dossier, scope)
        if actor.has_role(agency_id, {role}):
            return role, agency_id
        if (
            role == DIVISION_ACTS_AS
            and scope is Scope.CURRENT
            and dossier.assigned_unit_id is not None
            and actor.has_role(dossier.assigned_unit_id, {role})
        ):
            # A leader assigned the dossier to a division (phòng, ban) of the agency where it is:
            # that division's specialists work on it as the agency's specialists. Approval stays
            # with the agency's leaders (the division's head reviews, the agency signs).
            return role, agency_id
    if rule.applicant and actor.person_id is not None and actor.person_id == dossier.applicant_id:
        return APPLICANT, None
    if (
        rule.system
        and actor.system
        and actor.system_may(
            rule.action.value,
            online_source=dossier.online_source,
            agency_ids={dossier.receiving_agency_id, dossier.settling_agency_id},
        )
    ):
        return SYSTEM, None
    return None


def allowed_actions(dossier: Dossier, actor: Actor) -> list[Rule]:
    """Rules `actor` may apply to `dossier` now (pages show only these)."""
    return [
        rule
        for (action, source), rule in _BY_KEY.items()
        if source == dossier.status and actor_role_for(rule, dossier, actor) is not None
    ]


@dataclass
class Changes:
    """What a service decided a transition does, beyond the status."""

    fields: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    target: Status | None = None  # overrides the rule's target
    form: str = ""  # overrides the rule's form
    handover: dict[str, Any] | None = None
    skip_pause: bool = False  # the rule stops the clock, but this procedure's clock keeps running
    rows: list[Model] = field(default_factory=list)  # new rows of the dossier, written with it
    after: list[Callable[[DossierEvent], object]] = field(default_factory=list)  # results are ignored


Builder = Callable[[Rule, Dossier, datetime], Changes]


def transition(
    *,
    dossier: Dossier,
    action: Action,
    actor: Actor,
    build: Builder | None = None,
    reason: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Apply `action` to `dossier` as `actor`; the one place a dossier changes.

    `expected_version` is the `row_version` the caller read the dossier at (the version a
    page's form or an API client carries): if the dossier changed since, the action is
    refused with a conflict naming who changed it and when, never applied silently."""
    if expected_version is not None and dossier.pk is not None and expected_version != dossier.row_version:
        raise dossier_changed(dossier, expected_version)
    rule = rule_for(action, dossier.status if dossier.pk else None)
    permitted = actor_role_for(rule, dossier, actor)
    if permitted is None:
        raise PermissionDenied(
            f"You may not {action.value.replace('_', ' ')} this dossier.",
            details={"action": action.value, "dossier": dossier.code or None},
        )
    reason = reason.strip()
    if rule.reason_required and not reason:
        raise InvalidInput("A reason is required for this action.", code="reason_required")
    now = at or timezone.now()
    role, role_agency = permitted
    if dossier.pk is None:
        # Creation: the dossier code is allocated inside the same transaction as the rows.
        with atomic_change():
            changes = build(rule, dossier, now) if build else Changes()
            return _persist(dossier, rule, changes, actor, role, role_agency, reason, now)
    # The builder only reads; the conditional UPDATE below proves the dossier did not change
    # since it was read (row_version), so its reads need not hold a transaction open.
    changes = build(rule, dossier, now) if build else Changes()
    # The change's own rows (hand-over, pause, papers) go with the dossier's UPDATE in one
    # statement (writes.py); only callbacks that write more need a transaction around it.
    if not changes.after:
        return _persist(dossier, rule, changes, actor, role, role_agency, reason, now)
    with atomic_change():
        return _persist(dossier, rule, changes, actor, role, role_agency, reason, now)


def _persist(
    dossier: Dossier,
    rule: Rule,
    changes: Changes,
    actor: Actor,
    role: str,
    role_agency: int | None,
    reason: str,
    now: datetime,
) -> DossierEvent:
    """Write the transition: the dossier row, the event, and the rows the rule needs, in one
    statement on PostgreSQL (writes.py)."""
    creating = dossier.pk is None
    from_status = "" if creating else dossier.status
    target = changes.target or rule.target or Status(dossier.status)
    fields = dict(changes.fields)
    fields["status"] = target
    pause = None if changes.skip_pause else rule.pause
    if pause is not None:
        fields["paused_since"] = now
        fields["status_before_pause"] = from_status
    if rule.resumes:
        fields["paused_since"] = None
        fields["status_before_pause"] = ""
    event = DossierEvent(
        action=rule.action.value,
        from_status=from_status,
        to_status=target,
        at=now,
        actor_id=actor.user_id,
        actor_name=actor.name or actor.system,
        actor_role=role,
        actor_agency_id=role_agency,
        reason=reason,
        form=changes.form or rule.form,
        data=changes.data,
    )
    rows: list[Model] = []
    if pause is not None:
        rows.append(ClockPause(kind=pause, started_at=now, during_intake=rule.phase == "intake"))
    if changes.handover is not None:
        rows.append(Handover(at=now, **changes.handover))
    rows += changes.rows
    if creating:
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.row_version = 1
        event.seq = 1
        dossier.chain_head = _seal(event, chain.GENESIS, dossier.code, actor)
        writes.write_new(dossier, event, rows)
        # Kept on the new instance, so that the answer to the filing need not read it back.
        dossier._first_event = event  # type: ignore[attr-defined]
    else:
        fields["updated_at"] = now
        event.seq = dossier.row_version + 1
        # The conditional UPDATE proves the row, hence its chain head, is the one read here.
        fields["chain_head"] = _seal(event, dossier.chain_head, dossier.code, actor)
        if not writes.write_change(dossier, fields, event, rows):
            raise dossier_changed(dossier, dossier.row_version)
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.row_version += 1
    for callback in changes.after:
        callback(event)
    event_appended.send(sender=Dossier, event=event)
    return event


def _seal(event: DossierEvent, previous: str, code: str, actor: Actor) -> str:
    """Hash `event` onto its dossier's chain (chain.py); the dossier row keeps the result as
    its head, so the next transition needs no extra read."""
    username = actor.username
    if actor.user_id is not None and not username:
        username = get_user_model().objects.values_list("username", flat=True).get(pk=actor.user_id)
    event.actor_username = username if actor.user_id is not None else ""
    content = event_content({**event.__dict__, "data": event.data})
    event.hash = chain.link(chain.settings_key(), previous, code, content)
    return event.hash


def dossier_changed(dossier: Dossier, expected_version: int) -> Conflict:
    """The conflict for an action on a dossier read at `expected_version` that has changed
    since: it names the latest change (who, when) so the person can reload and decide."""
    latest = (
        DossierEvent.objects.filter(dossier_id=dossier.pk).order_by("-seq").values("seq", "actor_name", "at").first()
    )
    if latest is None:
        return Conflict("This dossier was changed since you read it; reload it.", code="dossier_changed")
    at = timezone.localtime(latest["at"], VN_TZ)
    who = latest["actor_name"] or "?"
    return Conflict(
        f"This dossier was changed by {who} at {at:%H:%M %d/%m/%Y}; reload it and check before acting again.",
        code="dossier_changed",
        details={
            "expected_version": expected_version,
            "version": latest["seq"],
            "changed_by": who,
            "changed_at": at.isoformat(),
        },
    )
