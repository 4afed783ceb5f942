"""Writes of the indicators app: fold dossier changes into facts and counters, or rebuild them.

Counters are kept from the event log with a guaranteed catch-up (issue 4, item 2): every
dossier event has an increasing id; `indicators_catch_up` refreshes the facts of the
dossiers behind every event past the cursor (and behind new payments, ratings and
feedback), applying to the counters only the difference between the old and the new fact.
It runs after transitions (a django-tasks task) and before every dashboard read, so a read is
always current. A refresh recomputes a dossier's fact from its whole history, so folding the
same event twice changes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import F, Max

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.indicators.conf import IndicatorSettings, indicator_settings
from motcua.indicators.engine import FLAGS, DossierFacts, flags_of
from motcua.indicators.facts import load_facts
from motcua.indicators.models import IndicatorCounter, IndicatorCursor, IndicatorFact
from motcua.indicators.periods import local_day, month_of
from motcua.payments.models import Payment
from motcua.ratings.models import Feedback, Rating

log = logging.getLogger(__name__)

SOURCES = ("events", "payments", "ratings", "feedback")
BATCH = 2000
#: Event ids are handed out before commit; on PostgreSQL a lower id can become visible after
#: a higher one. Each catch-up looks back this many ids and refolds any event newer than its
#: dossier's fact (`last_seq`), so a late commit is never lost.
LOOKBACK = 500

Key = tuple[int, int, date]


def _fact_fields(facts: DossierFacts, last_seq: int, current_due: datetime | None, cfg: IndicatorSettings) -> dict:
    flags = flags_of(facts, cfg)
    return {
        "code": facts.code,
        "agency_id": facts.agency_id,
        "procedure_id": facts.procedure_id,
        "received_at": facts.received_at,
        "receipt_day": local_day(facts.received_at),
        "month": month_of(facts.received_at),
        "due": facts.due,
        "current_due": current_due,
        "supplement_requests": facts.supplement_requests,
        "spans": [
            [s.requested_at.isoformat(), s.resubmitted_at.isoformat() if s.resubmitted_at else None]
            for s in facts.spans
        ],
        "processed_at": facts.processed_at,
        "returned_at": facts.returned_at,
        "stopped_at": facts.stopped_at,
        "last_seq": last_seq,
        **{name: bool(flags[name]) for name in FLAGS},
    }


def _key_of(row: IndicatorFact) -> Key:
    return (row.agency_id, row.procedure_id, row.month)


def _apply(deltas: dict[Key, Counter[str]]) -> None:
    for (agency_id, procedure_id, month), delta in deltas.items():
        delta = Counter({k: v for k, v in delta.items() if v})
        if not delta:
            continue
        updated = IndicatorCounter.objects.filter(agency_id=agency_id, procedure_id=procedure_id, month=month).update(
            **{name: F(name) + value for name, value in delta.items()}
        )
        if not updated:
            IndicatorCounter.objects.create(agency_id=agency_id, procedure_id=procedure_id, month=month, **dict(delta))
    # Rows that fell to zero stay; they weigh nothing and keep the counter ids stable.


def _refresh(dossier_ids: set[int], cfg: IndicatorSettings) -> int:
    """Recompute the facts of `dossier_ids` and move the counters by the difference."""
    if not dossier_ids:
        return 0
    loaded = load_facts(dossier_ids, cfg)
    old_rows = {row.dossier_id: row for row in IndicatorFact.objects.filter(dossier_id__in=dossier_ids)}
    deltas: dict[Key, Counter[str]] = defaultdict(Counter)
    to_create = []
    for dossier_id in dossier_ids:
        old = old_rows.get(dossier_id)
        if old is not None:
            deltas[_key_of(old)].subtract({name: int(getattr(old, name)) for name in FLAGS})
        if dossier_id not in loaded:
            if old is not None:
                old.delete()
            continue
        facts, last_seq, current_due = loaded[dossier_id]
        fields = _fact_fields(facts, last_seq, current_due, cfg)
        deltas[(fields["agency_id"], fields["procedure_id"], fields["month"])].update(
            {name: int(fields[name]) for name in FLAGS}
        )
        if old is None:
            to_create.append(IndicatorFact(dossier_id=dossier_id, **fields))
        else:
            IndicatorFact.objects.filter(pk=old.pk).update(**fields)
    IndicatorFact.objects.bulk_create(to_create)
    _apply(deltas)
    return len(loaded)


def _lock_cursors() -> dict[str, IndicatorCursor]:
    for source in SOURCES:
        IndicatorCursor.objects.get_or_create(source=source)
    # One lock serialises every writer of facts and counters (catch-up, refresh, rebuild).
    return {c.source: c for c in IndicatorCursor.objects.select_for_update().filter(source__in=SOURCES)}


def indicator_facts_refresh(*, dossier_ids: Iterable[int]) -> int:
    """Refold the given dossiers now. For capabilities that change an indicator input without
    a dossier event (national sync flag, warehouse push, a payment's or feedback's status)."""
    cfg = indicator_settings()
    with transaction.atomic():
        _lock_cursors()
        return _refresh(set(dossier_ids), cfg)


def _new_ids(model: type, field: str, last_id: int) -> tuple[set[int], int]:
    rows = list(
        model.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", field)[:BATCH]  # type: ignore[attr-defined]
    )
    if not rows:
        return set(), last_id
    return {dossier_id for _, dossier_id in rows if dossier_id is not None}, rows[-1][0]


def _late_commits(last_id: int) -> set[int]:
    """Dossiers with an event in the look-back window that their fact has not seen yet."""
    window = list(
        DossierEvent.objects.filter(pk__gt=max(0, last_id - LOOKBACK), pk__lte=last_id).values_list("dossier_id", "seq")
    )
    if not window:
        return set()
    newest: dict[int, int] = {}
    for dossier_id, seq in window:
        newest[dossier_id] = max(seq, newest.get(dossier_id, 0))
    seen = dict(IndicatorFact.objects.filter(dossier_id__in=newest).values_list("dossier_id", "last_seq"))
    unseen = {d for d, seq in newest.items() if seen.get(d, -1) < seq}
    if not unseen:
        return set()
    # Dossiers never received have no fact by design; only received ones need a refold.
    return set(Dossier.objects.filter(pk__in=unseen, received_at__isnull=False).values_list("pk", flat=True))


def indicators_catch_up() -> int:
    """Fold every event (and new payment, rating, feedback) past the cursors; returns the
    number of dossiers refreshed. Safe to call concurrently: one caller at a time holds the
    cursor lock, the others wait and then find nothing left to do."""
    cfg = indicator_settings()
    refreshed = 0
    while True:
        with transaction.atomic():
            cursors = _lock_cursors()
            dirty: set[int] = set()
            more = False
            event_cursor = cursors["events"]
            ids, last = _new_ids(DossierEvent, "dossier_id", event_cursor.last_id)
            dirty |= ids | _late_commits(event_cursor.last_id)
            more |= last != event_cursor.last_id
            new_last = {"events": last}
            for source, model in (("payments", Payment), ("ratings", Rating), ("feedback", Feedback)):
                ids, last = _new_ids(model, "dossier_id", cursors[source].last_id)
                dirty |= ids
                more |= last != cursors[source].last_id
                new_last[source] = last
            refreshed += _refresh(dirty, cfg)
            for source, last in new_last.items():
                if last != cursors[source].last_id:
                    IndicatorCursor.objects.filter(pk=cursors[source].pk).update(last_id=last)
        if not more:
            return refreshed


def indicators_rebuild() -> int:
    """Recompute every fact and counter from the event history (`manage.py rebuild_indicators`)."""
    cfg = indicator_settings()
    with transaction.atomic():
        cursors = _lock_cursors()
        marks = {
            "events": DossierEvent.objects.aggregate(m=Max("pk"))["m"] or 0,
            "payments": Payment.objects.aggregate(m=Max("pk"))["m"] or 0,
            "ratings": Rating.objects.aggregate(m=Max("pk"))["m"] or 0,
            "feedback": Feedback.objects.aggregate(m=Max("pk"))["m"] or 0,
        }
        IndicatorFact.objects.all().delete()
        IndicatorCounter.objects.all().delete()
        totals: dict[Key, Counter[str]] = defaultdict(Counter)
        count = 0
        ids = list(Dossier.objects.filter(received_at__isnull=False).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            rows = []
            for dossier_id, (facts, last_seq, current_due) in load_facts(chunk, cfg).items():
                fields = _fact_fields(facts, last_seq, current_due, cfg)
                rows.append(IndicatorFact(dossier_id=dossier_id, **fields))
                totals[(fields["agency_id"], fields["procedure_id"], fields["month"])].update(
                    {name: int(fields[name]) for name in FLAGS}
                )
            IndicatorFact.objects.bulk_create(rows, batch_size=1000)
            count += len(rows)
        IndicatorCounter.objects.bulk_create(
            [
                IndicatorCounter(agency_id=a, procedure_id=p, month=m, **{n: c[n] for n in FLAGS})
                for (a, p, m), c in totals.items()
            ],
            batch_size=1000,
        )
        for source, mark in marks.items():
            IndicatorCursor.objects.filter(pk=cursors[source].pk).update(last_id=mark)
    return count
