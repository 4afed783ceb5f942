"""Writes for the catalogue: drafts, publication, supersession and abolition of versions."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import (
    ChangeAction,
    CompetentLevel,
    Fee,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    Requirement,
    StepActor,
    TimeUnit,
    VersionChange,
    VersionStatus,
)
from motcua.catalog.selectors import (
    blank_forms_by_name,
    catalogue_changed,
    snapshot_differences,
    version_snapshot,
)
from motcua.lib.errors import Conflict, InvalidInput
from motcua.lib.files import display_name
from motcua.lib.ids import procedure_code_error
from motcua.lib.text import fold
from motcua.lib.uploads import check_upload
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency

LEVELS = {"province", "commune", "district"}
SUBJECTS = {"citizen", "business", "organisation"}


@dataclass
class FeeSpec:
    name: str
    amount_vnd: int
    name_en: str = ""
    note: str = ""


@dataclass
class DocumentSpec:
    name: str
    name_en: str = ""
    copies: int = 1
    original_required: bool = False
    reusable: bool = False
    e_form: bool = False
    #: mandatory, optional, or conditional: mandatory when the e-form's `condition_field`
    #: (a yes/no or choice field at the top of the version's e-form) is answered with one of
    #: `condition_values`.
    requirement: str = Requirement.MANDATORY
    condition_field: str = ""
    condition_values: list[Any] = dataclasses.field(default_factory=list)


@dataclass
class StepSpec:
    key: str
    name: str
    actor_role: str
    budget_amount: int
    budget_unit: str
    name_en: str = ""
    agency: Agency | None = None
    next: list[str] = dataclasses.field(default_factory=list)


@dataclass
class VersionSpec:
    """Everything a version says. Parsed by the API schema or the demo loader."""

    name: str
    field: Field
    time_limit_amount: int
    time_limit_unit: str
    name_en: str = ""
    levels: list[str] = dataclasses.field(default_factory=lambda: ["province"])
    subjects: list[str] = dataclasses.field(default_factory=lambda: ["citizen"])
    competent_level: str = CompetentLevel.AGENCY
    competent_agency: Agency | None = None
    cutoff_time: time | None = None
    pause_on_payment: bool = True
    online_level: str = OnlineLevel.PARTIAL
    eligible_full_online: bool = False
    requires_paper_result: bool = True
    postal_allowed: bool = True
    legal_basis: str = ""
    result_name: str = ""
    description: str = ""
    conditions: str = ""
    e_form_schema: dict[str, Any] | None = None
    fees: list[FeeSpec] = dataclasses.field(default_factory=list)
    documents: list[DocumentSpec] = dataclasses.field(default_factory=list)
    steps: list[StepSpec] = dataclasses.field(default_factory=list)


def _check_spec(spec: VersionSpec) -> None:
    problems: dict[str, str] = {}
    if not spec.name.strip():
        problems["name"] = "A procedure needs a name."
    if spec.time_limit_unit not in TimeUnit.values:
        problems["time_limit_unit"] = f"Use one of {', '.join(TimeUnit.values)}."
    if spec.time_limit_amount < 0:
        problems["time_limit_amount"] = "The time limit cannot be negative."
    if not spec.levels or set(spec.levels) - LEVELS:
        problems["levels"] = f"Levels are a non-empty subset of {sorted(LEVELS)}."
    if set(spec.subjects) - SUBJECTS:
        problems["subjects"] = f"Subjects are a subset of {sorted(SUBJECTS)}."
    if spec.online_level not in OnlineLevel.values:
        problems["online_level"] = f"Use one of {', '.join(OnlineLevel.values)}."
    if spec.competent_level not in CompetentLevel.values:
        problems["competent_level"] = f"Use one of {', '.join(CompetentLevel.values)}."
    if spec.competent_level == CompetentLevel.AGENCY and spec.competent_agency is None:
        problems["competent_agency"] = "Name the competent agency, or set competent_level to commune."
    if spec.eligible_full_online and spec.online_level == OnlineLevel.NONE:
        problems["eligible_full_online"] = (
            "A procedure offered offline only cannot be eligible for full-process service."
        )
    for index, fee in enumerate(spec.fees):
        if fee.amount_vnd < 0:
            problems[f"fees[{index}].amount_vnd"] = "A fee cannot be negative."
    keys = [step.key for step in spec.steps]
    if len(set(keys)) != len(keys):
        problems["steps"] = "Step keys must be unique."
    for step in spec.steps:
        if step.actor_role not in StepActor.values:
            problems[f"steps.{step.key}.actor_role"] = f"Use one of {', '.join(StepActor.values)}."
        if step.budget_unit not in TimeUnit.values:
            problems[f"steps.{step.key}.budget_unit"] = f"Use one of {', '.join(TimeUnit.values)}."
        for target in step.next:
            if target not in keys:
                problems[f"steps.{step.key}.next"] = f"Step {target!r} does not exist."
    if spec.e_form_schema is not None:
        from motcua.eforms.schema import schema_error

        if error := schema_error(spec.e_form_schema):
            problems["e_form_schema"] = error
    for index, doc in enumerate(spec.documents):
        if error := _requirement_error(doc, spec.e_form_schema):
            problems[f"documents[{index}].requirement"] = error
    if problems:
        raise InvalidInput("The procedure version is not valid.", code="invalid_procedure", details=problems)


def _requirement_error(doc: DocumentSpec, schema: dict[str, Any] | None) -> str | None:
    """Why a paper's requirement cannot be enforced: an unknown kind, a condition on a paper
    that is not conditional, or a condition that names no yes/no or choice field of the
    e-form, or answers that field cannot take."""
    from motcua.eforms.schema import choice_answers, same_value

    if doc.requirement not in Requirement.values:
        return f"Use one of {', '.join(Requirement.values)}."
    if doc.requirement != Requirement.CONDITIONAL:
        if doc.condition_field or doc.condition_values:
            return "Only a conditional paper has a condition."
        return None
    answers = choice_answers(schema or {}, doc.condition_field)
    if answers is None:
        return (
            "A conditional paper names a yes/no or choice field at the top of the version's e-form "
            f"(condition_field); {doc.condition_field!r} is not one."
        )
    if not doc.condition_values:
        return "Give the answers of the field that make the paper mandatory (condition_values)."
    if wrong := [v for v in doc.condition_values if not any(same_value(v, a) for a in answers)]:
        return f"The field {doc.condition_field!r} cannot be answered {wrong!r}."
    return None


def _write_fees(version: ProcedureVersion, fees: Sequence[FeeSpec]) -> None:
    Fee.objects.bulk_create(
        Fee(version=version, name=f.name, name_en=f.name_en, amount_vnd=f.amount_vnd, note=f.note) for f in fees
    )


def _write_documents(version: ProcedureVersion, documents: Sequence[DocumentSpec]) -> None:
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            version=version,
            position=i,
            name=d.name,
            name_en=d.name_en,
            copies=d.copies,
            original_required=d.original_required,
            reusable=d.reusable,
            e_form=d.e_form,
            requirement=d.requirement,
            condition_field=d.condition_field if d.requirement == Requirement.CONDITIONAL else "",
            condition_values=list(d.condition_values) if d.requirement == Requirement.CONDITIONAL else [],
        )
        for i, d in enumerate(documents)
    )


def _write_steps(version: ProcedureVersion, specs: Sequence[StepSpec]) -> None:
    steps = ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            key=s.key,
            position=i,
            name=s.name,
            name_en=s.name_en,
            actor_role=s.actor_role,
            agency=s.agency,
            budget_amount=s.budget_amount,
            budget_unit=s.budget_unit,
        )
        for i, s in enumerate(specs)
    )
    by_key = {step.key: step for step in steps}
    if not all(step.pk for step in steps):  # SQLite before 3.35 would not return ids
        by_key = {step.key: step for step in version.steps.all()}
    through = ProcessStep.next_steps.through
    through.objects.bulk_create(
        through(from_processstep=by_key[s.key], to_processstep=by_key[target]) for s in specs for target in s.next
    )


def _write_children(version: ProcedureVersion, spec: VersionSpec) -> None:
    _write_fees(version, spec.fees)
    _write_documents(version, spec.documents)
    _write_steps(version, spec.steps)


def _apply(version: ProcedureVersion, spec: VersionSpec) -> None:
    version.name = spec.name.strip()
    version.name_en = spec.name_en
    version.field = spec.field
    version.levels = list(spec.levels)
    version.subjects = list(spec.subjects)
    version.competent_level = spec.competent_level
    version.competent_agency = spec.competent_agency
    version.time_limit_amount = spec.time_limit_amount
    version.time_limit_unit = spec.time_limit_unit
    version.cutoff_time = spec.cutoff_time
    version.pause_on_payment = spec.pause_on_payment
    version.online_level = spec.online_level
    version.eligible_full_online = spec.eligible_full_online
    version.requires_paper_result = spec.requires_paper_result
    version.postal_allowed = spec.postal_allowed
    version.legal_basis = spec.legal_basis
    version.result_name = spec.result_name
    version.description = spec.description
    version.conditions = spec.conditions
    version.e_form_schema = spec.e_form_schema
    version.search_text = fold(
        " ".join([version.procedure.code, spec.name, spec.name_en, spec.field.name, spec.field.name_en])
    )


def _record(
    version: ProcedureVersion,
    by: Actor | None,
    action: str,
    changed: Sequence[str] = (),
    details: dict[str, Any] | None = None,
) -> VersionChange:
    """The change record of `version` (append-only): who, when, what."""
    return VersionChange.objects.create(
        version=version,
        at=timezone.now(),
        user_id=by.user_id if by else None,
        actor_name=(by.name or by.username or by.system) if by else "",
        action=action,
        changed=list(changed),
        details=details or {},
    )


def _record_edit(version: ProcedureVersion, by: Actor | None, before: dict[str, Any]) -> VersionChange | None:
    differences = snapshot_differences(before, version_snapshot(version))
    if not differences:
        return None
    details = {d.part: {"before": d.before, "after": d.after} for d in differences}
    return _record(version, by, ChangeAction.EDITED, [d.part for d in differences], details)


def _draft_for_update(version: ProcedureVersion) -> ProcedureVersion:
    locked = ProcedureVersion.objects.select_for_update().select_related("procedure", "field").get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise Conflict("Only a draft version can be edited; create a new version.", code="version_not_draft")
    return locked


@transaction.atomic
def procedure_create(*, code: str, spec: VersionSpec, by: Actor | None = None) -> ProcedureVersion:
    """A new procedure with its first version as a draft."""
    if error := procedure_code_error(code):
        raise InvalidInput(error, code="invalid_procedure_code", details={"code": code})
    _check_spec(spec)
    if Procedure.objects.filter(code=code).exists():
        raise Conflict(f"Procedure {code} already exists; add a version instead.", code="duplicate_procedure")
    procedure = Procedure.objects.create(code=code)
    version = ProcedureVersion(procedure=procedure, number=1)
    _apply(version, spec)
    version.save()
    _write_children(version, spec)
    _record(version, by, ChangeAction.CREATED, details={"code": code, "name": version.name})
    return version


@transaction.atomic
def procedure_version_draft(*, procedure: Procedure, spec: VersionSpec, by: Actor | None = None) -> ProcedureVersion:
    """A new draft version (the next number). Only one draft at a time."""
    _check_spec(spec)
    if procedure.versions.filter(status=VersionStatus.DRAFT).exists():
        raise Conflict("This procedure already has a draft version; edit or publish it first.", code="draft_exists")
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ProcedureVersion(procedure=procedure, number=last + 1)
    _apply(version, spec)
    version.save()
    _write_children(version, spec)
    _record(version, by, ChangeAction.DRAFTED, details={"from_version": last or None})
    return version


def procedure_version_draft_from(*, version: ProcedureVersion, by: Actor | None = None) -> ProcedureVersion:
    """A new draft that starts as a copy of `version` (usually the one in force), its papers'
    blank forms included (the files are shared until the draft gets a new one)."""
    draft = procedure_version_draft(procedure=version.procedure, spec=version_spec(version), by=by)
    _put_back_blank_forms(draft, blank_forms_by_name(version))
    return draft


def _put_back_blank_forms(version: ProcedureVersion, blank_forms: dict[str, tuple[str, str, str]]) -> None:
    """A paper that keeps its name keeps its blank form when its version's papers are rewritten."""
    for name, (blank, file_name, content_type) in blank_forms.items():
        version.documents.filter(name=name).update(
            blank_form=blank, blank_form_name=file_name, blank_form_type=content_type
        )


@transaction.atomic
def procedure_version_update(
    *, version: ProcedureVersion, spec: VersionSpec, by: Actor | None = None
) -> ProcedureVersion:
    """Replace a draft's content. Published versions never change."""
    version = _draft_for_update(version)
    _check_spec(spec)
    before = version_snapshot(version)
    _apply(version, spec)
    version.save()
    blank_forms = blank_forms_by_name(version)
    version.fees.all().delete()
    version.documents.all().delete()
    version.steps.all().delete()
    _write_children(version, spec)
    _put_back_blank_forms(version, blank_forms)
    _record_edit(version, by, before)
    return version


_CHILD_WRITERS = {"fees": _write_fees, "documents": _write_documents, "steps": _write_steps}


@transaction.atomic
def procedure_version_edit(
    *, version: ProcedureVersion, changes: dict[str, Any], by: Actor | None = None
) -> ProcedureVersion:
    """Change some parts of a draft (keys of `VersionSpec`), the rest as it is; recorded with
    the parts that changed and their values before and after."""
    version = _draft_for_update(version)
    spec = version_spec(version)
    unknown = set(changes) - {f.name for f in dataclasses.fields(VersionSpec)}
    if unknown:
        raise InvalidInput("Unknown parts of a version.", code="invalid_procedure", details=sorted(unknown))
    spec = dataclasses.replace(spec, **changes)
    _check_spec(spec)
    before = version_snapshot(version)
    _apply(version, spec)
    version.save()
    blank_forms = blank_forms_by_name(version) if "documents" in changes else {}
    for related, write in _CHILD_WRITERS.items():
        if related in changes:
            getattr(version, related).all().delete()
            write(version, getattr(spec, related))  # type: ignore[operator]
    _put_back_blank_forms(version, blank_forms)
    _record_edit(version, by, before)
    return version


def version_documents_set(
    *, version: ProcedureVersion, documents: list[DocumentSpec], by: Actor | None = None
) -> ProcedureVersion:
    """The required papers (thành phần hồ sơ) of a draft, in this order."""
    return procedure_version_edit(version=version, changes={"documents": documents}, by=by)


def version_fees_set(*, version: ProcedureVersion, fees: list[FeeSpec], by: Actor | None = None) -> ProcedureVersion:
    return procedure_version_edit(version=version, changes={"fees": fees}, by=by)


def version_steps_set(*, version: ProcedureVersion, steps: list[StepSpec], by: Actor | None = None) -> ProcedureVersion:
    """The internal process of a draft; each step's `next` names the keys of the steps after it."""
    return procedure_version_edit(version=version, changes={"steps": steps}, by=by)


def version_eform_set(
    *, version: ProcedureVersion, schema: dict[str, Any] | None, by: Actor | None = None
) -> ProcedureVersion:
    """The e-form (JSON Schema) of a draft; None removes it. Checked by `eforms.schema`."""
    return procedure_version_edit(version=version, changes={"e_form_schema": schema}, by=by)


@transaction.atomic
def procedure_version_publish(
    *,
    version: ProcedureVersion,
    decision_number: str,
    decision_date: date,
    effective_date: date,
    legal_effective_date: date | None = None,
    made_public: bool = True,
    by: Actor | None = None,
) -> ProcedureVersion:
    """Publish a draft under a publishing decision (quyết định công bố); the version in force
    before it becomes superseded. Running dossiers keep the version they started with."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise Conflict("Only a draft version can be published.", code="version_not_draft")
    if not decision_number.strip():
        raise InvalidInput("The publishing decision number is required.", code="missing_decision")
    if effective_date < decision_date:
        raise InvalidInput("A version cannot take effect before its decision is signed.", code="invalid_dates")
    now = timezone.now()
    decision = {
        "decision_number": decision_number.strip(),
        "decision_date": decision_date.isoformat(),
        "effective_date": effective_date.isoformat(),
    }
    for old in ProcedureVersion.objects.select_for_update().filter(
        procedure_id=version.procedure_id, status=VersionStatus.PUBLISHED
    ):
        ProcedureVersion.objects.filter(pk=old.pk).update(status=VersionStatus.SUPERSEDED, ended_at=now)
        _record(old, by, ChangeAction.SUPERSEDED, ["status"], {**decision, "by_version": version.number})
    version.status = VersionStatus.PUBLISHED
    version.decision_number = decision_number.strip()
    version.decision_date = decision_date
    version.effective_date = effective_date
    version.legal_effective_date = legal_effective_date
    version.published_at = now
    version.made_public_at = now if made_public else None
    version.save()
    _record(version, by, ChangeAction.PUBLISHED, ["status"], decision)
    catalogue_changed()  # this process at once; others within seconds (filing) or a minute (search)
    transaction.on_commit(catalogue_changed)
    return version


@transaction.atomic
def procedure_abolish(
    *,
    procedure: Procedure,
    decision_number: str,
    decision_date: date,
    effective_date: date | None = None,
    by: Actor | None = None,
) -> ProcedureVersion:
    """Abolish the version in force from `effective_date` (default: the decision's date): no new
    dossiers; running ones continue. It is recorded on or after that day, never ahead of it."""
    version = (
        ProcedureVersion.objects.select_for_update().filter(procedure=procedure, status=VersionStatus.PUBLISHED).first()
    )
    if version is None:
        raise Conflict("This procedure has no published version to abolish.", code="nothing_to_abolish")
    if not decision_number.strip():
        raise InvalidInput("The abolishing decision number is required.", code="missing_decision")
    effective_date = effective_date or decision_date
    if effective_date < decision_date:
        raise InvalidInput("An abolition cannot take effect before its decision is signed.", code="invalid_dates")
    if effective_date > timezone.localdate():
        raise InvalidInput("Record an abolition on or after the day it takes effect.", code="abolition_in_future")
    version.status = VersionStatus.ABOLISHED
    version.ended_at = timezone.now()
    version.decision_number = f"{version.decision_number}; {decision_number.strip()}".strip("; ")
    version.save(update_fields=["status", "ended_at", "decision_number"])
    details = {
        "decision_number": decision_number.strip(),
        "decision_date": decision_date.isoformat(),
        "effective_date": effective_date.isoformat(),
    }
    _record(version, by, ChangeAction.ABOLISHED, ["status"], details)
    catalogue_changed()  # this process at once; others within seconds (filing) or a minute (search)
    transaction.on_commit(catalogue_changed)
    return version


def version_spec(version: ProcedureVersion) -> VersionSpec:
    """What `version` says, as the spec the services take (to edit a part, or copy it)."""
    return VersionSpec(
        name=version.name,
        name_en=version.name_en,
        field=version.field,
        time_limit_amount=version.time_limit_amount,
        time_limit_unit=version.time_limit_unit,
        levels=list(version.levels),
        subjects=list(version.subjects),
        competent_level=version.competent_level,
        competent_agency=version.competent_agency,
        cutoff_time=version.cutoff_time,
        pause_on_payment=version.pause_on_payment,
        online_level=version.online_level,
        eligible_full_online=version.eligible_full_online,
        requires_paper_result=version.requires_paper_result,
        postal_allowed=version.postal_allowed,
        legal_basis=version.legal_basis,
        result_name=version.result_name,
        description=version.description,
        e_form_schema=version.e_form_schema,
        fees=[
            FeeSpec(name=f.name, name_en=f.name_en, amount_vnd=f.amount_vnd, note=f.note) for f in version.fees.all()
        ],
        documents=[
            DocumentSpec(
                name=d.name,
                name_en=d.name_en,
                copies=d.copies,
                original_required=d.original_required,
                reusable=d.reusable,
                e_form=d.e_form,
                requirement=d.requirement,
                condition_field=d.condition_field,
                condition_values=list(d.condition_values),
            )
            for d in version.documents.all()
        ],
        steps=[
            StepSpec(
                key=step.key,
                name=step.name,
                name_en=step.name_en,
                actor_role=step.actor_role,
                budget_amount=step.budget_amount,
                budget_unit=step.budget_unit,
                agency=step.agency,
                next=[n.key for n in step.next_steps.all()],
            )
            for step in version.steps.all()
        ],
    )


def spec_steps(steps: Sequence[dict[str, Any]], agencies: dict[str, Agency]) -> list[StepSpec]:
    """Step specs from plain dicts (API and loader), resolving agency codes."""
    result = []
    for raw in steps:
        agency_code = raw.get("agency")
        result.append(
            StepSpec(
                key=raw["key"],
                name=raw["name"],
                name_en=raw.get("name_en", ""),
                actor_role=raw["actor_role"],
                budget_amount=int(raw["budget_amount"]),
                budget_unit=raw["budget_unit"],
                agency=agencies[agency_code] if agency_code else None,
                next=list(raw.get("next", [])),
            )
        )
    return result


@transaction.atomic
def required_document_blank_form_set(*, document: RequiredDocument, file: Any, file_name: str = "") -> RequiredDocument:
    """Attach the blank form (mẫu đơn, tờ khai) of a paper of a draft version, replacing any.

    The file is checked by its bytes like every upload (a PDF, PNG or JPEG without active
    content: `lib.uploads.check_upload`, 422 `upload_refused`). A published version keeps the
    forms it was published with, as it keeps everything else.
    """
    document = RequiredDocument.objects.select_for_update().select_related("version").get(pk=document.pk)
    if document.version.status != VersionStatus.DRAFT:
        raise Conflict("Only a draft version's papers get a new blank form.", code="version_not_draft")
    checked = check_upload(file)
    old = document.blank_form.name or None
    document.blank_form.save(display_name(file_name or getattr(file, "name", "") or "mau"), file, save=False)
    document.blank_form_name = display_name(file_name or getattr(file, "name", "") or "", "mau-don")
    document.blank_form_type = checked.content_type
    document.save(update_fields=["blank_form", "blank_form_name", "blank_form_type"])
    if old and not RequiredDocument.objects.filter(blank_form=old).exists():
        # Another version's paper may share the file (a draft starts with its source's forms).
        storage = document.blank_form.storage
        transaction.on_commit(lambda: storage.delete(old))
    return document
