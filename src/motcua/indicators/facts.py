"""Loading `engine.DossierFacts` from the database, in bulk (the selector layer of the engine).

Each fact is read from the dossier's append-only event history (docs/architecture.md#the-write-path) for everything
2.1 needs (receipt, supplement requests and answers, first processed / returned / stopped
instants) and from the dossier, its components, payments, rating and feedback for the flags
of docs/indicators.md. Only dossiers that were received are facts ("Dossiers never received … are
not counted").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for, default_cutoff
from motcua.dossiers.models import Channel, Dossier, DossierComponent, DossierEvent, Status
from motcua.indicators.conf import IndicatorSettings
from motcua.indicators.engine import DossierFacts, Span
from motcua.payments.models import Payment, PaymentStatus
from motcua.ratings.models import Feedback, Rating, Satisfaction

_ENDING = {Status.STOPPED, Status.REFUSED, Status.WITHDRAWN}
#: The columns `load_facts` reads (the rest, e-form data and schema above all, stays in
#: the database: a rebuild reads every dossier).
FACT_COLUMNS = (
    "code",
    "settling_agency_id",
    "received_at",
    "appointment_at",
    "due_at",
    "channel",
    "has_electronic_result",
    "result_pushed_to_warehouse",
    "fee_vnd",
    "paid_online",
    "national_synced_at",
    "applicant__verified_by_national_identity",
    "procedure_version__procedure_id",
    "procedure_version__eligible_full_online",
    "procedure_version__requires_paper_result",
    "procedure_version__time_limit_amount",
    "procedure_version__time_limit_unit",
    "procedure_version__cutoff_time",
)


def spans_from_events(events: Iterable[tuple[str, datetime]]) -> tuple[int, tuple[Span, ...], dict[str, datetime]]:
    """Supplement requests, their spans and the first end instants, from (action-or-status, at).

    A span is (request, the next resubmission); a request never answered stays open (adopted
    2.1 step 2). Pure: used by the loader and by the tests.
    """
    count = 0
    spans: list[Span] = []
    pending: datetime | None = None
    firsts: dict[str, datetime] = {}
    for kind, at in events:
        if kind == "request_supplement":
            count += 1
            if pending is not None:  # cannot happen through the workflow; kept open-ended
                spans.append(Span(pending, None))
            pending = at
        elif kind == "resubmit" and pending is not None:
            spans.append(Span(pending, at))
            pending = None
        elif kind.startswith("to:"):
            firsts.setdefault(kind[3:], at)
    if pending is not None:
        spans.append(Span(pending, None))
    return count, tuple(spans), firsts


def load_facts(
    dossier_ids: Iterable[int], cfg: IndicatorSettings
) -> dict[int, tuple[DossierFacts, int, datetime | None]]:
    """dossier id -> (facts, last event seq, current due instant), for received dossiers only."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    dossiers = {
        d.pk: d
        for d in Dossier.objects.filter(pk__in=ids, received_at__isnull=False)
        .select_related("procedure_version", "applicant")
        .only(*FACT_COLUMNS)
    }
    if not dossiers:
        return {}
    keys = list(dossiers)
    events: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    last_seq: dict[int, int] = {}
    for dossier_id, seq, action, to_status, at in (
        DossierEvent.objects.filter(dossier_id__in=keys)
        .order_by("dossier_id", "seq")
        .values_list("dossier_id", "seq", "action", "to_status", "at")
    ):
        if action in {"request_supplement", "resubmit"}:
            events[dossier_id].append((action, at))
        events[dossier_id].append((f"to:{to_status}", at))
        last_seq[dossier_id] = seq

    comp = _component_flags(keys, cfg)
    paid, fee_data = _payment_flags(keys)
    complained = set(Feedback.objects.filter(dossier_id__in=keys).values_list("dossier_id", flat=True)) | set(
        Rating.objects.filter(dossier_id__in=keys, satisfaction=Satisfaction.UNSATISFIED).values_list(
            "dossier_id", flat=True
        )
    )

    out: dict[int, tuple[DossierFacts, int, datetime | None]] = {}
    for pk, d in dossiers.items():
        assert d.received_at is not None
        count, spans, firsts = spans_from_events(events.get(pk, []))
        stopped = min((at for status, at in firsts.items() if status in _ENDING and at >= d.received_at), default=None)
        c = comp.get(pk, {})
        version = d.procedure_version
        facts = DossierFacts(
            code=d.code,
            agency_id=d.settling_agency_id,
            procedure_id=version.procedure_id,
            received_at=d.received_at,
            due=d.appointment_at or _fallback_due(d),
            supplement_requests=count,
            spans=spans,
            processed_at=firsts.get(Status.PROCESSED),
            returned_at=firsts.get(Status.RETURNED),
            stopped_at=stopped,
            online=d.channel == Channel.ONLINE,
            eligible_full_online=version.eligible_full_online,
            requires_paper_result=version.requires_paper_result,
            electronic_result=d.has_electronic_result,
            component_file=c.get("file", False),
            reused=c.get("reused", False),
            from_warehouse=c.get("warehouse", False),
            pushed_to_warehouse=d.result_pushed_to_warehouse,
            population=d.applicant.verified_by_national_identity
            or c.get("warehouse", False)
            or c.get("population_db", False),
            fee_due=d.fee_vnd > 0,
            paid_online=d.paid_online or pk in paid,
            fee_data=pk in fee_data,
            synced=d.national_synced_at is not None,
            complained=pk in complained,
        )
        out[pk] = (facts, last_seq.get(pk, 0), d.due_at)
    return out


def _component_flags(keys: list[int], cfg: IndicatorSettings) -> dict[int, dict[str, bool]]:
    """dossier id -> what its components show: a file, the warehouse, reused data, a national database."""
    comp: dict[int, dict[str, bool]] = defaultdict(lambda: defaultdict(bool))
    codes = set(cfg.population_source_codes)
    for dossier_id, digitized, file, warehouse, reused, source in DossierComponent.objects.filter(
        dossier_id__in=keys
    ).values_list("dossier_id", "digitized", "file", "from_warehouse", "reused_data", "source_db_code"):
        c = comp[dossier_id]
        c["file"] |= bool(digitized or file)
        c["warehouse"] |= bool(warehouse)
        c["reused"] |= bool(reused)
        c["population_db"] |= bool(source) and (not codes or source in codes)
    return comp


def _payment_flags(keys: list[int]) -> tuple[set[int], set[int]]:
    """(dossiers paid online, dossiers whose fee data was synced)."""
    paid: set[int] = set()
    fee_data: set[int] = set()
    for dossier_id, online, status, synced in Payment.objects.filter(dossier_id__in=keys).values_list(
        "dossier_id", "online", "status", "fee_data_synced"
    ):
        if online and status == PaymentStatus.SUCCEEDED:
            paid.add(dossier_id)
        if synced:
            fee_data.add(dossier_id)
    return paid, fee_data


def _fallback_due(d: Dossier) -> datetime | None:
    """portal B, no due date: end − start − supplement ≤ the procedure's maximum time, i.e. the
    due instant is the receipt plus the legal time limit (imported dossiers only)."""
    version = d.procedure_version
    assert d.received_at is not None
    try:
        return worktime.due_instant(
            d.received_at,
            version.time_limit_amount,
            version.time_limit_unit,
            calendar_for(d.settling_agency_id),
            cutoff=version.cutoff_time if version.cutoff_time is not None else default_cutoff(),
        )
    except (ValueError, worktime.OpenPauseError):
        return None
