"""Dossier totals of a subtree for a period: the monthly counters (whole months), the fact
rows of partial months, and the open dossiers judged at read time. The cost is
O(agencies × procedures × months + open dossiers), whatever the number of dossiers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from motcua.indicators.conf import IndicatorSettings
from motcua.indicators.engine import (
    FLAGS,
    DossierFacts,
    Span,
    Totals,
    judge,
)
from motcua.indicators.models import IndicatorCounter, IndicatorFact
from motcua.indicators.periods import Period
from motcua.organizations.models import Agency

# ---------------------------------------------------------------- totals


def facts_from_row(row: IndicatorFact) -> DossierFacts:
    spans = tuple(Span(datetime.fromisoformat(a), datetime.fromisoformat(b) if b else None) for a, b in row.spans or [])
    return DossierFacts(
        code=row.code,
        agency_id=row.agency_id,
        procedure_id=row.procedure_id,
        received_at=row.received_at,
        due=row.due,
        supplement_requests=row.supplement_requests,
        spans=spans,
        processed_at=row.processed_at,
        returned_at=row.returned_at,
        stopped_at=row.stopped_at,
    )


@dataclass
class SubtreeTotals:
    agencies: dict[int, Agency]
    #: agency id -> its ids and those of all its ancestors within the subtree
    chain: dict[int, list[int]]
    totals: dict[int, Totals]


def ancestors_within(agencies: dict[int, Agency]) -> dict[int, list[int]]:
    return {
        pk: [int(part) for part in a.path.strip("/").split("/") if part and int(part) in agencies]
        for pk, a in agencies.items()
    }


_OPEN = FLAGS.index("open")


def marks(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def fetch_rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """One hand-written aggregate query: the dashboard's hot reads skip the ORM's compiler,
    which costs more than the database for these tiny GROUP BYs."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def subtree_agencies(root: Agency) -> dict[int, Agency]:
    return {a.pk: a for a in Agency.objects.filter(path__startswith=root.path)}


def subtree_totals(
    root: Agency,
    period: Period,
    now: datetime,
    cfg: IndicatorSettings,
    *,
    agencies: dict[int, Agency] | None = None,
) -> SubtreeTotals:
    """Totals for `root` and every agency below it, each rolling up its own subtree.

    One GROUP BY over the monthly counters (whole months), one over the fact rows of
    partial months (custom ranges), and the open facts judged at read time: the rows read
    are O(agencies × procedures), whatever the number of dossiers.
    """
    agencies = agencies if agencies is not None else subtree_agencies(root)
    chain = ancestors_within(agencies)
    totals = {pk: Totals() for pk in agencies}
    ids = list(agencies)

    def add(agency_id: int, procedure_id: int, sums: tuple[int | None, ...]) -> None:
        counts = {name: int(value or 0) for name, value in zip(FLAGS, sums, strict=True)}
        for target in chain.get(agency_id, []):
            totals[target].add_flags(procedure_id, counts)

    open_count = 0
    months = period.full_months()
    if months and ids:
        table = connection.ops.quote_name(IndicatorCounter._meta.db_table)
        columns = ", ".join(f"SUM({connection.ops.quote_name(n)})" for n in FLAGS)
        sql = (
            f"SELECT agency_id, procedure_id, {columns} FROM {table} "
            f"WHERE agency_id IN ({marks(ids)}) AND month IN ({marks(months)}) GROUP BY agency_id, procedure_id"
        )
        for agency_id, procedure_id, *sums in fetch_rows(
            sql, [*ids, *map(connection.ops.adapt_datefield_value, months)]
        ):
            add(agency_id, procedure_id, tuple(sums))
            open_count += int(sums[_OPEN] or 0)
    for first, last in period.partial_ranges():
        for agency_id, procedure_id, *sums in (
            IndicatorFact.objects.filter(agency_id__in=ids, receipt_day__range=(first, last))
            .values("agency_id", "procedure_id")
            .annotate(**{f"s_{n}": Count("pk", filter=Q(**{n: True})) for n in FLAGS})
            .values_list("agency_id", "procedure_id", *(f"s_{n}" for n in FLAGS))
        ):
            add(agency_id, procedure_id, tuple(sums))
            open_count += int(sums[_OPEN] or 0)
    # The counters count the open facts: when they hold none, nothing is judged at read time.
    if open_count:
        _judge_open(totals, chain, ids, period, min(period.end, now), cfg)
    return SubtreeTotals(agencies, chain, totals)


def _judge_open(
    totals: dict[int, Totals],
    chain: dict[int, list[int]],
    ids: list[int],
    period: Period,
    at: datetime,
    cfg: IndicatorSettings,
) -> None:
    """Judge the open dossiers of the period at `at` = min(period end, now) (adopted rule 2.1).

    An open dossier is on time at `at` exactly when `at <= open_deadline` (its appointment
    plus the supplement time after receipt), provided every resubmission it counts came before
    `at`; so one count over the partial index `ind_fact_open_deadline` reads only the open
    dossiers still within their deadline, and the others (counted open by the counters) are
    late. The rare dossier resubmitted at or after `at` (a past period) is judged one by one.
    """
    table = connection.ops.quote_name(IndicatorFact._meta.db_table)
    q = connection.ops.quote_name
    at_value = connection.ops.adapt_datetimefield_value(at)
    days = [connection.ops.adapt_datefield_value(d) for d in (period.first, period.last)]
    # `WHERE "open"`, written as the partial index's condition is, so that both databases use it.
    where = (
        f"{q('open')} AND receipt_day >= %s AND receipt_day <= %s AND open_deadline >= %s "
        f"AND agency_id IN ({marks(ids)})"
    )
    params = [*days, at_value, *ids]
    recheck = 0
    counted: dict[int, int] = {}
    for agency_id, within, later in fetch_rows(
        f"SELECT agency_id, COUNT(*), SUM(CASE WHEN resumed_at >= %s THEN 1 ELSE 0 END) FROM {table} "
        f"WHERE {where} GROUP BY agency_id",
        [at_value, *params],
    ):
        counted[agency_id] = int(within) - int(later or 0)
        recheck += int(later or 0)
    for agency_id, n in counted.items():
        for target in chain.get(agency_id, []):
            totals[target].open_on_time += n
    if recheck:
        for row in open_facts(None, period, agency_ids=ids).filter(open_deadline__gte=at, resumed_at__gte=at):
            verdict = judge(facts_from_row(row), period.end, min(at, period.end), cfg)
            for target in chain.get(row.agency_id, []):
                totals[target].judged_open[row.code] = verdict.on_time
    for t in totals.values():
        t.open_late = max(0, t.counts["open"] - t.open_on_time - len(t.judged_open))


def open_facts(root: Agency | None, period: Period, *, agency_ids: list[int] | None = None) -> QuerySet[IndicatorFact]:
    """Dossiers of the period whose 2.1 verdict depends on now (judged at read time)."""
    if agency_ids is not None:
        scope = Q(agency_id__in=agency_ids)
    elif root is not None:
        scope = Q(agency__path__startswith=root.path)
    else:
        raise ValueError("open_facts needs a root agency or agency ids.")
    return IndicatorFact.objects.filter(scope, open=True, receipt_day__range=(period.first, period.last)).only(
        "code",
        "agency_id",
        "procedure_id",
        "received_at",
        "due",
        "supplement_requests",
        "spans",
        "processed_at",
        "returned_at",
        "stopped_at",
    )
