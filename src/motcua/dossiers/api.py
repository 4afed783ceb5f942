# long: one router for the dossier: creation, reads and one endpoint per command of the workflow.
"""Dossier endpoints: create, list, detail with timeline, and one command per transition."""

# long: one short registration per workflow command, kept together so the API mirrors TABLE.

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from motcua.api.auth import REQUIRED, current_actor
from motcua.api.pagination import decode_cursor, encode_cursor
from motcua.api.types import ErrorOut, Instant
from motcua.catalog.selectors import version_for_filing
from motcua.dossiers import selectors, services
from motcua.dossiers.api_schemas import (
    AcceptSupplementIn,
    ApologiseIn,
    ApplicantIn,
    AssignIn,
    CommandOut,
    CompletionIn,
    ComponentInSchema,
    DeliveryChoiceIn,
    DossierCreateIn,
    DossierDetail,
    DossierPage,
    FinishIn,
    HandOverIn,
    NoteIn,
    PaymentConfirmIn,
    PaymentRequestIn,
    ReceiveIn,
    RequestStopIn,
    RequiredReasonIn,
    ResubmitIn,
    ReturnIn,
    StopIn,
    SupplementIn,
    WithdrawIn,
)
from motcua.dossiers.idempotency import run_idempotent
from motcua.dossiers.models import Channel, Dossier, DossierComponent, DossierEvent
from motcua.dossiers.workflow import Action, allowed_actions
from motcua.lib.errors import InvalidInput, PermissionDenied, PreconditionRequired
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency
from motcua.organizations.selectors import agency_get
from motcua.organizations.systems import connected_system
from motcua.people.services import person_find_or_create

router = Router(tags=["dossiers"], auth=REQUIRED)


def _utc(instant: datetime | None) -> datetime | None:
    """An instant as the database gives it back (UTC), whether read or just computed (a due
    instant is computed in Vietnam's time): the same instant is written the same way in
    every answer."""
    return None if instant is None else instant.astimezone(UTC)


def _summary(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code,
        "status": d.status,
        "status_label": d.get_status_display(),
        "national_status": d.national_status[0],
        "procedure": d.procedure_version.procedure.code,
        "procedure_name": d.procedure_version.name,
        "channel": d.channel,
        "receiving_agency": d.receiving_agency.code,
        "settling_agency": d.settling_agency.code,
        "current_agency": d.current_agency.code,
        "applicant_name": d.applicant.full_name,
        "received_at": _utc(d.received_at),
        "appointment_at": _utc(d.appointment_at),
        "due_at": _utc(d.due_at),
    }


def _event(e: DossierEvent, agencies: dict[int, Agency] | None = None) -> dict[str, Any]:
    agency = None
    if e.actor_agency_id is not None:
        known = (agencies or {}).get(e.actor_agency_id)
        agency = known.code if known is not None else e.actor_agency.code  # type: ignore[union-attr]
    return {
        "seq": e.seq,
        "action": e.action,
        "from_status": e.from_status,
        "to_status": e.to_status,
        "at": _utc(e.at),
        "actor": e.actor_name,
        "actor_role": e.actor_role,
        "actor_agency": agency,
        "reason": e.reason,
        "form": e.form,
        "data": e.data,
    }


def _known_agencies(d: Dossier) -> dict[int, Agency]:
    """The dossier's agencies already on the instance, by id (none is read for this)."""
    known: dict[int, Agency] = {}
    for name in ("receiving_agency", "settling_agency", "current_agency"):
        agency = Dossier._meta.get_field(name).get_cached_value(d, None)  # type: ignore[union-attr]
        if isinstance(agency, Agency):
            known[agency.pk] = agency
    return known


def _current_agency(d: Dossier, agencies: dict[int, Agency]) -> Agency:
    """The agency the dossier is at: a change that moves it sets only its id, and it is
    usually one the instance already holds (the receiving or the settling agency)."""
    return agencies.get(d.current_agency_id) or d.current_agency


def _answer(d: Dossier, event: DossierEvent) -> dict[str, Any]:
    """A command's compact answer, built from what the command already holds: no re-read."""
    agencies = _known_agencies(d)
    return {
        "code": d.code,
        "status": d.status,
        "status_label": d.get_status_display(),
        "national_status": d.national_status[0],
        "version": d.row_version,
        "current_agency": _current_agency(d, agencies).code,
        "due_at": _utc(d.due_at),
        "appointment_at": _utc(d.appointment_at),
        "event": _event(event, agencies),
    }


def _detail(
    d: Dossier,
    actor: Actor,
    events: list[DossierEvent] | None = None,
    components: list[DossierComponent] | None = None,
) -> dict[str, Any]:
    """The detail of a dossier read with `dossier_for`; its timeline and components are read
    here unless given (a dossier just filed gives what filing it wrote)."""
    agencies = _known_agencies(d)
    timeline = [_event(e, agencies) for e in (selectors.dossier_timeline(d) if events is None else events)]
    return {
        **_summary(d),
        "version": d.row_version,
        "procedure_version": d.procedure_version.number,
        "online_source": d.online_source,
        "applicant_id_number": d.applicant.id_number,
        "current_step": d.current_step.key if d.current_step_id else None,  # type: ignore[union-attr]
        "step_due_at": _utc(d.step_due_at),
        "submitted_at": _utc(d.submitted_at),
        "processed_at": _utc(d.processed_at),
        "returned_at": _utc(d.returned_at),
        "paused_since": _utc(d.paused_since),
        "supplement_count": d.supplement_count,
        "late_by_supplement": d.late_by_supplement,
        "reappointment_count": d.reappointment_count,
        "apology_late": any(e["action"] == "apologise" and e["data"].get("late") for e in timeline),
        "fee_vnd": d.fee_vnd,
        "paid_vnd": d.paid_vnd,
        "form_data": d.form_data,
        # Plain data, not model rows: the body is also stored for Idempotency-Key replays.
        "components": [
            {
                "name": c.name,
                "copies": c.copies,
                "provided": c.provided,
                "digitized": c.digitized,
                "from_warehouse": c.from_warehouse,
                "reused_data": c.reused_data,
                "file_name": c.file_name,
            }
            for c in (d.components.all() if components is None else components)
        ],
        "events": timeline,
        "allowed_actions": sorted({rule.action.value for rule in allowed_actions(d, actor)}),
    }


def _created(d: Dossier, actor: Actor) -> dict[str, Any]:
    """The detail of a dossier just filed, from what filing it holds (its one event, the
    components it wrote, its version, applicant and agencies): what `GET` answers right
    after, without reading the dossier back."""
    event, rows = services.dossier_filed_parts(d)
    if event is None or rows is None:
        return _detail(selectors.dossier_for(actor, d.code), actor)
    return _detail(d, actor, [event], rows)


# ------------------------------------------------------------------ create, list, detail


@router.post("", response={201: DossierDetail}, summary="File a dossier (online, counter or post)")
def dossier_create(request: HttpRequest, body: DossierCreateIn) -> Status[Any]:
    actor = current_actor(request)

    def command() -> tuple[int, Any]:
        version = version_for_filing(body.procedure)
        applicant = _applicant(actor, body.applicant)
        receiving = agency_get(code=body.receiving_agency) if body.receiving_agency else None
        settling = agency_get(code=body.settling_agency) if body.settling_agency else None
        components = [services.ComponentIn(**c.dict()) for c in body.components]
        if body.channel == Channel.ONLINE:
            dossier = services.dossier_submit(
                actor=actor,
                version=version,
                applicant=applicant,
                receiving_agency=receiving,
                settling_agency=settling,
                form_data=body.form_data,
                components=components,
                # A connected system that acts only on what it delivered files as itself.
                source=_own_source(actor) or body.source,
                external_id=body.external_id,
                authorised_person=body.authorised_person,
            )
        else:
            if receiving is None:
                receiving_ids = actor.agency_ids({"reception"})
                if len(receiving_ids) != 1:
                    raise InvalidInput("Name the receiving agency.", code="receiving_agency_required")
                receiving = Agency.objects.get(pk=next(iter(receiving_ids)))
            common: dict[str, Any] = {
                "actor": actor,
                "version": version,
                "applicant": applicant,
                "receiving_agency": receiving,
                "channel": body.channel,
                "settling_agency": settling,
                "form_data": body.form_data,
                "components": components,
                "authorised_person": body.authorised_person,
                "sets": body.sets,
            }
            if body.outcome == "receive":
                dossier = services.dossier_register(**common, outside_hours_reason=body.outside_hours_reason)
            else:
                dossier = services.dossier_register_not_received(
                    **common, action=Action(body.outcome), reason=body.reason, items=body.items
                )
        return 201, _created(dossier, actor)

    return Status(*run_idempotent(request, "dossier_create", body.dict(), command))


def _own_source(actor: Actor) -> str:
    kind = connected_system(actor.system) if actor.system else None
    return kind.own_source if kind is not None else ""


class ComponentFileOut(Schema):
    name: str
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str


@router.post(
    "/{code}/files",
    response={201: ComponentFileOut},
    summary="Upload the file of a listed component (PDF, JPEG or PNG, checked by its content)",
)
def dossier_component_file(
    request: HttpRequest, code: str, name: Form[str], file: File[UploadedFile]
) -> Status[Any]:
    """multipart/form-data: `name` (the component as listed when filing) and `file`. Refused
    with 422 `upload_refused` (nothing stored) unless the bytes are a plain PDF or a decodable
    PNG/JPEG within the size, page and pixel limits."""
    actor = current_actor(request)
    dossier = selectors.dossier_for(actor, code)
    component = services.dossier_component_attach_file(dossier=dossier, actor=actor, name=name, file=file)
    return Status(201, component)


def _applicant(actor: Actor, data: ApplicantIn | None) -> Any:
    from motcua.people.models import Person

    if data is None:
        if actor.person_id is None:
            raise InvalidInput("Say who the applicant is.", code="applicant_required")
        return Person.objects.get(pk=actor.person_id)
    if not actor.is_officer and not actor.system:
        own = Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None
        if own is None or own.id_number != data.id_number:
            raise PermissionDenied(
                "A citizen files only for themself; a counter officer can file for others.", code="not_your_identity"
            )
    return person_find_or_create(**data.dict())


class ListFilters(Schema):
    status: list[str] | None = None
    agency: str | None = None
    procedure: str | None = None
    channel: str | None = None
    due_after: Instant | None = None
    due_before: Instant | None = None
    received_after: Instant | None = None
    received_before: Instant | None = None
    applicant: str | None = None
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = None


@router.get("", response=DossierPage, summary="Dossiers you may see, newest first")
def dossier_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    params = filters.dict()
    limit, cursor = params.pop("limit"), params.pop("cursor")
    dossiers = selectors.dossier_list(current_actor(request), **params)
    if cursor:
        dossiers = dossiers.filter(id__lt=decode_cursor(cursor))
    page = list(dossiers[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return {"items": [_summary(d) for d in page], "next_cursor": encode_cursor(page[-1].pk) if more else None}


@router.get("/{code}", response=DossierDetail, summary="A dossier with its timeline")
def dossier_detail(request: HttpRequest, code: str, response: HttpResponse) -> dict[str, Any]:
    actor = current_actor(request)
    dossier = selectors.dossier_for(actor, code)
    response["ETag"] = f'"{dossier.row_version}"'  # what a command sends back as If-Match
    return _detail(dossier, actor)


class TrackOut(Schema):
    code: str
    status: str
    status_label: str
    appointment_at: datetime | None
    receiving_agency: str
    receiving_agency_name: str


@router.get("/{code}/track", response=TrackOut, auth=None, summary="Public tracking (nothing personal)")
def dossier_track(request: HttpRequest, code: str) -> dict[str, Any]:
    d = selectors.dossier_public_view(code)
    return {
        "code": d.code,
        "status": d.status,
        "status_label": d.get_status_display(),
        # Refused, withdrawn or stopped: no appointment holds any more.
        "appointment_at": None if d.ended_without_result else d.due_at,
        "receiving_agency": d.receiving_agency.code,
        "receiving_agency_name": d.receiving_agency.name,
    }


# ------------------------------------------------------------------ commands


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The dossier's `version` you read (its detail's `ETag`); the same as `expected_version`.",
    ),
]


VERSION_REQUIRED = "Send expected_version or If-Match: the dossier's version as you read it."


def _expected_version(in_body: int | None, if_match: str | None) -> int:
    """The version a command was read at, from the body or the `If-Match` header; a command
    without it is refused (428) before anything is read or written."""
    if not if_match:
        if in_body is None:
            raise PreconditionRequired(VERSION_REQUIRED, code="version_required")
        return in_body
    raw = if_match.strip().removeprefix("W/").strip('"')
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput("If-Match carries the dossier's version, a positive number.", code="invalid_if_match")
    if in_body is not None and in_body != int(raw):
        raise InvalidInput("If-Match and expected_version disagree.", code="invalid_if_match")
    return int(raw)


#: 409 `dossier_changed` (read at an older version) or `transition_not_allowed`; 428
#: `version_required` (no version sent).
COMMAND_RESPONSES: dict[int, Any] = {200: CommandOut, 409: ErrorOut, 428: ErrorOut}


#: Commands whose legal form lists the dossier's components (Form 01 of a receipt): the
#: dossier is read with them, in one statement.
LISTING = frozenset({Action.RECEIVE, Action.ACCEPT_SUPPLEMENT})


def _command(action: Action, schema: type[Schema], run: Callable[[Dossier, Actor, Any], DossierEvent]) -> None:
    path = f"/{{code}}/{action.value}"

    def endpoint(request: HttpRequest, code: str, body: Any, if_match: IfMatch = None) -> Status[Any]:
        actor = current_actor(request)
        body.expected_version = _expected_version(body.expected_version, if_match)

        def command() -> tuple[int, Any]:
            dossier = selectors.dossier_for(actor, code, listed=action in LISTING)
            event = run(dossier, actor, body)
            return 200, _answer(dossier, event)

        return Status(*run_idempotent(request, f"dossier:{code}:{action.value}", body.dict(), command))

    endpoint.__annotations__["body"] = schema
    endpoint.__name__ = f"dossier_{action.value}"
    router.add_api_operation(
        path,
        ["POST"],
        endpoint,
        response=COMMAND_RESPONSES,
        summary=action.value.replace("_", " ").capitalize(),
        operation_id=f"dossier_{action.value}",
    )
    alias = action.value.replace("_", "-")
    if alias != action.value:
        router.add_api_operation(
            f"/{{code}}/{alias}",
            ["POST"],
            endpoint,
            response=COMMAND_RESPONSES,
            include_in_schema=False,
            operation_id=f"dossier_{action.value}_alias",
        )


def _components(items: list[ComponentInSchema] | None) -> list[services.ComponentIn] | None:
    return None if items is None else [services.ComponentIn(**c.dict()) for c in items]


_command(
    Action.RECEIVE,
    ReceiveIn,
    lambda d, a, b: services.dossier_receive(
        dossier=d,
        actor=a,
        expected_version=b.expected_version,
        components=_components(b.components),
        outside_hours_reason=b.outside_hours_reason,
    ),
)
_command(
    Action.REFUSE,
    RequiredReasonIn,
    lambda d, a, b: services.dossier_refuse(dossier=d, actor=a, expected_version=b.expected_version, reason=b.reason),
)
_command(
    Action.REQUEST_SUPPLEMENT,
    SupplementIn,
    lambda d, a, b: services.dossier_request_supplement(
        dossier=d, actor=a, expected_version=b.expected_version, reason=b.reason, items=b.items
    ),
)
_command(
    Action.RETURN_FOR_COMPLETION,
    CompletionIn,
    lambda d, a, b: services.dossier_return_for_completion(
        dossier=d, actor=a, expected_version=b.expected_version, items=b.items, reason=b.reason
    ),
)
_command(
    Action.ACCEPT_SUPPLEMENT,
    AcceptSupplementIn,
    lambda d, a, b: services.dossier_accept_supplement(
        dossier=d, actor=a, expected_version=b.expected_version, outside_hours_reason=b.outside_hours_reason
    ),
)
_command(
    Action.RESUBMIT,
    ResubmitIn,
    lambda d, a, b: services.dossier_resubmit(
        dossier=d, actor=a, expected_version=b.expected_version, components=_components(b.components), note=b.note
    ),
)
_command(
    Action.START_PROCESSING,
    NoteIn,
    lambda d, a, b: services.dossier_start_processing(dossier=d, actor=a, expected_version=b.expected_version),
)
_command(
    Action.HAND_OVER,
    HandOverIn,
    lambda d, a, b: services.dossier_hand_over(
        dossier=d,
        actor=a,
        expected_version=b.expected_version,
        to_step=b.to_step,
        to_agency=agency_get(code=b.to_agency) if b.to_agency else None,
        note=b.note,
    ),
)
_command(
    Action.ASSIGN,
    AssignIn,
    lambda d, a, b: services.dossier_assign(
        dossier=d, actor=a, expected_version=b.expected_version, assignee=b.assignee, unit=b.unit, note=b.note
    ),
)
_command(
    Action.REQUEST_PAYMENT,
    PaymentRequestIn,
    lambda d, a, b: services.dossier_request_payment(
        dossier=d, actor=a, expected_version=b.expected_version, amount_vnd=b.amount_vnd, note=b.note
    ),
)
_command(
    Action.CONFIRM_PAYMENT,
    PaymentConfirmIn,
    lambda d, a, b: services.dossier_confirm_payment(
        dossier=d,
        actor=a,
        expected_version=b.expected_version,
        amount_vnd=b.amount_vnd,
        online=b.online,
        reference=b.reference,
    ),
)
_command(
    Action.APOLOGISE,
    ApologiseIn,
    lambda d, a, b: services.dossier_apologise(
        dossier=d, actor=a, expected_version=b.expected_version, reason=b.reason, new_due_at=b.new_due_at
    ),
)
_command(
    Action.APPROVE,
    NoteIn,
    lambda d, a, b: services.dossier_approve(dossier=d, actor=a, expected_version=b.expected_version, note=b.note),
)
_command(
    Action.FINISH,
    FinishIn,
    lambda d, a, b: services.dossier_finish(
        dossier=d, actor=a, expected_version=b.expected_version, note=b.note, electronic_result=b.electronic_result
    ),
)
_command(
    Action.RETURN_RESULT,
    ReturnIn,
    lambda d, a, b: services.dossier_return_result(
        dossier=d, actor=a, expected_version=b.expected_version, delivery=b.delivery, collected_by=b.collected_by
    ),
)
_command(
    Action.REQUEST_STOP,
    RequestStopIn,
    lambda d, a, b: services.dossier_request_stop(dossier=d, actor=a, **b.dict()),
)
_command(
    Action.STOP,
    StopIn,
    lambda d, a, b: services.dossier_stop(dossier=d, actor=a, **b.dict()),
)
_command(
    Action.WITHDRAW,
    WithdrawIn,
    lambda d, a, b: services.dossier_withdraw(dossier=d, actor=a, **b.dict()),
)
_command(
    Action.CHOOSE_DELIVERY,
    DeliveryChoiceIn,
    lambda d, a, b: services.dossier_choose_delivery(
        dossier=d, actor=a, expected_version=b.expected_version, delivery=b.delivery, address=b.address
    ),
)
