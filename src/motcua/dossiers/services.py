# long: every write of an app lives in its services.py (docs/architecture.md, "The write path"):
# one short service per dossier command, in the order of the workflow, each read alone.
"""Dossier commands. The API, the pages, the admin and the commands all call these.

Each function is one transition (see `workflow.TABLE`); it computes what changes (due
instants, counters, the legal form's content) and hands it to `workflow.transition`,
which checks the table and the actor, writes the row and appends the event atomically.
Each command on an existing dossier takes `expected_version`, the version its caller read
the dossier at (a page's hidden field, an API client's `If-Match`): a dossier changed since
is refused with `dossier_changed` instead of being acted on blind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for, default_cutoff
from motcua.catalog.models import CompetentLevel, ProcedureVersion, ProcessStep, StepActor, VersionStatus
from motcua.dossiers import chain, integrity
from motcua.dossiers.codes import dossier_code_next
from motcua.dossiers.models import (
    Channel,
    ClockPause,
    Delivery,
    Dossier,
    DossierComponent,
    DossierEvent,
    EventAnchor,
    HandoverResult,
    OnlineSource,
    Status,
)
from motcua.dossiers.selectors import (
    assignable_divisions,
    assignable_specialists,
    documents_missing,
    steps_after,
)
from motcua.dossiers.workflow import Action, Changes, Rule, transition
from motcua.lib.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TooManyRequests
from motcua.lib.files import display_name
from motcua.lib.uploads import CheckedUpload, check_upload
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency, AgencyKind
from motcua.organizations.selectors import agency_commune_of, one_stop_unit_for
from motcua.people.models import Person

VN_TZ = worktime.VN_TZ


@dataclass
class ComponentIn:
    name: str
    required_document_id: int | None = None
    copies: int = 1
    provided: bool = True
    digitized: bool = False
    from_warehouse: bool = False
    reused_data: bool = False
    source_db_code: str = ""
    file: File[Any] | None = None
    file_name: str = ""
    content_type: str = ""
    size_bytes: int = 0
    sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def upload_check(*, file: Any) -> CheckedUpload:
    """Refuse an uploaded or scanned paper that is not what a dossier may hold, judged by its
    bytes (`lib.uploads`: a plain PDF or a decodable PNG/JPEG within the limits); 422
    `upload_refused` with the reason. Returns what the bytes are."""
    return check_upload(file)


def _check_components(
    version: ProcedureVersion,
    components: list[ComponentIn],
    *,
    papers: bool = True,
    form_data: dict[str, Any] | None = None,
) -> None:
    """Every paper the procedure version requires of this dossier is among the components (by
    its required document, or by its name): the mandatory ones, and the conditional ones whose
    condition the e-form answers `form_data` meet. Every attached file is acceptable. The
    portal and the counter ask for the same papers before they get here; the API gets the
    same answer."""
    for item in components:
        if item.file is not None:
            upload_check(file=item.file)
    documents = list(version.documents.all())
    listed = {doc.pk for doc in documents}
    if foreign := sorted({i for i in (c.required_document_id for c in components) if i is not None} - listed):
        raise InvalidInput(
            "A component names a document this procedure does not list.",
            code="unknown_required_document",
            details={"required_document_id": foreign},
        )
    given = [item for item in components if item.provided]
    if not papers:
        return
    missing = documents_missing(
        version,
        documents=documents,
        ids=[item.required_document_id for item in given],
        names=[item.name for item in given if item.required_document_id is None],
        form_data=form_data,
    )
    if missing:
        raise InvalidInput(
            "The dossier lacks mandatory documents: " + "; ".join(doc.name for doc in missing) + ".",
            code="documents_missing",
            details={"missing": [{"id": doc.pk, "name": doc.name} for doc in missing]},
        )


def _local(instant: datetime) -> datetime:
    return timezone.localtime(instant, VN_TZ)


def _fmt(instant: datetime | None) -> str | None:
    return _local(instant).isoformat() if instant else None


# ---------------------------------------------------------------- creation


def _resolve_agencies(
    version: ProcedureVersion, receiving_agency: Agency | None, settling_agency: Agency | None
) -> tuple[Agency, Agency]:
    if version.status != VersionStatus.PUBLISHED:
        raise InvalidInput(
            f"Procedure {version.procedure.code} version {version.number} is not in force.",
            code="procedure_not_in_force",
        )
    settling: Agency | None
    if version.competent_level == CompetentLevel.AGENCY:
        assert version.competent_agency is not None
        settling = version.competent_agency
        if settling_agency is not None and settling_agency.pk != settling.pk:
            raise InvalidInput("This procedure is settled by its competent agency only.", code="wrong_settling_agency")
    else:
        settling = settling_agency or (agency_commune_of(receiving_agency) if receiving_agency else None)
        if settling is None or settling.kind != AgencyKind.COMMUNE:
            raise InvalidInput(
                "Name the commune that settles this commune-level procedure.", code="settling_commune_required"
            )
    receiving = receiving_agency or one_stop_unit_for(settling)
    return receiving, settling


def _new_dossier(
    *,
    version: ProcedureVersion,
    applicant: Person,
    receiving: Agency,
    settling: Agency,
    channel: str,
    online_source: str,
    form_data: dict[str, Any],
    authorised_person: dict[str, Any] | None,
    submitted_by: int | None,
    external_id: str,
    sets: int,
) -> Dossier:
    """A dossier ready to be created; it gets its code inside the transition."""
    if channel not in Channel.values:
        raise InvalidInput(f"Unknown channel {channel!r}.", code="invalid_channel")
    if channel == Channel.POST and not version.postal_allowed:
        raise InvalidInput("This procedure cannot be filed by post.", code="post_not_allowed")
    if sets < 1:
        raise InvalidInput("A dossier has at least one set.", code="invalid_sets")
    from motcua.eforms.schema import form_errors

    if errors := form_errors(version.e_form_schema, form_data):
        raise InvalidInput("The e-form has errors.", code="invalid_form", details=errors)
    return Dossier(
        procedure_version=version,
        channel=channel,
        online_source=online_source,
        receiving_agency=receiving,
        settling_agency=settling,
        current_agency=receiving,
        applicant=applicant,
        authorised_person=authorised_person,
        submitted_by_id=submitted_by,
        form_data=form_data,
        external_id=external_id,
        sets=sets,
        fee_vnd=sum(fee.amount_vnd for fee in version.fees.all()),
    )


def _assign_code(dossier: Dossier, now: datetime) -> None:
    dossier.code, _ = dossier_code_next(dossier.receiving_agency_id, dossier.receiving_agency.code, _local(now).date())
    dossier.submitted_at = now


def _add_components(dossier: Dossier, components: list[ComponentIn], *, fresh: bool = False) -> None:
    # Every file is checked by its bytes before the first one is stored: a refusal stores nothing.
    checked = {id(item): check_upload(item.file) for item in components if item.file is not None}
    rows = []
    for item in components:
        if not item.name.strip():
            raise InvalidInput("Every dossier component needs a name.", code="invalid_component")
        row = DossierComponent(
            dossier_id=dossier.pk,
            required_document_id=item.required_document_id,
            name=item.name.strip(),
            copies=item.copies,
            provided=item.provided,
            digitized=item.digitized or item.file is not None,
            from_warehouse=item.from_warehouse,
            reused_data=item.reused_data,
            source_db_code=item.source_db_code,
            file_name=item.file_name,
            content_type=item.content_type,
            size_bytes=item.size_bytes,
            sha256=item.sha256,
        )
        if item.file is not None:
            digest = hashlib.sha256()
            for chunk in item.file.chunks():
                digest.update(chunk)
            row.sha256 = digest.hexdigest()
            row.size_bytes = item.file.size or 0
            row.content_type = checked[id(item)].content_type
            row.file_name = display_name(row.file_name or (item.file.name or ""))
            row.file.save(row.file_name, item.file, save=False)
        rows.append(row)
    DossierComponent.objects.bulk_create(rows)
    # Remembered on the instance so that receiving the dossier right after (the counter, a
    # retry loop) does not read back what was just written.
    listed = [ComponentIn(name=row.name, copies=row.copies) for row in rows]
    if fresh:
        dossier._listed_components = listed  # type: ignore[attr-defined]
    elif hasattr(dossier, "_listed_components"):
        dossier._listed_components += listed


#: Statuses in which the bytes of a listed paper may still be sent.
_ATTACHABLE = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.PROCESSING})


def dossier_component_attach_file(*, dossier: Dossier, actor: Actor, name: str, file: File[Any]) -> DossierComponent:
    """Send the bytes of a paper that was listed without them (an API client lists the
    components when it files, then uploads each scan). The same content checks as every
    upload; the first listed component of that name without a file gets it. Allowed to a
    connected system, the applicant, and reception officers of the receiving agency."""
    may = (
        bool(actor.system)
        or (actor.person_id is not None and actor.person_id == dossier.applicant_id)
        or actor.has_role(dossier.receiving_agency_id, {"reception"})
    )
    if not may:
        raise PermissionDenied("You may not add files to this dossier.")
    if dossier.status not in _ATTACHABLE:
        raise Conflict("Files can no longer be added to this dossier.", code="dossier_closed_for_files")
    waiting = Q(file__isnull=True) | Q(file="")
    component = dossier.components.filter(waiting, name=name.strip()).order_by("id").first()
    if component is None:
        raise NotFound("The dossier lists no component of that name waiting for its file.", code="component_not_found")
    checked = check_upload(file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    if component.sha256 and component.sha256 != digest.hexdigest():
        raise InvalidInput("The file is not the one listed (its SHA-256 differs).", code="file_mismatch")
    component.sha256 = digest.hexdigest()
    component.size_bytes = checked.size_bytes
    component.content_type = checked.content_type
    component.file_name = display_name(component.file_name or file.name or "")
    component.digitized = True
    component.file.save(component.file_name, file, save=False)
    component.save(update_fields=["sha256", "size_bytes", "content_type", "file_name", "digitized", "file"])
    return component


def _listed_components(dossier: Dossier) -> list[ComponentIn]:
    """Name and copies of each component, for the lists printed on the forms."""
    cached = getattr(dossier, "_listed_components", None)
    if cached is not None:
        return list(cached)
    return [ComponentIn(name=name, copies=copies) for name, copies in dossier.components.values_list("name", "copies")]


def _check_daily_submissions(actor: Actor, applicant: Person, now: datetime) -> None:
    """A citizen filing for themself submits at most CITIZEN_LIMITS["MAX_SUBMISSIONS_PER_DAY"]
    dossiers online per calendar day (an abuse limit); officers and connected systems are not limited."""
    if actor.is_officer or actor.system:
        return
    limit = settings.CITIZEN_LIMITS["MAX_SUBMISSIONS_PER_DAY"]
    day_start = _local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    filed = Dossier.objects.filter(
        applicant=applicant,
        channel=Channel.ONLINE,
        submitted_at__gte=day_start,
        submitted_at__lt=day_start + timedelta(days=1),
    ).count()
    if filed >= limit:
        raise TooManyRequests(
            f"At most {limit} dossiers can be submitted online per day; try again tomorrow.",
            code="too_many_submissions",
            details={"limit": limit},
        )


def dossier_submit(
    *,
    actor: Actor,
    version: ProcedureVersion,
    applicant: Person,
    receiving_agency: Agency | None = None,
    settling_agency: Agency | None = None,
    form_data: dict[str, Any] | None = None,
    components: list[ComponentIn] | None = None,
    source: str = OnlineSource.PORTAL,
    external_id: str = "",
    authorised_person: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Dossier:
    """An online submission (own portal, kiosk, or received from the national portal)."""
    if version.online_level == "none":
        raise InvalidInput("This procedure is not offered online; file it at the counter.", code="not_online")
    if source not in {OnlineSource.PORTAL, OnlineSource.NATIONAL_PORTAL, OnlineSource.KIOSK}:
        raise InvalidInput(f"Unknown online source {source!r}.", code="invalid_source")
    now = at or timezone.now()
    _check_daily_submissions(actor, applicant, now)
    receiving, settling = _resolve_agencies(version, receiving_agency, settling_agency)
    dossier = _new_dossier(
        version=version,
        applicant=applicant,
        receiving=receiving,
        settling=settling,
        channel=Channel.ONLINE,
        online_source=source,
        form_data=form_data or {},
        authorised_person=authorised_person,
        submitted_by=actor.user_id,
        external_id=external_id,
        sets=1,
    )
    # A filing the national portal delivers carries its attachments by file name, and the
    # portal checked them against the national catalogue when the citizen filed; the reception
    # officer checks the papers before receiving (docs/architecture.md, "Connected systems").
    _check_components(
        version, components or [], papers=source != OnlineSource.NATIONAL_PORTAL, form_data=dossier.form_data
    )

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        _assign_code(d, now)
        return Changes(
            data={"channel": Channel.ONLINE, "source": source, "external_id": external_id},
            after=[lambda event: _add_components(d, components or [], fresh=True)],
        )

    transition(dossier=dossier, action=Action.SUBMIT, actor=actor, build=build, at=now)
    return dossier


def dossier_register(
    *,
    actor: Actor,
    version: ProcedureVersion,
    applicant: Person,
    receiving_agency: Agency,
    channel: str = Channel.COUNTER,
    settling_agency: Agency | None = None,
    form_data: dict[str, Any] | None = None,
    components: list[ComponentIn] | None = None,
    authorised_person: dict[str, Any] | None = None,
    sets: int = 1,
    at: datetime | None = None,
) -> Dossier:
    """A walk-in or postal dossier, received at once at the counter with Form 01."""
    if channel not in {Channel.COUNTER, Channel.POST}:
        raise InvalidInput("At the counter the channel is counter or post.", code="invalid_channel")
    now = at or timezone.now()
    receiving, settling = _resolve_agencies(version, receiving_agency, settling_agency)
    dossier = _new_dossier(
        version=version,
        applicant=applicant,
        receiving=receiving,
        settling=settling,
        channel=channel,
        online_source="",
        form_data=form_data or {},
        authorised_person=authorised_person,
        submitted_by=actor.user_id,
        external_id="",
        sets=sets,
    )
    _check_components(version, components or [], form_data=dossier.form_data)

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        _assign_code(d, now)
        changes = _receipt_changes(d, now, components or [], actor)
        changes.after.insert(0, lambda event: _add_components(d, components or [], fresh=True))
        return changes

    transition(dossier=dossier, action=Action.RECEIVE, actor=actor, build=build, at=now)
    return dossier


# ---------------------------------------------------------------- deadlines


def _cutoff(version: ProcedureVersion) -> Any:
    return version.cutoff_time if version.cutoff_time is not None else default_cutoff()


def _legal_due(dossier: Dossier, received_at: datetime) -> worktime.DueDate:
    version = dossier.procedure_version
    return worktime.compute_due(
        received_at,
        version.time_limit_amount,
        version.time_limit_unit,
        calendar_for(dossier.settling_agency_id),
        cutoff=_cutoff(version),
    )


def _step_due(step: ProcessStep | None, dossier: Dossier, start: datetime) -> datetime | None:
    if step is None:
        return None
    agency_id = step.agency_id or dossier.settling_agency_id
    return worktime.due_instant(start, step.budget_amount, step.budget_unit, calendar_for(agency_id), cutoff=None)


def _steps(version: ProcedureVersion) -> list[ProcessStep]:
    return list(version.steps.all())


def _first_processing_step(version: ProcedureVersion) -> ProcessStep | None:
    steps = _steps(version)
    for step in steps:
        if step.actor_role != StepActor.RECEPTION:
            return step
    return None


def _extend(instant: datetime | None, start: datetime, end: datetime, agency_id: int, unit: str) -> datetime | None:
    """Move `instant` later by the clock time that stood still between start and end."""
    if instant is None:
        return None
    cal = calendar_for(agency_id)
    if unit in (worktime.Unit.CALENDAR_DAYS, worktime.Unit.MONTHS):
        return worktime.roll_off_days_off(instant + (end - start), cal)[0]
    return worktime.add_working_time(instant, worktime.working_time_between(start, end, cal), cal)


# ---------------------------------------------------------------- reception


def _receipt_changes(dossier: Dossier, now: datetime, components: list[ComponentIn], actor: Actor) -> Changes:
    due = _legal_due(dossier, now)
    version = dossier.procedure_version
    form01 = {
        "dossier_code": dossier.code,
        "receiving_unit": dossier.receiving_agency.name,
        "applicant": {
            "name": dossier.applicant.full_name,
            "id_number": dossier.applicant.id_number,
            "address": dossier.applicant.address,
            "phone": dossier.applicant.phone,
            "email": dossier.applicant.email,
        },
        "authorised_person": dossier.authorised_person,
        "matter": version.name,
        "procedure_code": version.procedure.code,
        "components": [{"name": c.name, "copies": c.copies} for c in components],
        "sets": dossier.sets,
        "time_limit": {"amount": version.time_limit_amount, "unit": version.time_limit_unit},
        "received_at": _fmt(now),
        "appointment_at": _fmt(due.due),
        "result_place": dossier.receiving_agency.name,
        "receiver": actor.name if actor.is_officer else "",
        "due_explanation": list(due.explanation),
    }
    return Changes(
        fields={
            "received_at": now,
            "clock_started_at": due.clock_start,
            "appointment_at": due.due,
            "due_at": due.due,
        },
        data={"form": form01},
    )


def dossier_receive(
    *,
    dossier: Dossier,
    actor: Actor,
    components: list[ComponentIn] | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Receive an online dossier after checking it: Form 01 with the appointment."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        listed = components if components is not None else _listed_components(d)
        changes = _receipt_changes(d, now, listed, actor)
        if components:
            changes.after.append(lambda event: _add_components(d, components))
        return changes

    return transition(
        dossier=dossier, expected_version=expected_version, action=Action.RECEIVE, actor=actor, build=build, at=at
    )


def dossier_refuse(
    *, dossier: Dossier, actor: Actor, reason: str, at: datetime | None = None, expected_version: int | None = None
) -> DossierEvent:
    """Refuse the dossier with reasons: Form 03."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        return Changes(
            fields={"ended_at": now, "current_step": None},
            data={
                "form": {
                    "dossier_code": d.code,
                    "matter": d.procedure_version.name,
                    "applicant": d.applicant.full_name,
                    "id_number": d.applicant.id_number,
                    "reasons": reason,
                }
            },
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.REFUSE,
        actor=actor,
        build=build,
        reason=reason,
        at=at,
    )


def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: Actor,
    reason: str,
    items: list[str] | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Ask the applicant for missing papers: Form 02. The clock stops until they answer.

    At intake only once (Decree 118/2025 Art. 11). During processing a further request is
    possible, but more than one request over the dossier's life makes it late for
    indicator 2.1 (docs/indicators.md).

    Form 02 lists what to complete, numbered, and gives the issuing unit's phone for questions
    (Circular 03/2025 Appendix I): without at least one item, or without a phone recorded
    for the unit the dossier is at, it is not issued.
    """
    listed = [text for text in (" ".join(str(item).split()) for item in items or []) if text]
    if not listed:
        raise InvalidInput(
            "Form 02 lists, numbered, what the applicant must complete: name at least one item.",
            code="supplement_items_required",
        )

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        unit = d.current_agency or d.receiving_agency
        if not unit.phone:
            raise InvalidInput(
                f"Form 02 gives the phone of {unit.name} for questions, and none is recorded: "
                "record the unit's phone first.",
                code="agency_phone_required",
                details={"agency": unit.code},
            )
        if rule.phase == "intake" and d.intake_supplement_count >= 1:
            raise Conflict(
                "A supplement can be requested only once at intake (Decree 118/2025 Art. 11).",
                code="supplement_already_requested",
            )
        count = d.supplement_count + 1
        fields: dict[str, Any] = {"supplement_count": count}
        if rule.phase == "intake":
            fields["intake_supplement_count"] = d.intake_supplement_count + 1
        if count > 1:
            fields["late_by_supplement"] = True
        return Changes(
            fields=fields,
            data={
                "form": {
                    "dossier_code": d.code,
                    "applicant": d.applicant.full_name,
                    "matter": d.procedure_version.name,
                    "items": listed,
                    "reasons": reason,
                    "contact": actor.name,
                    "contact_phone": unit.phone,
                },
                "phase": rule.phase,
                "late_for_indicators": count > 1,
            },
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.REQUEST_SUPPLEMENT,
        actor=actor,
        build=build,
        reason=reason,
        at=at,
    )


def _pause_closer(d: Dossier, now: datetime) -> Callable[[DossierEvent], object]:
    """An after-callback that ends the dossier's open clock pause at `now`."""
    return lambda event: ClockPause.objects.filter(dossier_id=d.pk, ended_at__isnull=True).update(ended_at=now)


def _resume_changes(d: Dossier, now: datetime) -> tuple[dict[str, Any], list[Any]]:
    """Close the open clock pause and push the due instants later by the time it lasted."""
    start = d.paused_since or now
    version = d.procedure_version
    fields = {
        "due_at": _extend(d.due_at, start, now, d.settling_agency_id, version.time_limit_unit),
        "step_due_at": _extend(d.step_due_at, start, now, d.current_agency_id, worktime.Unit.WORKING_HOURS),
    }

    return fields, [_pause_closer(d, now)]


def dossier_resubmit(
    *,
    dossier: Dossier,
    actor: Actor,
    components: list[ComponentIn] | None = None,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """The applicant completes the dossier; it goes back where it was.

    A dossier completed before it was ever received is received now (Form 01), since the
    clock of a dossier starts only with a complete dossier.
    """

    for item in components or []:
        if item.file is not None:
            upload_check(file=item.file)

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        before = d.status_before_pause or Status.RECEIVED
        after: list[Any] = []
        if components:
            after.append(lambda event: _add_components(d, components))
        if before == Status.SUBMITTED or d.received_at is None:
            listed = _listed_components(d) + (components or [])
            changes = _receipt_changes(d, now, listed, actor)
            changes.fields["paused_since"] = None
            changes.target = Status.RECEIVED
            changes.form = "01"
            after.append(_pause_closer(d, now))
            changes.after.extend(after)
            return changes
        fields, closers = _resume_changes(d, now)
        return Changes(fields=fields, target=Status(before), data={"note": note}, after=[*after, *closers])

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.RESUBMIT,
        actor=actor,
        build=build,
        reason=note,
        at=at,
    )


# ---------------------------------------------------------------- processing


def dossier_start_processing(
    *, dossier: Dossier, actor: Actor, at: datetime | None = None, expected_version: int | None = None
) -> DossierEvent:
    """Transfer the received dossier to the competent agency's first step (Form 06 line)."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        step = _first_processing_step(d.procedure_version)
        to_agency_id = (step.agency_id if step and step.agency_id else None) or d.settling_agency_id
        step_due = _step_due(step, d, now)
        return Changes(
            fields={
                "current_agency_id": to_agency_id,
                "current_step": step,
                "step_started_at": now,
                "step_due_at": step_due,
            },
            data={"to_agency": to_agency_id, "to_step": step.key if step else None},
            handover={
                "from_agency_id": d.current_agency_id,
                "to_agency_id": to_agency_id,
                "from_step": None,
                "to_step": step,
                "given_by_id": actor.user_id,
                "step_due_at": d.step_due_at,
                "result": handover_timeliness(now, d.step_due_at),
            },
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.START_PROCESSING,
        actor=actor,
        build=build,
        at=at,
    )


def handover_timeliness(at: datetime, due: datetime | None) -> str:
    """Form 06: before the due day = early; on the due day and not after the due instant =
    on time; after the due instant = late. (Circular 03/2025 does not define "trước hạn";
    MotCua compares calendar days in Asia/Ho_Chi_Minh.)"""
    if due is None:
        return HandoverResult.ON_TIME
    if at > due:
        return HandoverResult.LATE
    if _local(at).date() < _local(due).date():
        return HandoverResult.EARLY
    return HandoverResult.ON_TIME


def _assignment_left(d: Dossier, agency_id: int) -> dict[str, Any]:
    """An assignment holds within one agency: a dossier handed to another agency leaves it."""
    if agency_id == d.current_agency_id:
        return {}
    return {"assignee_id": None, "assigned_unit_id": None}


def dossier_hand_over(
    *,
    dossier: Dossier,
    actor: Actor,
    to_step: str = "",
    to_agency: Agency | None = None,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Move the dossier to the next step of its process, or to another agency (liên thông)."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        steps = {s.key: s for s in _steps(d.procedure_version)}
        step: ProcessStep | None = None
        if to_step:
            step = steps.get(to_step)
            if step is None:
                raise InvalidInput(
                    f"The process has no step {to_step!r}.", code="unknown_step", details={"steps": sorted(steps)}
                )
            if d.current_step_id and step.pk not in {s.pk for s in steps_after(d)}:
                raise InvalidInput(f"Step {to_step!r} does not follow the current step.", code="step_not_next")
        if step is None and to_agency is None:
            raise InvalidInput("Name the next step or the agency to hand over to.", code="handover_target_required")
        target_agency_id = (
            (to_agency.pk if to_agency else None) or (step.agency_id if step else None) or d.settling_agency_id
        )
        step_due = _step_due(step, d, now) if step else d.step_due_at
        return Changes(
            fields={
                "current_agency_id": target_agency_id,
                "current_step": step,
                "step_started_at": now,
                "step_due_at": step_due,
                "approved_at": None,
                **_assignment_left(d, target_agency_id),
            },
            data={"to_agency": target_agency_id, "to_step": step.key if step else None, "note": note},
            handover={
                "from_agency_id": d.current_agency_id,
                "to_agency_id": target_agency_id,
                "from_step_id": d.current_step_id,
                "to_step": step,
                "given_by_id": actor.user_id,
                "step_due_at": d.step_due_at,
                "result": handover_timeliness(now, d.step_due_at),
                "note": note,
            },
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.HAND_OVER,
        actor=actor,
        build=build,
        reason=note,
        at=at,
    )


def dossier_assign(
    *,
    dossier: Dossier,
    actor: Actor,
    assignee: str = "",
    unit: str = "",
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """A leader assigns the dossier, where it is now, to one of that agency's specialists
    (by username) or to one of its divisions (by agency code); the status does not change.
    The assignee finds it in their "Assigned to me" queue (`selectors.assigned_to`)."""
    if bool(assignee) == bool(unit):
        raise InvalidInput("Assign to a specialist or to a division, one of the two.", code="assignee_required")

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        if assignee:
            found = [s for s in assignable_specialists(d.current_agency_id) if s[1] == assignee]
            if not found:
                raise InvalidInput(
                    f"{assignee} is not an active specialist of the agency the dossier is at.",
                    code="assignee_not_specialist",
                )
            user_id, username, name = found[0]
            return Changes(
                fields={"assignee_id": user_id, "assigned_unit_id": None},
                data={"assignee": username, "assignee_name": name, "note": note},
            )
        division = next((a for a in assignable_divisions(d.current_agency_id) if a.code == unit), None)
        if division is None:
            raise InvalidInput(f"{unit} is not a division of the agency the dossier is at.", code="unit_not_division")
        return Changes(
            fields={"assignee_id": None, "assigned_unit_id": division.pk},
            data={"unit": division.code, "unit_name": division.name, "note": note},
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.ASSIGN,
        actor=actor,
        build=build,
        reason=note,
        at=at,
    )


def dossier_request_payment(
    *,
    dossier: Dossier,
    actor: Actor,
    amount_vnd: int | None = None,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Ask the applicant to pay the fees (and other financial obligations)."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        amount = d.fee_vnd if amount_vnd is None else amount_vnd
        if amount <= 0:
            raise InvalidInput("The amount to pay must be more than 0 VND.", code="invalid_amount")
        fields: dict[str, Any] = {"fee_vnd": amount}
        return Changes(
            fields=fields,
            data={"amount_vnd": amount, "note": note},
            skip_pause=not d.procedure_version.pause_on_payment,
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.REQUEST_PAYMENT,
        actor=actor,
        build=build,
        reason=note,
        at=at,
    )


def dossier_confirm_payment(
    *,
    dossier: Dossier,
    actor: Actor,
    amount_vnd: int,
    online: bool = False,
    reference: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """The fee was paid: exactly the fee due (requested and not yet paid), no more, no less."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        if amount_vnd <= 0:
            raise InvalidInput("The amount paid must be more than 0 VND.", code="invalid_amount")
        due = d.fee_vnd - d.paid_vnd
        if amount_vnd != due:
            raise InvalidInput(
                f"The amount paid ({amount_vnd:,} VND) is not the fee due ({due:,} VND).",
                code="amount_not_fee_due",
                details={"amount_vnd": amount_vnd, "due_vnd": due},
            )
        if d.procedure_version.pause_on_payment:
            fields, closers = _resume_changes(d, now)
        else:
            fields, closers = {}, []
        fields.update({"paid_vnd": d.paid_vnd + amount_vnd, "paid_online": d.paid_online or online})
        return Changes(
            fields=fields, data={"amount_vnd": amount_vnd, "online": online, "reference": reference}, after=closers
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.CONFIRM_PAYMENT,
        actor=actor,
        build=build,
        at=at,
    )


def dossier_apologise(
    *,
    dossier: Dossier,
    actor: Actor,
    reason: str,
    new_due_at: datetime,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Form 04: apology and new date. Only once, and at least one working day before the due
    instant (docs/legal-basis.md#late-results-and-the-new-date)."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        if d.reappointment_count >= 1:
            raise Conflict("A new date can be set only once.", code="already_reappointed")
        if d.due_at is None:
            raise Conflict("The dossier has no due date yet.", code="no_due_date")
        cal = calendar_for(d.settling_agency_id)
        if worktime.working_time_between(now, d.due_at, cal) < cal.daily_working_time:
            raise Conflict(
                "The apology must be sent at least one working day before the due date.", code="apology_too_late"
            )
        new_due = new_due_at if timezone.is_aware(new_due_at) else new_due_at.replace(tzinfo=VN_TZ)
        if new_due <= d.due_at:
            raise InvalidInput("The new date must be later than the current due date.", code="invalid_new_date")
        return Changes(
            fields={"due_at": new_due, "reappointment_count": d.reappointment_count + 1},
            data={
                "form": {
                    "dossier_code": d.code,
                    "applicant": d.applicant.full_name,
                    "id_number": d.applicant.id_number,
                    "matter": d.procedure_version.name,
                    "received_at": _fmt(d.received_at),
                    "original_appointment": _fmt(d.due_at),
                    "reason": reason,
                    "new_due_at": _fmt(new_due),
                    "signed_by": actor.name,
                }
            },
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.APOLOGISE,
        actor=actor,
        build=build,
        reason=reason,
        at=at,
    )


def dossier_approve(
    *, dossier: Dossier, actor: Actor, note: str = "", at: datetime | None = None, expected_version: int | None = None
) -> DossierEvent:
    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        return Changes(fields={"approved_at": now}, data={"note": note})

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.APPROVE,
        actor=actor,
        build=build,
        reason=note,
        at=at,
    )


def dossier_finish(
    *,
    dossier: Dossier,
    actor: Actor,
    note: str = "",
    electronic_result: bool = False,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """The result is ready. A specialist may finish only what a leader approved."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        if not actor.has_role(d.current_agency_id, {"leader"}) and d.approved_at is None:
            raise Conflict(
                "A leader must approve the result before a specialist finishes it.", code="approval_required"
            )
        return Changes(
            fields={
                "processed_at": now,
                "ended_at": now,
                "current_agency_id": d.receiving_agency_id,
                "current_step": None,
                "has_electronic_result": electronic_result or d.has_electronic_result,
            },
            data={"note": note, "electronic_result": electronic_result},
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.FINISH,
        actor=actor,
        build=build,
        reason=note,
        at=at,
    )


def dossier_return_result(
    *,
    dossier: Dossier,
    actor: Actor,
    delivery: str = Delivery.IN_PERSON,
    collected_by: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        if delivery not in Delivery.values:
            raise InvalidInput(f"Delivery is one of {', '.join(Delivery.values)}.", code="invalid_delivery")
        return Changes(
            fields={
                "returned_at": now,
                "result_delivery": delivery,
                "result_collected_by": collected_by or d.applicant.full_name,
            },
            data={"delivery": delivery, "collected_by": collected_by or d.applicant.full_name},
        )

    return transition(
        dossier=dossier, expected_version=expected_version, action=Action.RETURN_RESULT, actor=actor, build=build, at=at
    )


def _ending(d: Dossier, now: datetime) -> dict[str, Any]:
    return {"ended_at": now, "current_step": None}


def dossier_stop(
    *, dossier: Dossier, actor: Actor, reason: str, at: datetime | None = None, expected_version: int | None = None
) -> DossierEvent:
    """Form 05: stop on the applicant's request, before any result (Decree 118/2025 Art. 21)."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        fields = _ending(d, now)
        fields["paused_since"] = None
        return Changes(
            fields=fields,
            data={
                "form": {
                    "dossier_code": d.code,
                    "applicant": d.applicant.full_name,
                    "matter": d.procedure_version.name,
                    "reason": reason,
                }
            },
            after=[_pause_closer(d, now)],
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.STOP,
        actor=actor,
        build=build,
        reason=reason,
        at=at,
    )


def dossier_withdraw(
    *, dossier: Dossier, actor: Actor, reason: str = "", at: datetime | None = None, expected_version: int | None = None
) -> DossierEvent:
    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        fields = _ending(d, now)
        fields["paused_since"] = None
        return Changes(
            fields=fields,
            after=[_pause_closer(d, now)],
        )

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.WITHDRAW,
        actor=actor,
        build=build,
        reason=reason,
        at=at,
    )


def event_anchor_create(*, minimum: int = 1) -> EventAnchor | None:
    """Seal the events written since the last anchor, if there are at least `minimum`."""
    key = chain.settings_key()
    top = integrity.settled_top()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one anchor at a time, whichever worker takes it
                cursor.execute(f"LOCK TABLE {EventAnchor._meta.db_table} IN EXCLUSIVE MODE")
        last = EventAnchor.objects.order_by("-id").first()
        start = last.last_event_id if last else 0
        new = DossierEvent.objects.filter(id__gt=start, id__lte=top)
        count = new.count() if top > start else 0
        if count < max(1, minimum):
            return None
        previous = last.digest if last else ""
        hashes = new.order_by("id").values_list("hash", flat=True).iterator(chunk_size=5000)
        return EventAnchor.objects.create(
            at=timezone.now(),
            last_event_id=top,
            events=count,
            previous=previous,
            digest=chain.anchor(key, previous, hashes),
        )


def dossier_mark_national_synced(*, dossier: Dossier, at: datetime) -> bool:
    """Record that the national portal has the dossier (indicator 1.4). Not a transition: it
    changes no status and writes no event; the first sync time is kept. True the first time."""
    return bool(Dossier.objects.filter(pk=dossier.pk, national_synced_at__isnull=True).update(national_synced_at=at))
