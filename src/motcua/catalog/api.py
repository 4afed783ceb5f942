"""Catalogue endpoints: public reads; drafts and publication for administrators."""

from __future__ import annotations

from datetime import date, time
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field as PField

from motcua.api.auth import REQUIRED, current_actor
from motcua.api.pagination import decode_cursor, encode_cursor
from motcua.catalog import selectors, services
from motcua.catalog.models import Field, Procedure, ProcedureVersion, RequiredDocument, Requirement, VersionStatus
from motcua.lib.errors import InvalidInput, NotFound, PermissionDenied
from motcua.organizations.models import Agency, Role

router = Router(tags=["catalogue"])


class FieldOut(Schema):
    code: str
    name: str
    name_en: str


class FeeOut(Schema):
    name: str
    name_en: str
    amount_vnd: int
    note: str


class ConditionOut(Schema):
    field: str = PField(description="The yes/no or choice field at the top of the version's e-form.")
    values: list[Any] = PField(description="The answers of that field for which the paper is mandatory.")


class DocumentOut(Schema):
    id: int
    name: str
    name_en: str
    copies: int
    original_required: bool
    reusable: bool
    e_form: bool
    requirement: Literal["mandatory", "optional", "conditional"]
    condition: ConditionOut | None = PField(description="Set only for a conditional paper.")

    @staticmethod
    def resolve_condition(obj: RequiredDocument) -> dict[str, Any] | None:
        if obj.requirement != Requirement.CONDITIONAL:
            return None
        return {"field": obj.condition_field, "values": obj.condition_values}


class StepOut(Schema):
    key: str
    name: str
    name_en: str
    actor_role: str
    agency: str | None
    budget_amount: int
    budget_unit: str
    next: list[str]


class TimeLimit(Schema):
    amount: int
    unit: str


class ProcedureSummary(Schema):
    code: str
    version: int
    name: str
    name_en: str
    field: FieldOut
    levels: list[str]
    online_level: str
    time_limit: TimeLimit
    competent_agency: str | None
    competent_level: str


class ProcedureDetail(ProcedureSummary):
    status: str
    subjects: list[str]
    eligible_full_online: bool
    requires_paper_result: bool
    postal_allowed: bool
    cutoff_time: time | None
    legal_basis: str
    result_name: str
    description: str
    conditions: str
    decision_number: str
    decision_date: date | None
    effective_date: date | None
    fees: list[FeeOut]
    documents: list[DocumentOut]
    steps: list[StepOut]
    e_form_schema: dict[str, Any] | None


class ProcedurePage(Schema):
    items: list[ProcedureSummary]
    next_cursor: str | None


def summary(v: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": v.procedure.code,
        "version": v.number,
        "name": v.name,
        "name_en": v.name_en,
        "field": {"code": v.field.code, "name": v.field.name, "name_en": v.field.name_en},
        "levels": v.levels,
        "online_level": v.online_level,
        "time_limit": {"amount": v.time_limit_amount, "unit": v.time_limit_unit},
        "competent_agency": v.competent_agency.code if v.competent_agency_id else None,  # type: ignore[union-attr]
        "competent_level": v.competent_level,
    }


def detail(v: ProcedureVersion) -> dict[str, Any]:
    steps = list(v.steps.select_related("agency").prefetch_related("next_steps"))
    return {
        **summary(v),
        "status": v.status,
        "subjects": v.subjects,
        "eligible_full_online": v.eligible_full_online,
        "requires_paper_result": v.requires_paper_result,
        "postal_allowed": v.postal_allowed,
        "cutoff_time": v.cutoff_time,
        "legal_basis": v.legal_basis,
        "result_name": v.result_name,
        "description": v.description,
        "conditions": v.conditions,
        "decision_number": v.decision_number,
        "decision_date": v.decision_date,
        "effective_date": v.effective_date,
        "fees": list(v.fees.all()),
        "documents": list(v.documents.all()),
        "steps": [
            {
                "key": s.key,
                "name": s.name,
                "name_en": s.name_en,
                "actor_role": s.actor_role,
                "agency": s.agency.code if s.agency_id else None,  # type: ignore[union-attr]
                "budget_amount": s.budget_amount,
                "budget_unit": s.budget_unit,
                "next": [n.key for n in s.next_steps.all()],
            }
            for s in steps
        ],
        "e_form_schema": v.e_form_schema,
    }


@router.get("/fields", response=list[FieldOut], auth=None, tags=["catalogue"], summary="Fields (lĩnh vực)")
def field_list(request: HttpRequest) -> Any:
    return list(Field.objects.all())


class ProcedureFilters(Schema):
    q: str = PField("", max_length=200, description="Words of the name or field, with or without diacritics.")
    field: str = ""
    level: str = ""
    online_level: str = ""
    limit: int = PField(50, ge=1, le=200)
    cursor: str | None = None


@router.get("/procedures", response=ProcedurePage, auth=None, summary="Search published procedures")
def procedure_list(request: HttpRequest, params: Query[ProcedureFilters]) -> dict[str, Any]:
    versions = selectors.procedure_search(
        q=params.q, field=params.field, level=params.level, online_level=params.online_level
    ).order_by("-id")
    if params.cursor:
        versions = versions.filter(id__lt=decode_cursor(params.cursor))
    page = list(versions[: params.limit + 1])
    more = len(page) > params.limit
    page = page[: params.limit]
    return {"items": [summary(v) for v in page], "next_cursor": encode_cursor(page[-1].pk) if more else None}


@router.get("/procedures/{code}", response=ProcedureDetail, auth=None, summary="The version in force")
def procedure_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return detail(selectors.version_in_force(code))


@router.get("/procedures/{code}/versions", response=list[ProcedureDetail], auth=None, summary="Every version")
def procedure_versions(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    versions = list(
        ProcedureVersion.objects.select_related("procedure", "field", "competent_agency")
        .filter(procedure__code=code)
        .exclude(status=VersionStatus.DRAFT)
    )
    if not versions:
        raise NotFound(f"No procedure has the code {code}.", code="procedure_not_found")
    return [detail(v) for v in versions]


# ------------------------------------------------------------------ administration


class FeeIn(Schema):
    name: str = PField(min_length=1, max_length=255)
    name_en: str = ""
    amount_vnd: int = PField(ge=0)
    note: str = ""


class ConditionIn(Schema):
    field: str = PField(min_length=1, max_length=100)
    values: list[Any] = PField(min_length=1, max_length=50)


class DocumentIn(Schema):
    name: str = PField(min_length=1, max_length=500)
    name_en: str = ""
    copies: int = PField(1, ge=1, le=20)
    original_required: bool = False
    reusable: bool = False
    e_form: bool = False
    requirement: Literal["mandatory", "optional", "conditional"] = "mandatory"
    condition: ConditionIn | None = PField(
        None, description="Required for a conditional paper: the e-form field and the answers that make it mandatory."
    )
    optional: bool = PField(
        False, description='Deprecated: true is requirement "optional".', json_schema_extra={"deprecated": True}
    )

    def spec(self) -> services.DocumentSpec:
        legacy = self.optional and self.requirement == "mandatory"
        return services.DocumentSpec(
            name=self.name,
            name_en=self.name_en,
            copies=self.copies,
            original_required=self.original_required,
            reusable=self.reusable,
            e_form=self.e_form,
            requirement="optional" if legacy else self.requirement,
            condition_field=self.condition.field if self.condition else "",
            condition_values=list(self.condition.values) if self.condition else [],
        )


class StepIn(Schema):
    key: str = PField(pattern=r"^[a-z0-9_-]{1,50}$")
    name: str = PField(min_length=1)
    name_en: str = ""
    actor_role: str
    agency: str | None = None
    budget_amount: int = PField(ge=0)
    budget_unit: str
    next: list[str] = []


class VersionIn(Schema):
    name: str = PField(min_length=1, max_length=500)
    name_en: str = ""
    field: str
    time_limit_amount: int = PField(ge=0, le=3660)
    time_limit_unit: str
    levels: list[str] = ["province"]
    subjects: list[str] = ["citizen"]
    competent_level: str = "agency"
    competent_agency: str | None = None
    cutoff_time: time | None = None
    pause_on_payment: bool = True
    online_level: str = "partial"
    eligible_full_online: bool = False
    requires_paper_result: bool = True
    postal_allowed: bool = True
    legal_basis: str = ""
    result_name: str = ""
    description: str = ""
    conditions: str = ""
    e_form_schema: dict[str, Any] | None = None
    fees: list[FeeIn] = []
    documents: list[DocumentIn] = []
    steps: list[StepIn] = []


class ProcedureIn(VersionIn):
    code: str


class PublishIn(Schema):
    decision_number: str = PField(min_length=1, max_length=100)
    decision_date: date
    effective_date: date
    legal_effective_date: date | None = None


class AbolishIn(Schema):
    decision_number: str = PField(min_length=1, max_length=100)
    decision_date: date


def _require_admin(request: HttpRequest) -> None:
    actor = current_actor(request)
    if not actor.agency_ids({Role.ADMIN, Role.CATALOGUE}):
        raise PermissionDenied("Only an administrator or a catalogue manager may change the catalogue.")


def to_spec(body: VersionIn) -> services.VersionSpec:
    """The service's spec from the request. A code in the body that names nothing is a
    mistake in the request (422, with the field), not a missing resource (404)."""
    codes = {s.agency for s in body.steps if s.agency} | ({body.competent_agency} if body.competent_agency else set())
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    field = Field.objects.filter(code=body.field).first()
    problems: dict[str, str] = {}
    if field is None:
        problems["field"] = f"No field has the code {body.field}."
    if body.competent_agency and body.competent_agency not in agencies:
        problems["competent_agency"] = f"No agency has the code {body.competent_agency}."
    for step in body.steps:
        if step.agency and step.agency not in agencies:
            problems[f"steps.{step.key}.agency"] = f"No agency has the code {step.agency}."
    if problems or field is None:
        raise InvalidInput("The procedure version is not valid.", code="invalid_procedure", details=problems)
    return services.VersionSpec(
        name=body.name,
        name_en=body.name_en,
        field=field,
        time_limit_amount=body.time_limit_amount,
        time_limit_unit=body.time_limit_unit,
        levels=body.levels,
        subjects=body.subjects,
        competent_level=body.competent_level,
        competent_agency=agencies[body.competent_agency] if body.competent_agency else None,
        cutoff_time=body.cutoff_time,
        pause_on_payment=body.pause_on_payment,
        online_level=body.online_level,
        eligible_full_online=body.eligible_full_online,
        requires_paper_result=body.requires_paper_result,
        postal_allowed=body.postal_allowed,
        legal_basis=body.legal_basis,
        result_name=body.result_name,
        description=body.description,
        conditions=body.conditions,
        e_form_schema=body.e_form_schema,
        fees=[services.FeeSpec(**f.dict()) for f in body.fees],
        documents=[d.spec() for d in body.documents],
        steps=services.spec_steps([s.dict() for s in body.steps], agencies),
    )


@router.post("/procedures", response={201: ProcedureDetail}, auth=REQUIRED, summary="Create a procedure (draft)")
def procedure_create(request: HttpRequest, body: ProcedureIn) -> Status[dict[str, Any]]:
    _require_admin(request)
    version = services.procedure_create(code=body.code, spec=to_spec(body), by=current_actor(request))
    return Status(201, detail(version))


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        raise NotFound(f"No procedure has the code {code}.", code="procedure_not_found")
    return procedure


@router.post(
    "/procedures/{code}/versions", response={201: ProcedureDetail}, auth=REQUIRED, summary="Start a new draft version"
)
def version_create(request: HttpRequest, code: str, body: VersionIn) -> Status[dict[str, Any]]:
    _require_admin(request)
    version = services.procedure_version_draft(
        procedure=_procedure(code), spec=to_spec(body), by=current_actor(request)
    )
    return Status(201, detail(version))


@router.put(
    "/procedures/{code}/versions/{number}", response=ProcedureDetail, auth=REQUIRED, summary="Edit a draft version"
)
def version_update(request: HttpRequest, code: str, number: int, body: VersionIn) -> dict[str, Any]:
    _require_admin(request)
    version = services.procedure_version_update(
        version=selectors.version_get(code, number), spec=to_spec(body), by=current_actor(request)
    )
    return detail(version)


@router.post(
    "/procedures/{code}/versions/{number}/publish",
    response=ProcedureDetail,
    auth=REQUIRED,
    summary="Publish a draft under a decision",
)
def version_publish(request: HttpRequest, code: str, number: int, body: PublishIn) -> dict[str, Any]:
    _require_admin(request)
    version = services.procedure_version_publish(
        version=selectors.version_get(code, number), **body.dict(), by=current_actor(request)
    )
    return detail(version)


@router.post("/procedures/{code}/abolish", response=ProcedureDetail, auth=REQUIRED, summary="Abolish a procedure")
def procedure_abolish(request: HttpRequest, code: str, body: AbolishIn) -> dict[str, Any]:
    _require_admin(request)
    return detail(services.procedure_abolish(procedure=_procedure(code), **body.dict(), by=current_actor(request)))
