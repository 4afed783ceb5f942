"""Dossier endpoints: create, list, detail with timeline, and one command per transition."""

# long: one short registration per workflow command, kept together so the API mirrors TABLE.

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Header, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from motcua.api.auth import REQUIRED, current_actor
from motcua.api.pagination import decode_cursor, encode_cursor
from motcua.api.types import Instant
from motcua.catalog.selectors import version_in_force
from motcua.dossiers import selectors, services
from motcua.dossiers.idempotency import run_idempotent
from motcua.dossiers.models import Channel, Dossier, OnlineSource
from motcua.dossiers.workflow import Action, allowed_actions
from motcua.lib.errors import InvalidInput, PermissionDenied
from motcua.organizations.actors import Actor
from motcua.organizations.selectors import agency_get
from motcua.organizations.systems import connected_system
from motcua.people.services import person_find_or_create

router = Router(tags=["dossiers"], auth=REQUIRED)


# ------------------------------------------------------------------ schemas


class ApplicantIn(Schema):
    id_number: str = Field(description="12-digit personal ID, or an organisation's code.")
    full_name: str = Field(min_length=1, max_length=255)
    kind: str = "citizen"
    address: str = ""
    phone: str = ""
    email: str = ""


class ComponentInSchema(Schema):
    name: str = Field(min_length=1, max_length=500)
    required_document_id: int | None = None
    copies: int = Field(1, ge=1, le=50)
    provided: bool = True
    digitized: bool = False
    from_warehouse: bool = False
    reused_data: bool = False
    source_db_code: str = ""
    file_name: str = ""
    content_type: str = ""
    size_bytes: int = Field(0, ge=0)
    sha256: str = Field("", pattern=r"^([0-9a-f]{64})?$")


class DossierCreateIn(Schema):
    procedure: str = Field(description="Procedure code, d.dddddd; the version in force is used.")
    channel: Channel
    applicant: ApplicantIn | None = Field(None, description="Required unless a citizen files for themself.")
    receiving_agency: str | None = None
    settling_agency: str | None = None
    source: OnlineSource = OnlineSource.PORTAL
    external_id: str = ""
    form_data: dict[str, Any] = {}
    components: list[ComponentInSchema] = []
    authorised_person: dict[str, Any] | None = None
    sets: int = Field(1, ge=1, le=20)


class EventOut(Schema):
    seq: int
    action: str
    from_status: str
    to_status: str
    at: datetime
    actor: str
    actor_role: str
    actor_agency: str | None
    reason: str
    form: str
    data: dict[str, Any]


class ComponentOut(Schema):
    name: str
    copies: int
    provided: bool
    digitized: bool
    from_warehouse: bool
    reused_data: bool
    file_name: str


class DossierSummary(Schema):
    code: str
    status: str
    status_label: str
    national_status: int
    procedure: str
    procedure_name: str
    channel: str
    receiving_agency: str
    settling_agency: str
    current_agency: str
    applicant_name: str
    received_at: datetime | None
    appointment_at: datetime | None
    due_at: datetime | None


class DossierDetail(DossierSummary):
    version: int = Field(description="Changes with every action; send it back as `expected_version` or `If-Match`.")
    procedure_version: int
    online_source: str
    applicant_id_number: str
    current_step: str | None
    step_due_at: datetime | None
    submitted_at: datetime | None
    processed_at: datetime | None
    returned_at: datetime | None
    paused_since: datetime | None
    supplement_count: int
    late_by_supplement: bool
    reappointment_count: int
    fee_vnd: int
    paid_vnd: int
    form_data: dict[str, Any]
    components: list[ComponentOut]
    events: list[EventOut]
    allowed_actions: list[str]


class DossierPage(Schema):
    items: list[DossierSummary]
    next_cursor: str | None


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
        "received_at": d.received_at,
        "appointment_at": d.appointment_at,
        "due_at": d.due_at,
    }


def _detail(d: Dossier, actor: Actor) -> dict[str, Any]:
    d = selectors.dossier_for(actor, d.code) if not hasattr(d, "_prefetched_objects_cache") else d
    events = [
        {
            "seq": e.seq,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "at": e.at,
            "actor": e.actor_name,
            "actor_role": e.actor_role,
            "actor_agency": e.actor_agency.code if e.actor_agency_id else None,  # type: ignore[union-attr]
            "reason": e.reason,
            "form": e.form,
            "data": e.data,
        }
        for e in selectors.dossier_timeline(d)
    ]
    return {
        **_summary(d),
        "version": d.row_version,
        "procedure_version": d.procedure_version.number,
        "online_source": d.online_source,
        "applicant_id_number": d.applicant.id_number,
        "current_step": d.current_step.key if d.current_step_id else None,  # type: ignore[union-attr]
        "step_due_at": d.step_due_at,
        "submitted_at": d.submitted_at,
        "processed_at": d.processed_at,
        "returned_at": d.returned_at,
        "paused_since": d.paused_since,
        "supplement_count": d.supplement_count,
        "late_by_supplement": d.late_by_supplement,
        "reappointment_count": d.reappointment_count,
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
            for c in d.components.all()
        ],
        "events": events,
        "allowed_actions": sorted({rule.action.value for rule in allowed_actions(d, actor)}),
    }


# ------------------------------------------------------------------ create, list, detail


@router.post("", response={201: DossierDetail}, summary="File a dossier (online, counter or post)")
def dossier_create(request: HttpRequest, body: DossierCreateIn) -> tuple[int, Any]:
    actor = current_actor(request)

    def command() -> tuple[int, Any]:
        version = version_in_force(body.procedure)
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
                from motcua.organizations.models import Agency

                receiving = Agency.objects.get(pk=next(iter(receiving_ids)))
            dossier = services.dossier_register(
                actor=actor,
                version=version,
                applicant=applicant,
                receiving_agency=receiving,
                channel=body.channel,
                settling_agency=settling,
                form_data=body.form_data,
                components=components,
                authorised_person=body.authorised_person,
                sets=body.sets,
            )
        return 201, _detail(dossier, actor)

    return run_idempotent(request, "dossier_create", body.dict(), command)


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
) -> tuple[int, Any]:
    """multipart/form-data: `name` (the component as listed when filing) and `file`. Refused
    with 422 `upload_refused` (nothing stored) unless the bytes are a plain PDF or a decodable
    PNG/JPEG within the size, page and pixel limits."""
    actor = current_actor(request)
    dossier = selectors.dossier_for(actor, code)
    component = services.dossier_component_attach_file(dossier=dossier, actor=actor, name=name, file=file)
    return 201, component


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
        "appointment_at": d.due_at,
        "receiving_agency": d.receiving_agency.code,
        "receiving_agency_name": d.receiving_agency.name,
    }


# ------------------------------------------------------------------ commands


class CommandIn(Schema):
    expected_version: int | None = Field(
        None,
        ge=1,
        description=(
            "The dossier's `version` you read (in its detail). If the dossier changed since, the command "
            "is refused with 409 `dossier_changed`, naming who changed it and when. May be sent instead "
            "as the `If-Match` header."
        ),
    )


class ReasonIn(CommandIn):
    reason: str = Field("", max_length=4000)


class RequiredReasonIn(CommandIn):
    reason: str = Field(min_length=1, max_length=4000)


class SupplementIn(RequiredReasonIn):
    items: list[str] = []


class ResubmitIn(CommandIn):
    note: str = ""
    components: list[ComponentInSchema] = []


class ReceiveIn(CommandIn):
    components: list[ComponentInSchema] | None = None


class HandOverIn(CommandIn):
    to_step: str = ""
    to_agency: str | None = None
    note: str = ""


class PaymentRequestIn(CommandIn):
    amount_vnd: int | None = Field(None, gt=0)
    note: str = ""


class PaymentConfirmIn(CommandIn):
    amount_vnd: int = Field(gt=0)
    online: bool = False
    reference: str = ""


class ApologiseIn(RequiredReasonIn):
    new_due_at: Instant


class NoteIn(CommandIn):
    note: str = ""


class FinishIn(NoteIn):
    electronic_result: bool = False


class AssignIn(NoteIn):
    assignee: str = Field("", description="Username of a specialist of the agency the dossier is at.")
    unit: str = Field("", description="Or the code of one of that agency's divisions.")


class ReturnIn(CommandIn):
    delivery: str = "in_person"
    collected_by: str = ""


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The dossier's `version` you read (its detail's `ETag`); the same as `expected_version`.",
    ),
]


def _expected_version(in_body: int | None, if_match: str | None) -> int | None:
    """The version a command was read at, from the body or the `If-Match` header."""
    if not if_match:
        return in_body
    raw = if_match.strip().removeprefix("W/").strip('"')
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput("If-Match carries the dossier's version, a positive number.", code="invalid_if_match")
    if in_body is not None and in_body != int(raw):
        raise InvalidInput("If-Match and expected_version disagree.", code="invalid_if_match")
    return int(raw)


def _command(action: Action, schema: type[Schema], run: Callable[[Dossier, Actor, Any], object]) -> None:
    path = f"/{{code}}/{action.value}"

    def endpoint(request: HttpRequest, code: str, body: Any, if_match: IfMatch = None) -> tuple[int, Any]:
        actor = current_actor(request)
        body.expected_version = _expected_version(body.expected_version, if_match)

        def command() -> tuple[int, Any]:
            dossier = selectors.dossier_for(actor, code)
            run(dossier, actor, body)
            return 200, _detail(dossier, actor)

        return run_idempotent(request, f"dossier:{code}:{action.value}", body.dict(), command)

    endpoint.__annotations__["body"] = schema
    endpoint.__name__ = f"dossier_{action.value}"
    router.add_api_operation(
        path,
        ["POST"],
        endpoint,
        response={200: DossierDetail},
        summary=action.value.replace("_", " ").capitalize(),
        operation_id=f"dossier_{action.value}",
    )
    alias = action.value.replace("_", "-")
    if alias != action.value:
        router.add_api_operation(
            f"/{{code}}/{alias}",
            ["POST"],
            endpoint,
            response={200: DossierDetail},
            include_in_schema=False,
            operation_id=f"dossier_{action.value}_alias",
        )


def _components(items: list[ComponentInSchema] | None) -> list[services.ComponentIn] | None:
    return None if items is None else [services.ComponentIn(**c.dict()) for c in items]


_command(
    Action.RECEIVE,
    ReceiveIn,
    lambda d, a, b: services.dossier_receive(
        dossier=d, actor=a, expected_version=b.expected_version, components=_components(b.components)
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
    Action.STOP,
    RequiredReasonIn,
    lambda d, a, b: services.dossier_stop(dossier=d, actor=a, expected_version=b.expected_version, reason=b.reason),
)
_command(
    Action.WITHDRAW,
    ReasonIn,
    lambda d, a, b: services.dossier_withdraw(dossier=d, actor=a, expected_version=b.expected_version, reason=b.reason),
)
