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
    for row in open_facts(root, period, agency_ids=ids) if open_count else ():
        verdict = judge(facts_from_row(row), period.end, now, cfg)
        for target in chain.get(row.agency_id, []):
            totals[target].judged_open[row.code] = verdict.on_time
    return SubtreeTotals(agencies, chain, totals)


def open_facts(root: Agency, period: Period, *, agency_ids: list[int] | None = None) -> QuerySet[IndicatorFact]:
    """Dossiers of the period whose 2.1 verdict depends on now: the small set judged at read time."""
    scope = Q(agency_id__in=agency_ids) if agency_ids is not None else Q(agency__path__startswith=root.path)
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
