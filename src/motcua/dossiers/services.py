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
from typing import Any, Required, TypedDict

from django.conf import settings
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from typing_extensions import Unpack

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
    delivery_choice_of,
    documents_missing,
    steps_after,
    stop_request_of,
)
from motcua.dossiers.workflow import RESULT_STATUSES, Action, Changes, Rule, transition
from motcua.lib.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TooManyRequests,
    TransitionNotAllowed,
)
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
    form_checked: bool = True,
) -> Dossier:
    """A dossier ready to be created; it gets its code inside the transition. A dossier that
    will not be received (`form_checked=False`) keeps its e-form data only when it is valid."""
    if channel not in Channel.values:
        raise InvalidInput(f"Unknown channel {channel!r}.", code="invalid_channel")
    if channel == Channel.POST and not version.postal_allowed:
        raise InvalidInput("This procedure cannot be filed by post.", code="post_not_allowed")
    if sets < 1:
        raise InvalidInput("A dossier has at least one set.", code="invalid_sets")
    from motcua.eforms.schema import form_errors

    if errors := form_errors(version.e_form_schema, form_data):
        if form_checked:
            raise InvalidInput("The e-form has errors.", code="invalid_form", details=errors)
        form_data = {}
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


def _component_rows(dossier: Dossier, components: list[ComponentIn], *, fresh: bool = False) -> list[DossierComponent]:
    """The rows of `components`, not yet written (a new dossier's go with its INSERT, see
    `workflow.Changes.rows`). Every file is checked by its bytes before the first one is
    stored: a refusal stores nothing."""
    checked = {id(item): check_upload(item.file) for item in components if item.file is not None}
    rows: list[DossierComponent] = []
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
    # Remembered on the instance so that receiving the dossier right after (the counter, a
    # retry loop) does not read back what was just written.
    listed = [
        ComponentIn(name=row.name, copies=row.copies, required_document_id=row.required_document_id) for row in rows
    ]
    if fresh:
        dossier._listed_components = listed  # type: ignore[attr-defined]
        dossier._component_rows = rows  # type: ignore[attr-defined]
    elif hasattr(dossier, "_listed_components"):
        dossier._listed_components += listed
    if not fresh and hasattr(dossier, "_listed_rows"):  # read with the dossier (selectors.dossier_for)
        dossier._listed_rows += [(i.name, i.copies, i.required_document_id) for i in listed]
    return rows


def _add_components(dossier: Dossier, components: list[ComponentIn]) -> None:
    """Write the papers handed in with a change of an existing dossier (an after-callback of
    its transition: the files are stored only once the dossier's UPDATE went through)."""
    DossierComponent.objects.bulk_create(_component_rows(dossier, components))


def dossier_filed_parts(dossier: Dossier) -> tuple[DossierEvent | None, list[DossierComponent] | None]:
    """What filing `dossier` just wrote, as this instance holds it: its first event and its
    component rows (None for a dossier read from the database rather than filed here)."""
    return getattr(dossier, "_first_event", None), getattr(dossier, "_component_rows", None)


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
        return _once(cached)
    rows = getattr(dossier, "_listed_rows", None)  # read with the dossier (selectors.dossier_for)
    if rows is None:
        rows = dossier.components.order_by("id").values_list("name", "copies", "required_document_id")
    return _once([ComponentIn(name=name, copies=copies, required_document_id=doc) for name, copies, doc in rows])


def _once(components: list[ComponentIn]) -> list[ComponentIn]:
    """Each paper once, where it was first listed: a paper handed in again with a supplement
    (same required document, or same name) replaces the earlier one, never adds a line."""
    seen: dict[Any, int] = {}
    out: list[ComponentIn] = []
    for item in components:
        keys: list[tuple[str, Any]] = [("name", " ".join(item.name.split()).casefold())]
        if item.required_document_id:
            keys.append(("doc", item.required_document_id))
        found = next((seen[key] for key in keys if key in seen), None)
        if found is None:
            found = len(out)
            out.append(item)
        else:
            out[found] = ComponentIn(
                name=out[found].name,
                copies=item.copies,
                required_document_id=out[found].required_document_id or item.required_document_id,
            )
        seen.update(dict.fromkeys(keys, found))
    return out


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
            rows=[*_component_rows(d, components or [], fresh=True)],
        )

    transition(dossier=dossier, action=Action.SUBMIT, actor=actor, build=build, at=now)
    return dossier


class CounterFiling(TypedDict, total=False):
    """What the counter takes in for a walk-in or postal dossier, received or not."""

    version: Required[ProcedureVersion]
    applicant: Required[Person]
    receiving_agency: Required[Agency]
    channel: str  # counter (default) or post
    settling_agency: Agency | None
    form_data: dict[str, Any] | None
    components: list[ComponentIn] | None
    authorised_person: dict[str, Any] | None
    sets: int


def _counter_dossier(*, actor: Actor, papers: bool, filing: CounterFiling) -> Dossier:
    """A walk-in or postal dossier as checked at the counter, not yet saved. `papers`: every
    mandatory paper must be there (only to receive it; an incomplete dossier is returned)."""
    version = filing["version"]
    channel = filing.get("channel", Channel.COUNTER)
    if channel not in {Channel.COUNTER, Channel.POST}:
        raise InvalidInput("At the counter the channel is counter or post.", code="invalid_channel")
    receiving, settling = _resolve_agencies(version, filing["receiving_agency"], filing.get("settling_agency"))
    dossier = _new_dossier(
        version=version,
        applicant=filing["applicant"],
        receiving=receiving,
        settling=settling,
        channel=channel,
        online_source="",
        form_data=filing.get("form_data") or {},
        authorised_person=filing.get("authorised_person"),
        submitted_by=actor.user_id,
        external_id="",
        sets=filing.get("sets", 1),
        form_checked=papers,
    )
    _check_components(version, filing.get("components") or [], papers=papers, form_data=dossier.form_data)
    return dossier


def dossier_register(
    *,
    actor: Actor,
    outside_hours_reason: str = "",
    at: datetime | None = None,
    **filing: Unpack[CounterFiling],
) -> Dossier:
    """A complete walk-in or postal dossier, checked and received at the counter: Form 01.
    Outside the receiving agency's working hours only with `outside_hours_reason`."""
    now = at or timezone.now()
    components = filing.get("components") or []
    dossier = _counter_dossier(actor=actor, papers=True, filing=filing)

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        _assign_code(d, now)
        changes = _receipt_changes(d, now, components, actor)
        changes.data |= receipt_hours_check(d, now, outside_hours_reason)
        changes.rows += _component_rows(d, components, fresh=True)
        return changes

    transition(dossier=dossier, action=Action.RECEIVE, actor=actor, build=build, at=now)
    return dossier


def dossier_register_not_received(
    *,
    actor: Actor,
    action: Action,
    reason: str = "",
    items: list[str] | None = None,
    at: datetime | None = None,
    **filing: Unpack[CounterFiling],
) -> Dossier:
    """A walk-in or postal dossier checked at the counter and NOT received: returned to be
    completed (`Action.RETURN_FOR_COMPLETION`, Form 02 with its numbered list) or refused
    (`Action.REFUSE`, Form 03 with the reasons). The dossier is kept with its code, its papers
    and its event, so it is reported, but it has no receipt, no clock and no appointment, and
    the indicators never count it as received (docs/legal-basis.md#checking-before-receiving)."""
    if action not in {Action.RETURN_FOR_COMPLETION, Action.REFUSE}:
        raise InvalidInput("At the counter a dossier not received is returned or refused.", code="unknown_action")
    listed = _supplement_items(items) if action == Action.RETURN_FOR_COMPLETION else []
    now = at or timezone.now()
    components = filing.get("components") or []
    dossier = _counter_dossier(actor=actor, papers=False, filing=filing)

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        _assign_code(d, now)
        changes = (
            _completion_changes(rule, d, actor, listed, reason)
            if action == Action.RETURN_FOR_COMPLETION
            else _refusal_changes(d, now, reason)
        )
        changes.rows += _component_rows(d, components, fresh=True)
        return changes

    transition(dossier=dossier, action=action, actor=actor, build=build, reason=reason, at=now)
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


def receipt_hours_check(dossier: Dossier, now: datetime, reason: str) -> dict[str, Any]:
    """A receipt outside the receiving agency's working hours (its calendar and its working
    hours, `calendars.services.calendar_for`) is refused unless the officer says why; the
    reason is kept on the event (docs/legal-basis.md#receipts-outside-working-hours)."""
    if worktime.in_working_hours(now, calendar_for(dossier.receiving_agency_id)):
        return {}
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(
            "This is outside the receiving agency's working hours: give the reason for receiving now.",
            code="outside_working_hours",
            details={"at": _fmt(now), "agency": dossier.receiving_agency.code},
        )
    return {"outside_hours_reason": reason}


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
        "components": [{"name": c.name, "copies": c.copies} for c in _once(components)],
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
    outside_hours_reason: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Receive a dossier after checking it: Form 01 with the appointment. An online dossier
    waiting for reception (again, after it was completed), or a counter dossier returned for
    completion whose papers are now all there (`components` adds those handed in).
    Outside the receiving agency's working hours only with `outside_hours_reason`."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        listed = _listed_components(d) + list(components or [])
        if d.status == Status.RETURNED_FOR_COMPLETION or d.channel != Channel.ONLINE:
            # Returned at the counter without its papers: received only once they are all there.
            _check_components(d.procedure_version, listed, form_data=d.form_data)
        changes = _receipt_changes(d, now, listed, actor)
        changes.data |= receipt_hours_check(d, now, outside_hours_reason)
        if components:
            changes.after.append(lambda event: _add_components(d, components))
        return changes

    return transition(
        dossier=dossier, expected_version=expected_version, action=Action.RECEIVE, actor=actor, build=build, at=at
    )


def _refusal_changes(d: Dossier, now: datetime, reason: str) -> Changes:
    return Changes(
        fields={"ended_at": now, "current_step": None},
        data={
            "form": {
                "dossier_code": d.code,
                "matter": d.procedure_version.name,
                "applicant": d.applicant.full_name,
                "id_number": d.applicant.id_number,
                "reasons": reason,
            },
            "received": d.received_at is not None,
        },
    )


def dossier_refuse(
    *, dossier: Dossier, actor: Actor, reason: str, at: datetime | None = None, expected_version: int | None = None
) -> DossierEvent:
    """Refuse the dossier with reasons: at intake (an online dossier waiting for reception, or
    one returned to be completed; never received) Form 03 of the one-stop unit; during
    processing the competent agency's reasoned notice ("TC", docs/legal-basis.md#stopping-withdrawal-and-refusal),
    signed for that agency."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        changes = _refusal_changes(d, now, reason)
        if rule.phase == "processing":
            changes.data["form"] |= {
                "competent_agency": d.settling_agency.name,
                "received_at": _fmt(d.received_at),
                "signed_by": actor.name,
            }
        return changes

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.REFUSE,
        actor=actor,
        build=build,
        reason=reason,
        at=at,
    )


def _supplement_items(items: list[str] | None) -> list[str]:
    """Form 02's numbered list, each item once; refused when empty (Circular 03/2025 Appendix I)."""
    listed: list[str] = []
    for text in (" ".join(str(item).split()) for item in items or []):
        if text and text not in listed:
            listed.append(text)
    if not listed:
        raise InvalidInput(
            "Form 02 lists, numbered, what the applicant must complete: name at least one item.",
            code="supplement_items_required",
        )
    return listed


def _supplement_form(d: Dossier, actor: Actor, listed: list[str], reason: str) -> dict[str, Any]:
    """Form 02's content; it gives the phone of the unit the dossier is at for questions."""
    unit = d.current_agency or d.receiving_agency
    if not unit.phone:
        raise InvalidInput(
            f"Form 02 gives the phone of {unit.name} for questions, and none is recorded: "
            "record the unit's phone first.",
            code="agency_phone_required",
            details={"agency": unit.code},
        )
    return {
        "dossier_code": d.code,
        "applicant": d.applicant.full_name,
        "matter": d.procedure_version.name,
        "items": listed,
        "reasons": reason,
        "contact": actor.name,
        "contact_phone": unit.phone,
    }


def _completion_changes(rule: Rule, d: Dossier, actor: Actor, listed: list[str], reason: str) -> Changes:
    """Form 02 at reception: once and completely (Decree 118/2025 Art. 11); nothing received,
    no clock started, so no pause either."""
    if d.intake_supplement_count >= 1:
        raise Conflict(
            "Form 02 at reception is issued once, listing everything missing (Decree 118/2025 Art. 11): "
            "receive the dossier or refuse it.",
            code="supplement_already_requested",
        )
    return Changes(
        fields={"intake_supplement_count": d.intake_supplement_count + 1},
        data={"form": _supplement_form(d, actor, listed, reason), "phase": rule.phase, "received": False},
    )


def dossier_return_for_completion(
    *,
    dossier: Dossier,
    actor: Actor,
    items: list[str] | None,
    reason: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """An online dossier waiting for reception is incomplete: the reception officer returns it
    with Form 02 (the numbered list of what is missing) without receiving it. The applicant
    completes it online (`dossier_resubmit`) and it waits for reception again."""
    listed = _supplement_items(items)

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        return _completion_changes(rule, d, actor, listed, reason)

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.RETURN_FOR_COMPLETION,
        actor=actor,
        build=build,
        reason=reason,
        at=at,
    )


def _arrival(d: Dossier, agency_id: int) -> datetime | None:
    """When the dossier last reached `agency_id` for processing, or when the applicant last
    handed in a supplement to it: the start of the window to ask for a supplement."""
    start = None
    for action, at, data in d.events.order_by("seq").values_list("action", "at", "data"):
        reached = isinstance(data, dict) and data.get("to_agency") == agency_id
        if (action in {"start_processing", "hand_over"} and reached) or action == "resubmit":
            start = at
    return start


def supplement_window(d: Dossier, now: datetime) -> dict[str, Any]:
    """The limits of a supplement request during processing (Đồng Tháp Decision
    138/2025/QĐ-UBND Art. 3.4.a, under Decree 118/2025): the competent agency asks within
    `SUPPLEMENT_REQUEST_WORKING_DAYS` working days after the dossier reached it (or after the
    supplement was handed in), and the one-stop unit notifies the applicant within
    `SUPPLEMENT_NOTICE_WORKING_DAYS` more. Settings, since provinces set them
    (docs/legal-basis.md#supplements-during-processing)."""
    cal = calendar_for(d.current_agency_id)
    start = _arrival(d, d.current_agency_id) or d.step_started_at or d.received_at or now
    ask_by = worktime.add_working_time(start, cal.daily_working_time * settings.SUPPLEMENT_REQUEST_WORKING_DAYS, cal)
    notify_by = worktime.add_working_time(ask_by, cal.daily_working_time * settings.SUPPLEMENT_NOTICE_WORKING_DAYS, cal)
    return {"reached_at": start, "ask_by": ask_by, "notify_by": notify_by}


def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: Actor,
    reason: str,
    items: list[str] | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """The competent agency asks the applicant to complete a received dossier: Form 02, with
    the numbered list and the unit's phone. Only within the province's limit
    (`supplement_window`: `supplement_request_too_late`), at most `SUPPLEMENT_MAX_REQUESTS`
    times; a second request (the supplement handed in did not complete the list) is marked
    late for indicator 2.1 (docs/indicators.md). The clock stops until the applicant answers.
    (Before reception the officer returns the dossier instead: `dossier_return_for_completion`.)
    """
    listed = _supplement_items(items)

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        window = supplement_window(d, now)
        if now > window["ask_by"]:
            raise Conflict(
                "A supplement can be asked only within "
                f"{settings.SUPPLEMENT_REQUEST_WORKING_DAYS} working day(s) after the dossier reached the agency "
                f"(until {_local(window['ask_by']):%H:%M %d/%m/%Y}).",
                code="supplement_request_too_late",
                details={"ask_by": _fmt(window["ask_by"]), "reached_at": _fmt(window["reached_at"])},
            )
        count = d.supplement_count + 1
        if count > settings.SUPPLEMENT_MAX_REQUESTS:
            raise Conflict(
                f"At most {settings.SUPPLEMENT_MAX_REQUESTS} supplement requests are allowed for a dossier.",
                code="supplement_limit_reached",
                details={"limit": settings.SUPPLEMENT_MAX_REQUESTS},
            )
        fields: dict[str, Any] = {"supplement_count": count}
        if count > 1:
            fields["late_by_supplement"] = True
        return Changes(
            fields=fields,
            data={
                "form": _supplement_form(d, actor, listed, reason),
                "phase": rule.phase,
                "late_for_indicators": count > 1,
                "request_number": count,
                "ask_by": _fmt(window["ask_by"]),
                "notify_by": _fmt(window["notify_by"]),
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
    """The applicant hands in what Form 02 asked for. It is never received by itself: a
    dossier returned at reception waits for reception again (`dossier_receive`), a supplement
    asked during processing waits for an officer's check (`dossier_accept_supplement`). The
    clock stood still from the request to now (docs/legal-basis.md#supplements-during-processing)."""

    for item in components or []:
        if item.file is not None:
            upload_check(file=item.file)

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        after: list[Any] = [lambda event: _add_components(d, components)] if components else []
        if not rule.resumes:
            return Changes(data={"note": note}, after=after)
        fields, closers = _resume_changes(d, now)
        return Changes(fields=fields, data={"note": note}, after=[*after, *closers])

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.RESUBMIT,
        actor=actor,
        build=build,
        reason=note,
        at=at,
    )


def dossier_accept_supplement(
    *,
    dossier: Dossier,
    actor: Actor,
    outside_hours_reason: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """An officer checked the supplement handed in and accepts it: the dossier goes back to
    processing and the applicant gets a new Form 01 with the new appointment. With
    `SUPPLEMENT_CLOCK = "pause"` the due instant already moved later by the wait; with
    "restart" the whole time limit counts again from now. (If the supplement does not complete
    the list, the agency asks again instead, where allowed: `dossier_request_supplement`.)
    A receipt like any other: outside the receiving agency's working hours only with
    `outside_hours_reason`."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        changes = _receipt_changes(d, now, _listed_components(d), actor)
        form = changes.data["form"]
        if settings.SUPPLEMENT_CLOCK == "restart":
            changes.fields = {"due_at": changes.fields["due_at"]}
        else:
            changes.fields = {}
            form["appointment_at"] = _fmt(d.due_at)
            form["due_explanation"] = []
        form["first_received_at"] = _fmt(d.received_at)
        changes.data["clock"] = settings.SUPPLEMENT_CLOCK
        changes.data |= receipt_hours_check(d, now, outside_hours_reason)
        return changes

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.ACCEPT_SUPPLEMENT,
        actor=actor,
        build=build,
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
    """Form 04: apology and new date (docs/legal-basis.md#late-results-and-the-new-date).

    A dossier at risk or already overdue can always get it; one issued later than one
    working day before the due instant, or after it, is recorded as late (`data["late"]`,
    read by `selectors.late_apologies`). The new date is given only once, and lies after
    both the current due instant and the moment of the apology."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        if d.reappointment_count >= 1:
            raise Conflict("A new date can be set only once.", code="already_reappointed")
        if d.due_at is None:
            raise Conflict("The dossier has no due date yet.", code="no_due_date")
        new_due = new_due_at if timezone.is_aware(new_due_at) else new_due_at.replace(tzinfo=VN_TZ)
        if new_due <= d.due_at or new_due <= now:
            raise InvalidInput(
                "The new date must be later than the current due date and than now.", code="invalid_new_date"
            )
        latest = worktime.working_days_before(d.due_at, 1, calendar_for(d.settling_agency_id))
        late = now > latest
        return Changes(
            fields={"due_at": new_due, "reappointment_count": d.reappointment_count + 1},
            data={
                "late": late,
                "latest_on_time": _fmt(latest),
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
                },
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
    delivery: str = "",
    collected_by: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Return the result: `delivery` says how; left empty, as the applicant chose
    (`dossier_choose_delivery`), in person when they chose nothing."""

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        how = delivery or (delivery_choice_of(d) or {}).get("delivery") or Delivery.IN_PERSON
        if how not in Delivery.values:
            raise InvalidInput(f"Delivery is one of {', '.join(Delivery.values)}.", code="invalid_delivery")
        return Changes(
            fields={
                "returned_at": now,
                "result_delivery": how,
                "result_collected_by": collected_by or d.applicant.full_name,
            },
            data={"delivery": how, "collected_by": collected_by or d.applicant.full_name},
        )

    return transition(
        dossier=dossier, expected_version=expected_version, action=Action.RETURN_RESULT, actor=actor, build=build, at=at
    )


#: The longest postal address kept for the result.
ADDRESS_MAX = 500


def delivery_options(version: ProcedureVersion) -> list[str]:
    """How the result of `version` may reach the applicant (Decree 118/2025 Art. 22): at the
    counter always, by public post unless the procedure is excluded from it (Decision
    45/2016/QĐ-TTg), online when no paper result is required."""
    options = [Delivery.IN_PERSON.value]
    if version.postal_allowed:
        options.append(Delivery.POST.value)
    if not version.requires_paper_result:
        options.append(Delivery.ONLINE.value)
    return options


def dossier_choose_delivery(
    *,
    dossier: Dossier,
    actor: Actor,
    delivery: str,
    address: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """The applicant chooses (or changes) how to receive the result: at the counter, by public
    post to `address`, or online. Open until the result is returned (`result_returned`); the
    one-stop unit records a choice made at the counter or by phone. The event keeps the choice
    (`selectors.delivery_choice_of`); returning the result follows it."""
    if dossier.status == Status.RETURNED:
        raise TransitionNotAllowed(
            f"The result of dossier {dossier.code} was already returned; how to receive it can no longer change.",
            code="result_returned",
            details={"dossier": dossier.code, "status": dossier.status},
        )

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        options = delivery_options(d.procedure_version)
        if delivery not in Delivery.values:
            raise InvalidInput(
                f"Choose how to receive the result: one of {', '.join(options)}.",
                code="invalid_delivery_choice",
                details={"options": options},
            )
        if delivery not in options:
            raise InvalidInput(
                f"The result of this procedure cannot be received that way; choose one of {', '.join(options)}.",
                code="delivery_not_offered",
                details={"options": options},
            )
        where = " ".join(address.split()) if delivery == Delivery.POST else ""
        if delivery == Delivery.POST and not where:
            raise InvalidInput("Give the postal address the result is sent to.", code="address_required")
        if len(where) > ADDRESS_MAX:
            raise InvalidInput(
                f"The address is at most {ADDRESS_MAX} characters.",
                code="address_too_long",
                details={"max": ADDRESS_MAX},
            )
        return Changes(data={"delivery": delivery, "address": where})

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.CHOOSE_DELIVERY,
        actor=actor,
        build=build,
        at=at,
    )


def _ending(d: Dossier, now: datetime) -> dict[str, Any]:
    return {"ended_at": now, "current_step": None}


# ---------------------------------------------------------------- stopping and withdrawal
# Circular 03/2025/TT-VPCP Art. 7 (docs/legal-basis.md#stopping-withdrawal-and-refusal).

STOP_CHANNELS = (Channel.COUNTER, Channel.POST, Channel.ONLINE)


def _refuse_if_result(dossier: Dossier, verb: str) -> None:
    """The one-stop unit checks that no result exists before it stops or withdraws."""
    if dossier.status in RESULT_STATUSES or dossier.processed_at is not None:
        raise TransitionNotAllowed(
            f"The result of dossier {dossier.code} already exists; it can no longer be {verb}.",
            code="result_exists",
            details={"dossier": dossier.code, "status": dossier.status},
        )


def _applicant_request(
    actor: Actor, channel: str | None, requested_at: datetime | None, now: datetime
) -> dict[str, Any]:
    """The applicant's request as recorded: its channel and date. From MotCua's portal it is
    online and made now; from a connected system (the national portal) online and made when
    that system says (at the latest now: its clock may run ahead); an officer records one
    received at the counter or by post, with the date it was made (not in the future)."""
    if not actor.is_officer:
        channel = Channel.ONLINE
        requested_at = requested_at if actor.system else now
    if channel not in STOP_CHANNELS:
        raise InvalidInput(
            "Say how the applicant asked: in person at the counter, by post or online.",
            code="request_channel_required",
            details={"channels": list(STOP_CHANNELS)},
        )
    when = requested_at or now
    when = when if timezone.is_aware(when) else when.replace(tzinfo=VN_TZ)
    if not actor.is_officer:
        when = min(when, now)
    if when > now:
        raise InvalidInput("The request cannot be dated in the future.", code="invalid_request_date")
    return {"channel": channel, "requested_at": _fmt(when)}


def dossier_request_stop(
    *,
    dossier: Dossier,
    actor: Actor,
    reason: str,
    channel: str | None = None,
    requested_at: datetime | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Record the applicant's request to stop the settlement: from the portal (online), or
    by an officer for a request made at the counter or by post. The dossier goes on until
    the one-stop unit issues the stop notice (`dossier_stop`)."""
    _refuse_if_result(dossier, "stopped")

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        if stop_request_of(d) is not None:
            raise Conflict("A stop has already been requested for this dossier.", code="stop_already_requested")
        return Changes(data={"request": _applicant_request(actor, channel, requested_at, now)})

    return transition(
        dossier=dossier,
        expected_version=expected_version,
        action=Action.REQUEST_STOP,
        actor=actor,
        build=build,
        reason=reason,
        at=at,
    )


def dossier_stop(
    *,
    dossier: Dossier,
    actor: Actor,
    reason: str = "",
    channel: str | None = None,
    requested_at: datetime | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Form 05: the one-stop unit stops the settlement on the applicant's request, before any
    result exists. The request is the one recorded earlier (`dossier_request_stop`), or the
    one the officer records now (`channel`, `requested_at`). The notice carries the
    applicant's ID number and the request's date, and is signed for the unit."""
    _refuse_if_result(dossier, "stopped")
    pending = stop_request_of(dossier) if dossier.pk is not None else None
    reason = reason.strip() or (pending or {}).get("reason", "")

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        if pending is not None:
            request = {"channel": pending.get("channel", ""), "requested_at": pending.get("requested_at")}
        elif channel is None:
            raise InvalidInput(
                "Record the applicant's request (its channel and date) before stopping.",
                code="stop_request_required",
            )
        else:
            request = _applicant_request(actor, channel, requested_at, now)
        fields = _ending(d, now)
        fields["paused_since"] = None
        return Changes(
            fields=fields,
            data={
                "request": request,
                "form": {
                    "dossier_code": d.code,
                    "applicant": d.applicant.full_name,
                    "id_number": d.applicant.id_number,
                    "matter": d.procedure_version.name,
                    "reason": reason,
                    "request": request,
                    "unit": d.receiving_agency.name,
                    "signed_by": actor.name,
                },
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
    *,
    dossier: Dossier,
    actor: Actor,
    reason: str = "",
    channel: str | None = None,
    requested_at: datetime | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """The applicant withdraws the dossier before any result exists: online themselves, or an
    officer records the request made at the counter or by post (its channel and date)."""
    _refuse_if_result(dossier, "withdrawn")

    def build(rule: Rule, d: Dossier, now: datetime) -> Changes:
        fields = _ending(d, now)
        fields["paused_since"] = None
        return Changes(
            fields=fields,
            data={"request": _applicant_request(actor, channel, requested_at, now)},
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
