"""Reads for dossiers, always through what the actor may see (docs/architecture.md, access)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.catalog.models import ProcedureVersion, ProcessStep, RequiredDocument
from motcua.catalog.selectors import version_kept
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, Handover, Status
from motcua.lib.cache import ttl_cache
from motcua.lib.compiled import INTEGER_MARKER, CompiledQuery
from motcua.lib.errors import NotFound
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency, AgencyKind, Membership, Role
from motcua.organizations.selectors import agency_subtree_ids
from motcua.organizations.systems import connected_system

WORKING_ROLES = {Role.RECEPTION, Role.SPECIALIST, Role.LEADER}
OVERSIGHT_ROLES = {Role.MANAGER, Role.ADMIN}


def dossiers_visible_to(actor: Actor) -> QuerySet[Dossier]:
    """An officer sees dossiers of their agency or handed to it; a manager or administrator
    also those of every unit below; a citizen their own; a connected system those its token
    covers (organizations.systems); an anonymous caller none."""
    dossiers = Dossier.objects.all()
    if actor.system:
        return _visible_to_system(actor, dossiers)
    if actor.is_anonymous:
        return dossiers.none()
    condition = Q(pk__in=[])
    if actor.person_id is not None:
        condition |= Q(applicant_id=actor.person_id)
    working = actor.agency_ids(WORKING_ROLES)
    if working:
        handed = Handover.objects.filter(dossier_id=OuterRef("pk"), to_agency_id__in=working)
        condition |= (
            Q(receiving_agency_id__in=working)
            | Q(settling_agency_id__in=working)
            | Q(current_agency_id__in=working)
            | Q(assigned_unit_id__in=working)
            | Q(Exists(handed))
        )
    oversight = actor.agency_ids(OVERSIGHT_ROLES)
    if oversight:
        subtree = agency_subtree_ids(oversight)
        condition |= Q(settling_agency_id__in=subtree) | Q(receiving_agency_id__in=subtree)
    return dossiers.filter(condition)


def _visible_to_system(actor: Actor, dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """A connected system sees the dossiers it delivered (when its kind says so) of the
    agencies its token is limited to."""
    kind = connected_system(actor.system)
    if kind is None:
        return dossiers.none()
    if kind.own_source:
        dossiers = dossiers.filter(online_source=kind.own_source)
    if actor.system_agencies is not None:
        agencies = sorted(actor.system_agencies)
        dossiers = dossiers.filter(Q(receiving_agency_id__in=agencies) | Q(settling_agency_id__in=agencies))
    return dossiers


def _listed_sql() -> RawSQL:
    """A JSON array of [name, copies, required document] of each component of the dossier
    being read, in the order they were listed, as text: read in the dossier's own statement."""
    q = connection.ops.quote_name
    table, outer = q(DossierComponent._meta.db_table), q(Dossier._meta.db_table)
    columns = "c.name, c.copies, c.required_document_id"
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT COALESCE(json_agg(json_build_array({columns}) ORDER BY c.id), '[]')::text "
            f"FROM {table} c WHERE c.dossier_id = {outer}.id"
        )
    else:
        sql = (
            f"SELECT json_group_array(json_array({columns})) FROM "
            f"(SELECT * FROM {table} WHERE dossier_id = {outer}.id ORDER BY id) c"
        )
    return RawSQL(sql, [], output_field=TextField())  # noqa: S611 - no parameter, names from the models


def _by_code(listed: bool) -> CompiledQuery[Dossier]:
    def build(code: str) -> QuerySet[Dossier]:
        dossiers = Dossier.objects.select_related("applicant", "receiving_agency", "settling_agency", "current_agency")
        if listed:
            dossiers = dossiers.annotate(listed_json=_listed_sql())
        # Not .first(): its ORDER BY id lets PostgreSQL walk the primary key looking for the code
        # instead of using the unique index on it (12 ms instead of 0.5 at 100k).
        return dossiers.filter(code=code).order_by()[:1]

    return CompiledQuery(build)


#: The read of `dossier_for`, compiled once per connection (a command's costliest ORM work).
_BY_CODE, _BY_CODE_LISTED = _by_code(listed=False), _by_code(listed=True)


def dossier_for(actor: Actor, code: str, *, listed: bool = False) -> Dossier:
    """The dossier `code` if `actor` may see it; otherwise 404, so codes do not leak.

    One statement: the dossier with its applicant and its three agencies, and with `listed`
    the name, copies and required document of each component (what Form 01 lists, for a
    receipt). Its procedure version, with the fees, papers and steps the commands read,
    comes from the versions the process keeps (`catalog.selectors.version_kept`; a published
    version never changes), and its current step from that version's steps."""
    found = (_BY_CODE_LISTED if listed else _BY_CODE).fetch(code)
    dossier = found[0] if found else None
    if dossier is None or not can_see(actor, dossier):
        raise NotFound(f"No dossier {code} that you may see.", code="dossier_not_found")
    if listed:
        rows = json.loads(dossier.listed_json)  # type: ignore[attr-defined]
        dossier._listed_rows = [(name, copies, document) for name, copies, document in rows]  # type: ignore[attr-defined]
    version = version_kept(dossier.procedure_version_id)
    dossier.procedure_version = version
    if dossier.current_step_id is not None:
        steps = {step.pk: step for step in version.steps.all()}
        dossier.current_step = steps.get(dossier.current_step_id) or dossier.current_step
    return dossier


def can_see(actor: Actor, dossier: Dossier) -> bool:
    """Whether `dossier` is in `dossiers_visible_to(actor)`, decided for one loaded dossier
    (the same rules, in the same order, with at most two small queries instead of the
    list's OR over an EXISTS; a test holds the two equal for every persona)."""
    if actor.system:
        return actor.system_may_see(
            online_source=dossier.online_source, agency_ids={dossier.receiving_agency_id, dossier.settling_agency_id}
        )
    if actor.is_anonymous:
        return False
    if actor.person_id is not None and dossier.applicant_id == actor.person_id:
        return True
    places = {
        dossier.receiving_agency_id,
        dossier.settling_agency_id,
        dossier.current_agency_id,
        dossier.assigned_unit_id,
    }
    working = actor.agency_ids(WORKING_ROLES)
    if working and places & set(working):
        return True
    oversight = actor.agency_ids(OVERSIGHT_ROLES)
    if oversight and {dossier.settling_agency_id, dossier.receiving_agency_id} & agency_subtree_ids(oversight):
        return True
    return bool(working) and Handover.objects.filter(dossier_id=dossier.pk, to_agency_id__in=working).exists()


def dossier_list(
    actor: Actor,
    *,
    status: list[str] | None = None,
    agency: str | None = None,
    procedure: str | None = None,
    channel: str | None = None,
    due_after: datetime | None = None,
    due_before: datetime | None = None,
    received_after: datetime | None = None,
    received_before: datetime | None = None,
    applicant: str | None = None,
) -> QuerySet[Dossier]:
    dossiers = dossiers_visible_to(actor).select_related(
        "procedure_version__procedure", "receiving_agency", "settling_agency", "current_agency", "applicant"
    )
    if status:
        dossiers = dossiers.filter(status__in=status)
    if agency:
        dossiers = dossiers.filter(
            Q(current_agency__code=agency) | Q(settling_agency__code=agency) | Q(receiving_agency__code=agency)
        )
    if procedure:
        dossiers = dossiers.filter(procedure_version__procedure__code=procedure)
    if channel:
        dossiers = dossiers.filter(channel=channel)
    if due_after:
        dossiers = dossiers.filter(due_at__gte=due_after)
    if due_before:
        dossiers = dossiers.filter(due_at__lte=due_before)
    if received_after:
        dossiers = dossiers.filter(received_at__gte=received_after)
    if received_before:
        dossiers = dossiers.filter(received_at__lte=received_before)
    if applicant:
        dossiers = dossiers.filter(applicant__id_number=applicant)
    return dossiers.order_by("-id")


def dossier_timeline(dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor_agency").order_by("seq")


def dossier_public_view(code: str) -> Dossier:
    """For tracking without logging in: only status, appointment and receiving agency are shown.

    The code may be typed in any case and with stray spaces ("h99.01 - 261203-0001")."""
    code = "".join(code.split()).upper()
    dossier = Dossier.objects.select_related("receiving_agency", "procedure_version").filter(code=code).first()
    if dossier is None:
        raise NotFound(f"No dossier has the code {code}.", code="dossier_not_found")
    return dossier


@ttl_cache(seconds=600)
def procedure_use_counts() -> dict[str, int]:
    """Dossiers filed per procedure code in the last year (the search offers the most used
    first); kept ten minutes per process."""
    since = timezone.now() - timedelta(days=365)
    rows = (
        Dossier.objects.filter(submitted_at__gte=since)
        .values_list("procedure_version__procedure__code")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def steps_after(dossier: Dossier) -> list[ProcessStep]:
    if dossier.current_step_id is None:
        return []
    step = ProcessStep.objects.get(pk=dossier.current_step_id)
    return list(step.next_steps.all())


def working_time_left(dossier: Dossier, now: datetime | None = None) -> timedelta | None:
    """Working time until the due instant (negative when overdue)."""
    return working_time_until(dossier.due_at, dossier.settling_agency_id, now)


def working_time_until(
    due_at: datetime | None, settling_agency_id: int | None, now: datetime | None = None
) -> timedelta | None:
    """Working time from `now` to `due_at` on the settling agency's calendar (negative when
    past; None without a due instant). For lists that read only these two columns."""
    if due_at is None:
        return None
    cal = calendar_for(settling_agency_id)
    now = now or timezone.now()
    if now <= due_at:
        return worktime.working_time_between(now, due_at, cal)
    return -worktime.working_time_between(due_at, now, cal)


def documents_missing(
    version: ProcedureVersion,
    *,
    ids: Iterable[int | None],
    names: Iterable[str] = (),
    documents: Iterable[RequiredDocument] | None = None,
    form_data: Mapping[str, Any] | None = None,
) -> list[RequiredDocument]:
    """The papers of `version` required for this dossier and not among the components given
    (by required document id, or by name for components that name no required document). A
    paper is required when it is mandatory, or conditional and its condition holds on the
    e-form answers `form_data` (`RequiredDocument.required_for`); an optional paper never
    is. With an e-form, the declaration filled in as the e-form is not a paper to file.
    `documents`: the version's documents when already read."""
    given_ids = {i for i in ids if i is not None}
    given_names = {name.strip().casefold() for name in names}
    return [
        doc
        for doc in (version.documents.all() if documents is None else documents)
        if doc.required_for(form_data)
        and not (doc.e_form and version.e_form_schema)
        and doc.pk not in given_ids
        and doc.name.strip().casefold() not in given_names
    ]


# ---------------------------------------------------------------- stops and late apologies


def stop_request_of(dossier: Dossier) -> dict[str, Any] | None:
    """The applicant's recorded stop request (the latest `request_stop` event: its channel,
    date and reason), or None (Circular 03/2025 Art. 7)."""
    event = dossier.events.filter(action="request_stop").order_by("-seq").only("data", "reason").first()
    if event is None:
        return None
    return {**(event.data.get("request") or {}), "reason": event.reason}


#: The latest `choose_delivery` event of a dossier, compiled once per connection (every
#: return of a result reads it).
_DELIVERY_CHOICE: CompiledQuery[DossierEvent] = CompiledQuery(
    lambda dossier_id: (
        DossierEvent.objects.filter(dossier_id=dossier_id, action="choose_delivery")
        .order_by("-seq")
        .only("data", "at", "actor_role")[:1]
    ),
    marker=INTEGER_MARKER,
)


def delivery_choice_of(dossier: Dossier) -> dict[str, Any] | None:
    """How the applicant chose to receive the result (the latest `choose_delivery` event: its
    `delivery`, `address`, when and by whom), or None when no choice was made."""
    found = _DELIVERY_CHOICE.fetch(dossier.pk) if dossier.pk is not None else []
    event = found[0] if found else None
    if event is None:
        return None
    data = event.data or {}
    return {
        "delivery": data.get("delivery", ""),
        "address": data.get("address", ""),
        "at": event.at,
        "by_applicant": event.actor_role == "applicant",
    }


def late_apologies(dossiers: QuerySet[Dossier] | None = None) -> QuerySet[Dossier]:
    """Dossiers whose apology (Form 04) was issued later than one working day before the due
    instant, or after it (`data["late"]` of the `apologise` event), for reports and the
    indicators' drill-downs (docs/legal-basis.md#late-results-and-the-new-date)."""
    late = DossierEvent.objects.filter(dossier_id=OuterRef("pk"), action="apologise", data__late=True)
    return (Dossier.objects.all() if dossiers is None else dossiers).filter(Exists(late))


def assignable_specialists(agency_id: int) -> list[tuple[int, str, str]]:
    """(user id, username, name) of the active specialists of the agency, by name: the people
    a leader may assign a dossier at that agency to."""
    rows = (
        Membership.objects.filter(agency_id=agency_id, role=Role.SPECIALIST, active=True, user__is_active=True)
        .values_list("user_id", "user__username", "user__name_record__full_name")
        .order_by("user__first_name", "user__username")
    )
    return [(pk, username, name or username) for pk, username, name in rows]


def assignable_divisions(agency_id: int) -> list[Agency]:
    """The divisions (phòng, ban) directly under the agency, the units a leader may assign to."""
    return list(Agency.objects.filter(parent_id=agency_id, kind=AgencyKind.DIVISION).order_by("name"))


def assigned_to(actor: Actor) -> Q:
    """The condition of the actor's "Assigned to me" queue: dossiers assigned to them, or to
    a division where they hold a working role."""
    condition = Q(pk__in=[])
    if actor.user_id is not None:
        condition |= Q(assignee_id=actor.user_id)
    divisions = actor.agency_ids(WORKING_ROLES)
    if divisions:
        condition |= Q(assigned_unit_id__in=divisions)
    return condition


def search_condition(text: str) -> Q:
    """What an officer's search box matches: a dossier code (part of it), an applicant's
    name (part of it) or personal ID, a procedure's code or name (part of it)."""
    text = " ".join(text.split())
    if not text:
        return Q()
    return (
        Q(code__icontains=text)
        | Q(applicant__id_number=text)
        | Q(applicant__full_name__icontains=text)
        | Q(procedure_version__procedure__code__iexact=text)
        | Q(procedure_version__name__icontains=text)
    )


# ---------------------------------------------------------------- waiting for reception


@dataclass(frozen=True)
class ReceptionWait:
    """How long an online dossier has waited for reception, in the receiving agency's working
    time, since it was filed (or completed, after a return for completion)."""

    since: datetime
    waited: timedelta
    limit: timedelta

    @property
    def overdue(self) -> bool:
        return self.waited > self.limit


def reception_wait_limit() -> timedelta:
    """`MOTCUA_RECEPTION_WAIT_LIMIT_WORKING_HOURS` (8 by default), as working time."""
    return timedelta(hours=settings.RECEPTION_WAIT_LIMIT_WORKING_HOURS)


#: The columns `reception_waits` reads from each row (a queue's `.values()` includes them).
RECEPTION_WAIT_COLUMNS = ("id", "status", "submitted_at", "receiving_agency_id", "intake_supplement_count")


def reception_waits(rows: Sequence[Mapping[str, Any]], now: datetime | None = None) -> dict[int, ReceptionWait]:
    """The wait of each row waiting for reception (status submitted), by dossier id: one query
    at most, for the few rows completed after a return for completion (their wait counts from
    the completion); the others need none. The calendars are cached per agency."""
    now = now or timezone.now()
    waiting = [r for r in rows if r["status"] == Status.SUBMITTED and r["submitted_at"] is not None]
    completed_ids = [r["id"] for r in waiting if r["intake_supplement_count"]]
    completed: dict[int, datetime] = {}
    if completed_ids:
        events = DossierEvent.objects.filter(dossier_id__in=completed_ids, action="resubmit")
        for dossier_id, at in events.order_by("seq").values_list("dossier_id", "at"):
            completed[dossier_id] = at
    limit = reception_wait_limit()
    waits: dict[int, ReceptionWait] = {}
    for row in waiting:
        since = completed.get(row["id"], row["submitted_at"])
        cal = calendar_for(row["receiving_agency_id"])
        waited = worktime.working_time_between(since, now, cal)
        waits[row["id"]] = ReceptionWait(since, waited, limit)
    return waits


def reception_wait(dossier: Dossier, now: datetime | None = None) -> ReceptionWait | None:
    """How long `dossier` has waited for reception; None unless it waits for reception."""
    row = {name: getattr(dossier, name) for name in RECEPTION_WAIT_COLUMNS}
    return reception_waits([row], now).get(dossier.pk)


def reception_overdue(agency_ids: Iterable[int], now: datetime | None = None) -> Q:
    """The condition of the dossiers received by `agency_ids` that wait for reception past the
    limit, in SQL: per agency, waited > limit exactly when the wait started at or before the
    latest instant with the limit plus a microsecond of that agency's working time before now
    (the same answer as `reception_waits`, with no per-row computation)."""
    now = now or timezone.now()
    span = reception_wait_limit() + timedelta(microseconds=1)
    condition = Q(pk__in=[])
    for agency_id in sorted(set(agency_ids)):
        threshold = worktime.subtract_working_time(now, span, calendar_for(agency_id))
        completed_early = DossierEvent.objects.filter(dossier_id=OuterRef("pk"), action="resubmit", at__lte=threshold)
        condition |= Q(receiving_agency_id=agency_id) & (
            Q(intake_supplement_count=0, submitted_at__lte=threshold)
            | Q(Exists(completed_early), intake_supplement_count__gt=0)
        )
    return Q(status=Status.SUBMITTED) & condition
