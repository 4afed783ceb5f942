"""Export dossiers as "motcua-dossier/1" lines (docs/exchange-format.md).

Dossiers come out ordered by code, read in chunks (one query per table per chunk), and
every row id is replaced by its natural key, so a file written here can be imported into
any MotCua database that has the same agencies and procedure versions (the migration and
merge paths of Resolution 190/2025/QH15: no resubmission, nothing redone).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from motcua.catalog.models import ProcedureVersion, ProcessStep, RequiredDocument
from motcua.dossiers.models import ClockPause, Dossier, DossierComponent, DossierEvent, Handover
from motcua.exchange.format import FORMAT, date_out, dumps, instant_out
from motcua.lib.errors import NotFound
from motcua.organizations.models import Agency
from motcua.payments.models import Payment
from motcua.people.models import Person
from motcua.ratings.models import Feedback, Rating

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: Dossier fields written as they are (instants are listed apart).
PLAIN_FIELDS = (
    "code",
    "status",
    "channel",
    "online_source",
    "authorised_person",
    "form_data",
    "external_id",
    "sets",
    "status_before_pause",
    "supplement_count",
    "intake_supplement_count",
    "late_by_supplement",
    "reappointment_count",
    "fee_vnd",
    "paid_vnd",
    "paid_online",
    "result_delivery",
    "result_collected_by",
    "has_electronic_result",
    "result_pushed_to_warehouse",
)
INSTANT_FIELDS = (
    "submitted_at",
    "received_at",
    "clock_started_at",
    "appointment_at",
    "due_at",
    "step_due_at",
    "step_started_at",
    "paused_since",
    "processed_at",
    "returned_at",
    "ended_at",
    "approved_at",
    "national_synced_at",
    "created_at",
    "updated_at",
)

#: Keys of event `data` that the services fill with an agency row id (hand-overs); the file
#: carries the agency code instead.
EVENT_AGENCY_KEYS = ("to_agency",)


@dataclass(frozen=True)
class ExportFilter:
    """Which dossiers to export: those received or settled in `agency`'s subtree, filed
    (submitted_at, dates in Asia/Ho_Chi_Minh) between `date_from` and `date_to` inclusive."""

    agency: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class _Keys:
    """Row id → natural key, loaded once per export (agencies, users, steps are few)."""

    def __init__(self) -> None:
        self.agency = dict(Agency.objects.values_list("pk", "code"))
        self.user: dict[int, str] = {}
        self.step = dict(ProcessStep.objects.values_list("pk", "key"))
        self.document = dict(RequiredDocument.objects.values_list("pk", "name"))
        self.version = {
            pk: {"code": code, "version": number}
            for pk, code, number in ProcedureVersion.objects.values_list("pk", "procedure__code", "number")
        }
        self.person: dict[int, str] = {}

    def load_users(self, ids: set[int]) -> None:
        """Usernames of the users met in a chunk (citizens' accounts can be millions)."""
        missing = ids - self.user.keys()
        if missing:
            self.user.update(get_user_model().objects.filter(pk__in=missing).values_list("pk", "username"))

    def person_id_number(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        if pk not in self.person:
            self.person[pk] = Person.objects.values_list("id_number", flat=True).get(pk=pk)
        return self.person[pk]


def dossiers_for(flt: ExportFilter) -> QuerySet[Dossier]:
    queryset = Dossier.objects.all()
    if flt.agency:
        agency = Agency.objects.filter(code=flt.agency).first()
        if agency is None:
            raise NotFound(f"No agency has the code {flt.agency}.", code="agency_not_found")
        queryset = queryset.filter(
            Q(receiving_agency__path__startswith=agency.path) | Q(settling_agency__path__startswith=agency.path)
        )
    if flt.date_from:
        queryset = queryset.filter(submitted_at__gte=datetime.combine(flt.date_from, time.min, tzinfo=VN_TZ))
    if flt.date_to:
        queryset = queryset.filter(submitted_at__lte=datetime.combine(flt.date_to, time.max, tzinfo=VN_TZ))
    return queryset.order_by("code")


def export_count(flt: ExportFilter) -> int:
    return dossiers_for(flt).count()


def export_lines(flt: ExportFilter | None = None, *, chunk: int = 500) -> Iterator[str]:
    """Yield one line (with its newline) per dossier, ordered by code."""
    keys = _Keys()
    base = dossiers_for(flt or ExportFilter()).select_related("applicant")
    last = ""
    while True:
        dossiers = list(base.filter(code__gt=last)[:chunk])
        if not dossiers:
            return
        for record in _records(dossiers, keys):
            yield dumps(record) + "\n"
        last = dossiers[-1].code


def _children(model: Any, ids: list[int], order: tuple[str, ...]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in model.objects.filter(dossier_id__in=ids).order_by(*order):
        grouped[row.dossier_id].append(row)
    return grouped


def _records(dossiers: list[Dossier], keys: _Keys) -> Iterator[dict[str, Any]]:
    ids = [d.pk for d in dossiers]
    events = _children(DossierEvent, ids, ("dossier_id", "seq"))
    components = _children(DossierComponent, ids, ("dossier_id", "id"))
    pauses = _children(ClockPause, ids, ("dossier_id", "id"))
    handovers = _children(Handover, ids, ("dossier_id", "id"))
    payments = _children(Payment, ids, ("dossier_id", "id"))
    feedback = _children(Feedback, ids, ("dossier_id", "id"))
    ratings = {r.dossier_id: r for r in Rating.objects.filter(dossier_id__in=ids)}
    users = {d.submitted_by_id for d in dossiers}
    users |= {e.actor_id for rows in events.values() for e in rows}
    users |= {h.given_by_id for rows in handovers.values() for h in rows}
    keys.load_users({pk for pk in users if pk is not None})
    for dossier in dossiers:
        yield _dossier(dossier, keys, events, components, pauses, handovers, payments, feedback, ratings)


def _dossier(
    d: Dossier,
    keys: _Keys,
    events: dict[int, list[DossierEvent]],
    components: dict[int, list[DossierComponent]],
    pauses: dict[int, list[ClockPause]],
    handovers: dict[int, list[Handover]],
    payments: dict[int, list[Payment]],
    feedback: dict[int, list[Feedback]],
    ratings: dict[int, Rating],
) -> dict[str, Any]:
    record: dict[str, Any] = {"format": FORMAT}
    for name in PLAIN_FIELDS:
        record[name] = getattr(d, name)
    for name in INSTANT_FIELDS:
        record[name] = instant_out(getattr(d, name))
    applicant = d.applicant
    record.update(
        {
            "procedure": keys.version[d.procedure_version_id],
            "receiving_agency": keys.agency[d.receiving_agency_id],
            "settling_agency": keys.agency[d.settling_agency_id],
            "current_agency": keys.agency[d.current_agency_id],
            "current_step": keys.step.get(d.current_step_id) if d.current_step_id else None,
            "submitted_by": keys.user.get(d.submitted_by_id) if d.submitted_by_id else None,
            "applicant": {
                "kind": applicant.kind,
                "id_number": applicant.id_number,
                "full_name": applicant.full_name,
                "birth_date": date_out(applicant.birth_date),
                "gender": applicant.gender,
                "address": applicant.address,
                "phone": applicant.phone,
                "email": applicant.email,
                "verified_by_national_identity": applicant.verified_by_national_identity,
            },
            "components": [_component(c, keys) for c in components.get(d.pk, [])],
            "pauses": [
                {
                    "kind": p.kind,
                    "started_at": instant_out(p.started_at),
                    "ended_at": instant_out(p.ended_at),
                    "during_intake": p.during_intake,
                }
                for p in pauses.get(d.pk, [])
            ],
            "handovers": [_handover(h, keys) for h in handovers.get(d.pk, [])],
            "payments": [
                {
                    "amount_vnd": p.amount_vnd,
                    "status": p.status,
                    "online": p.online,
                    "provider": p.provider,
                    "reference": p.reference,
                    "fee_data_synced": p.fee_data_synced,
                    "requested_at": instant_out(p.requested_at),
                    "paid_at": instant_out(p.paid_at),
                }
                for p in payments.get(d.pk, [])
            ],
            "rating": _rating(ratings[d.pk], keys) if d.pk in ratings else None,
            "feedback": [_feedback(f, keys) for f in feedback.get(d.pk, [])],
            "events": [_event(e, keys) for e in events.get(d.pk, [])],
        }
    )
    return record


def _component(c: DossierComponent, keys: _Keys) -> dict[str, Any]:
    return {
        "name": c.name,
        "required_document": keys.document.get(c.required_document_id) if c.required_document_id else None,
        "copies": c.copies,
        "provided": c.provided,
        "file": (c.file.name or "") if c.file else "",
        "file_name": c.file_name,
        "content_type": c.content_type,
        "size_bytes": c.size_bytes,
        "sha256": c.sha256,
        "digitized": c.digitized,
        "from_warehouse": c.from_warehouse,
        "reused_data": c.reused_data,
        "source_db_code": c.source_db_code,
        "added_at": instant_out(c.added_at),
    }


def _handover(h: Handover, keys: _Keys) -> dict[str, Any]:
    return {
        "at": instant_out(h.at),
        "from_agency": keys.agency[h.from_agency_id],
        "to_agency": keys.agency[h.to_agency_id],
        "from_step": keys.step.get(h.from_step_id) if h.from_step_id else None,
        "to_step": keys.step.get(h.to_step_id) if h.to_step_id else None,
        "given_by": keys.user.get(h.given_by_id) if h.given_by_id else None,
        "step_due_at": instant_out(h.step_due_at),
        "result": h.result,
        "note": h.note,
    }


def _rating(r: Rating, keys: _Keys) -> dict[str, Any]:
    return {
        "person": keys.person_id_number(r.person_id),
        "scores": r.scores,
        "satisfaction": r.satisfaction,
        "comment": r.comment,
        "rated_at": instant_out(r.rated_at),
    }


def _feedback(f: Feedback, keys: _Keys) -> dict[str, Any]:
    return {
        "agency": keys.agency[f.agency_id],
        "person": keys.person_id_number(f.person_id),
        "kind": f.kind,
        "content": f.content,
        "status": f.status,
        "received_at": instant_out(f.received_at),
        "handled_at": instant_out(f.handled_at),
        "refused_at": instant_out(f.refused_at),
        "supplement_requested_at": instant_out(f.supplement_requested_at),
        "published_at": instant_out(f.published_at),
        "likes": f.likes,
        "dislikes": f.dislikes,
        "repeated": f.repeated,
        "answer": f.answer,
    }


def _event(e: DossierEvent, keys: _Keys) -> dict[str, Any]:
    data = e.data
    if isinstance(data, dict) and any(isinstance(data.get(k), int) for k in EVENT_AGENCY_KEYS):
        data = {
            k: (keys.agency.get(v, v) if k in EVENT_AGENCY_KEYS and isinstance(v, int) else v) for k, v in data.items()
        }
    return {
        "seq": e.seq,
        "action": e.action,
        "from_status": e.from_status,
        "to_status": e.to_status,
        "at": instant_out(e.at),
        "actor": keys.user.get(e.actor_id) if e.actor_id else None,
        "actor_name": e.actor_name,
        "actor_role": e.actor_role,
        "actor_agency": keys.agency[e.actor_agency_id] if e.actor_agency_id else None,
        "reason": e.reason,
        "form": e.form,
        "data": data,
    }
