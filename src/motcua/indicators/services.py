"""Writes of the indicators app: fold dossier changes into facts and counters, or rebuild them.

Counters are kept from the event log with a guaranteed catch-up (issue 4, item 2): every
dossier event has an increasing id; `indicators_catch_up` refreshes the facts of the
dossiers behind every event past the cursor (and behind new payments, ratings and
feedback), applying to the counters only the difference between the old and the new fact.
It runs in the background (each worker's periodic pass, `tasks.catch_up_pass`, run by
`manage.py run_worker`); reads never run it. A refresh recomputes a dossier's fact
from its whole history, so folding the same event twice changes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.indicators import catalogue as cat
from motcua.indicators.conf import IndicatorSettings, indicator_settings
from motcua.indicators.engine import FLAGS, DossierFacts, flags_of, open_deadline
from motcua.indicators.facts import load_facts
from motcua.indicators.models import IndicatorCounter, IndicatorCursor, IndicatorFact, PaknCounter, PaknFact
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


def _fact_fields(
    facts: DossierFacts, last_seq: int, current_due: datetime | None, cfg: IndicatorSettings
) -> dict[str, Any]:
    flags = flags_of(facts, cfg)
    deadline, resumed = open_deadline(facts) if flags["open"] else (None, None)
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
        "open_deadline": deadline,
        "resumed_at": resumed,
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


# ---------------------------------------------------------------- PAKN (feedback)

PAKN_FLAGS = ("received", "on_time", "satisfied", "open")
#: The Feedback columns of `catalogue.FeedbackFacts`, in its field order.
FEEDBACK_COLUMNS: tuple[str, ...] = (
    "status",
    "received_at",
    "handled_at",
    "refused_at",
    "supplement_requested_at",
    "published_at",
    "likes",
    "dislikes",
    "repeated",
)


def _due_on(agency_id: int, memo: dict[int, worktime.WorkCalendar]) -> Callable[[datetime, int], datetime]:
    """`start` + n working days on the calendar of the agency the PAKN is addressed to."""
    cal = memo.get(agency_id)
    if cal is None:
        cal = memo[agency_id] = calendar_for(agency_id)
    found = cal

    def due(start: datetime, n: int) -> datetime:
        return worktime.due_instant(start, n, worktime.Unit.WORKING_DAYS, found, cutoff=None)

    return due


def pakn_fact_fields(
    agency_id: int, f: cat.FeedbackFacts, cfg: IndicatorSettings, calendars: dict[int, worktime.WorkCalendar]
) -> dict[str, Any]:
    """The PaknFact columns of one PAKN: the final verdict when its outcome is recorded, and
    the 15-working-day deadline an open one is judged against at read time (docs/indicators.md)."""
    due = _due_on(agency_id, calendars)
    try:
        handle_due: datetime | None = due(f.received_at, cfg.pakn_handle_days)
        ok = cat.pakn_final_verdict(f, due, cfg)
    except ValueError:  # an instant outside the calendar's years: no deadline can be met
        handle_due, ok = None, False
    return {
        "agency_id": agency_id,
        "received_at": f.received_at,
        "receipt_day": local_day(f.received_at),
        "month": month_of(f.received_at),
        "handle_due": handle_due,
        "final": ok is not None,
        "on_time": bool(ok),
        "satisfied": ok is not None and cat.pakn_satisfied(f, ok),
        "objected": cat.pakn_objected(f),
    }


def _pakn_flags(fields: dict[str, Any] | PaknFact) -> dict[str, int]:
    get = fields.get if isinstance(fields, dict) else lambda name: getattr(fields, name)
    return {
        "received": 1,
        "on_time": int(bool(get("final") and get("on_time"))),
        "satisfied": int(bool(get("final") and get("satisfied"))),
        "open": int(not get("final")),
    }


def _load_feedback(feedback_ids: Iterable[int] | None) -> Iterable[tuple[Any, ...]]:
    rows = Feedback.objects.all() if feedback_ids is None else Feedback.objects.filter(pk__in=list(feedback_ids))
    return rows.order_by("pk").values_list("pk", "agency_id", *FEEDBACK_COLUMNS).iterator(chunk_size=BATCH)


def _refresh_feedback(feedback_ids: set[int], cfg: IndicatorSettings) -> int:
    """Recompute the PAKN facts of `feedback_ids` and move the PAKN counters by the difference."""
    if not feedback_ids:
        return 0
    old_rows = {row.feedback_id: row for row in PaknFact.objects.filter(feedback_id__in=feedback_ids)}
    deltas: dict[tuple[int, date], Counter[str]] = defaultdict(Counter)
    calendars: dict[int, worktime.WorkCalendar] = {}
    seen: set[int] = set()
    to_create = []
    for pk, agency_id, *values in _load_feedback(feedback_ids):
        seen.add(pk)
        fields = pakn_fact_fields(agency_id, cat.FeedbackFacts(*values), cfg, calendars)
        deltas[(agency_id, fields["month"])].update(_pakn_flags(fields))
        old = old_rows.get(pk)
        if old is None:
            to_create.append(PaknFact(feedback_id=pk, **fields))
        else:
            deltas[(old.agency_id, old.month)].subtract(_pakn_flags(old))
            PaknFact.objects.filter(pk=old.pk).update(**fields)
    for pk, old in old_rows.items():
        if pk not in seen:  # the feedback row is gone
            deltas[(old.agency_id, old.month)].subtract(_pakn_flags(old))
            old.delete()
    PaknFact.objects.bulk_create(to_create)
    for (agency_id, month), delta in deltas.items():
        delta = Counter({k: v for k, v in delta.items() if v})
        if not delta:
            continue
        if not PaknCounter.objects.filter(agency_id=agency_id, month=month).update(
            **{name: F(name) + value for name, value in delta.items()}
        ):
            PaknCounter.objects.create(agency_id=agency_id, month=month, **dict(delta))
    return len(seen)


# ---------------------------------------------------------------- catch-up


def _lock_cursors() -> dict[str, IndicatorCursor]:
    for source in SOURCES:
        IndicatorCursor.objects.get_or_create(source=source)
    # One lock serialises every writer of facts and counters (catch-up, refresh, rebuild).
    return {c.source: c for c in IndicatorCursor.objects.select_for_update().filter(source__in=SOURCES)}


def indicator_facts_refresh(*, dossier_ids: Iterable[int] = (), feedback_ids: Iterable[int] = ()) -> int:
    """Refold the given dossiers and PAKN now. For capabilities that change an indicator input
    without a dossier event or a new row (national sync flag, warehouse push, a payment's
    status, a PAKN's status, answer, likes or dislikes)."""
    cfg = indicator_settings()
    with transaction.atomic():
        _lock_cursors()
        return _refresh(set(dossier_ids), cfg) + _refresh_feedback(set(feedback_ids), cfg)


def _new_rows(model: type, field: str, last_id: int, upto: int | None = None) -> tuple[list[tuple[int, Any]], int]:
    rows = model.objects.filter(pk__gt=last_id)  # type: ignore[attr-defined]
    if upto is not None:
        rows = rows.filter(pk__lte=upto)
    found = list(rows.order_by("pk").values_list("pk", field)[:BATCH])
    return found, (found[-1][0] if found else last_id)


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


def _tables() -> dict[str, str]:
    return {
        "events": DossierEvent._meta.db_table,
        "payments": Payment._meta.db_table,
        "ratings": Rating._meta.db_table,
        "feedback": Feedback._meta.db_table,
        "cursor": IndicatorCursor._meta.db_table,
    }


def _event_window() -> tuple[int, int]:
    """(highest visible event id, events in its look-back window), from one statement so
    that both describe the same snapshot (PostgreSQL: one statement, one snapshot)."""
    q = connection.ops.quote_name
    events = q(_tables()["events"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.top, (SELECT COUNT(*) FROM {events} e WHERE e.id > m.top - %s AND e.id <= m.top) "
            f"FROM (SELECT COALESCE(MAX(id), 0) AS top FROM {events}) m",
            [LOOKBACK],
        )
        top, count = cursor.fetchone()
    return int(top), int(count)


def nothing_new() -> bool:
    """True when no event, payment, rating or feedback has appeared since the last catch-up,
    and no event has committed late inside its look-back window: one indexed statement, no
    lock. Anything else (including a cursor never written) answers False."""
    q = connection.ops.quote_name
    t = {k: q(v) for k, v in _tables().items()}

    def cursor_of(source: str, column: str) -> str:
        return f"(SELECT {column} FROM {t['cursor']} WHERE source = '{source}')"

    sql = (
        f"SELECT (SELECT COALESCE(MAX(id), 0) FROM {t['events']}), {cursor_of('events', 'window_top')}, "
        f"(SELECT COUNT(*) FROM {t['events']} WHERE id > {cursor_of('events', 'window_top')} - %s "
        f"AND id <= {cursor_of('events', 'window_top')}), {cursor_of('events', 'window_count')}"
    )
    for source in ("payments", "ratings", "feedback"):
        sql += f", (SELECT COALESCE(MAX(id), 0) FROM {t[source]}), {cursor_of(source, 'last_id')}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [LOOKBACK])
        row = cursor.fetchone()
    if row is None or any(value is None for value in row):
        return False
    top, seen_top, window, seen_window, *others = (int(v) for v in row)
    if top != seen_top or window != seen_window:
        return False
    return all(others[i] <= others[i + 1] for i in range(0, len(others), 2))


def indicators_catch_up() -> int:
    """Fold every event (and new payment, rating, feedback) past the cursors; returns the
    number of dossiers and PAKN refreshed. Safe to call concurrently: one caller at a time
    holds the cursor lock, the others wait and then find nothing left to do. When nothing is
    new (`nothing_new`), it returns at once without taking the lock."""
    if nothing_new():
        return 0
    cfg = indicator_settings()
    refreshed = 0
    while True:
        with transaction.atomic():
            cursors = _lock_cursors()
            top, window = _event_window()
            dirty: set[int] = set()
            more = False
            event_cursor = cursors["events"]
            rows, last = _new_rows(DossierEvent, "dossier_id", event_cursor.last_id, upto=top)
            dirty |= {dossier_id for _, dossier_id in rows} | _late_commits(event_cursor.last_id)
            more |= last != event_cursor.last_id
            new_last = {"events": last}
            feedback: set[int] = set()
            for source, model in (("payments", Payment), ("ratings", Rating), ("feedback", Feedback)):
                rows, last = _new_rows(model, "dossier_id", cursors[source].last_id)
                dirty |= {dossier_id for _, dossier_id in rows if dossier_id is not None}
                if source == "feedback":
                    feedback = {pk for pk, _ in rows}
                more |= last != cursors[source].last_id
                new_last[source] = last
            refreshed += _refresh(dirty, cfg) + _refresh_feedback(feedback, cfg)
            for source, last in new_last.items():
                if last != cursors[source].last_id:
                    IndicatorCursor.objects.filter(pk=cursors[source].pk).update(last_id=last)
            if not more:
                # Every event visible when (top, window) was read has now been folded: a
                # later read that finds the same pair has nothing to do.
                IndicatorCursor.objects.filter(pk=event_cursor.pk).update(window_top=top, window_count=window)
        if not more:
            return refreshed


def indicators_rebuild() -> int:
    """Recompute every fact and counter from the event history (`manage.py rebuild_indicators`)."""
    cfg = indicator_settings()
    with transaction.atomic():
        cursors = _lock_cursors()
        top, window = _event_window()
        marks = {
            "events": top,
            "payments": Payment.objects.aggregate(m=Max("pk"))["m"] or 0,
            "ratings": Rating.objects.aggregate(m=Max("pk"))["m"] or 0,
            "feedback": Feedback.objects.aggregate(m=Max("pk"))["m"] or 0,
        }
        IndicatorFact.objects.all().delete()
        IndicatorCounter.objects.all().delete()
        PaknFact.objects.all().delete()
        PaknCounter.objects.all().delete()
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
        _rebuild_feedback(cfg, upto=marks["feedback"])
        for source, mark in marks.items():
            IndicatorCursor.objects.filter(pk=cursors[source].pk).update(last_id=mark)
        IndicatorCursor.objects.filter(pk=cursors["events"].pk).update(window_top=top, window_count=window)
    return count


def _rebuild_feedback(cfg: IndicatorSettings, *, upto: int) -> None:
    calendars: dict[int, worktime.WorkCalendar] = {}
    pakn: dict[tuple[int, date], Counter[str]] = defaultdict(Counter)
    batch: list[PaknFact] = []
    for pk, agency_id, *values in _load_feedback(None):
        if pk > upto:
            break
        fields = pakn_fact_fields(agency_id, cat.FeedbackFacts(*values), cfg, calendars)
        pakn[(agency_id, fields["month"])].update(_pakn_flags(fields))
        batch.append(PaknFact(feedback_id=pk, **fields))
        if len(batch) >= BATCH:
            PaknFact.objects.bulk_create(batch, batch_size=1000)
            batch = []
    PaknFact.objects.bulk_create(batch, batch_size=1000)
    PaknCounter.objects.bulk_create(
        [PaknCounter(agency_id=a, month=m, **{n: c[n] for n in PAKN_FLAGS}) for (a, m), c in pakn.items()],
        batch_size=1000,
    )
