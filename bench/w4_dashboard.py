"""W4, dashboard (issue 4 item 6): the province's full indicator set against one raw GROUP BY.

N dossiers are loaded the way W4-import loads them (the same synthetic motcua-dossier/1
file, through `exchange.importer.Importer`), the indicator facts and counters are rebuilt
from the event history (`indicators_rebuild`, what `manage.py rebuild_indicators` runs),
then, for the quarter holding the most receipts:

* dashboard: `indicators.selectors.scorecards(province, quarter)`, the six groups and every
  sub-indicator for the province and for every agency below it, and the ranking of those
  agencies (what the manager's page computes), timed 30 times after a warm-up: p50, p95;
* raw: one SQL GROUP BY over the dossiers table computing the on-time rate per settling
  agency for the same quarter, timed 10 times: p50;
* ratio = dashboard p95 ÷ raw p50. Targets: p95 ≤ 50 ms and ratio ≤ 0.1, i.e. the
  dashboard reads counters (O(agencies × procedures × months) for dossiers, O(agencies ×
  months) for PAKN, plus the open dossiers and the open PAKN still inside their deadline),
  never the dossiers or the feedback table.

Standalone: `.venv/bin/python bench/run.py --workloads w4d --n 100000`.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

import common
import w4_import

CODE = "W4-dashboard"
NAME = "province indicator set vs raw GROUP BY"
DEFAULT_N = 1_000_000
QUICK_N = 10_000
RUNS = 30
RAW_RUNS = 10
TARGET = "dashboard_p95_ms <= 50 and ratio <= 0.1"


def load(n: int) -> tuple[int, float]:
    """Import n synthetic dossiers (unless the database already holds them); (imported, seconds)."""
    from motcua.dossiers.models import Dossier
    from motcua.exchange.importer import Importer, default_workers

    if Dossier.objects.count() >= n:
        return 0, 0.0
    common.BENCH_DATA.mkdir(parents=True, exist_ok=True)
    path = w4_import.synthesise(common.BENCH_DATA / f"w4-{n}.jsonl", n)
    started = time.perf_counter()
    with path.open("rb") as handle:
        report = Importer(workers=default_workers()).run(handle)
    if report.failed:
        raise SystemExit(f"W4d: {len(report.failed)} lines failed, first: {report.failed[0].as_dict()}")
    return report.imported, time.perf_counter() - started


def busiest_quarter() -> Any:
    """The quarter with the most receipts, read from the monthly counters."""
    from django.db.models import Sum

    from motcua.indicators.models import IndicatorCounter
    from motcua.indicators.periods import parse_period

    per_quarter: dict[str, int] = {}
    for row in IndicatorCounter.objects.values("month").annotate(n=Sum("received")):
        month: date = row["month"]
        label = f"{month.year}-Q{(month.month - 1) // 3 + 1}"
        per_quarter[label] = per_quarter.get(label, 0) + (row["n"] or 0)
    if not per_quarter:
        raise SystemExit("W4d: no indicator counters after the rebuild.")
    return parse_period(max(per_quarter, key=lambda k: (per_quarter[k], k)))


def dashboard(root: Any, period: Any) -> tuple[Any, list[Any]]:
    """What the province page computes: every scorecard of the subtree and the ranking."""
    from motcua.indicators.selectors import Ranked, scorecards

    cards, sub = scorecards(root, period)
    ranking = [Ranked(sub.agencies[pk], card) for pk, card in cards.items() if pk != root.pk]
    ranking.sort(key=lambda r: (-r.card.total, r.agency.code))
    return cards[root.pk], ranking


def raw_group_by(period: Any) -> list[tuple[Any, ...]]:
    """On-time rate per settling agency straight from the dossiers table (the baseline)."""
    from django.db import connection

    from motcua.indicators.periods import VN_TZ

    start = datetime.combine(period.first, dtime(0), VN_TZ)
    end = datetime.combine(period.last + timedelta(days=1), dtime(0), VN_TZ)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT settling_agency_id, avg(CASE WHEN processed_at <= appointment_at THEN 1.0 ELSE 0.0 END), "
            "count(*) FROM dossiers_dossier WHERE received_at >= %s AND received_at < %s "
            "GROUP BY settling_agency_id",
            [start, end],
        )
        return list(cursor.fetchall())


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered) * 1000, p95 * 1000


def run(ctx: Any, n: int) -> dict[str, Any]:
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.indicators.models import IndicatorCounter, IndicatorFact, PaknFact
    from motcua.indicators.selectors import open_facts, province_root
    from motcua.indicators.services import indicators_catch_up, indicators_rebuild

    imported, import_s = load(n)
    started = time.perf_counter()
    facts = indicators_rebuild()
    rebuild_s = time.perf_counter() - started
    indicators_catch_up()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # fresh statistics after the bulk load, and no autovacuum pass left to run meanwhile
            cursor.execute("VACUUM ANALYZE")
    root = province_root()
    period = busiest_quarter()

    for _ in range(3):  # warm-up: calendars, catalogue, query plans
        dashboard(root, period)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        card, ranking = dashboard(root, period)
        samples.append(time.perf_counter() - started)
    p50, p95 = _ms(samples)

    raw_group_by(period)
    raw = []
    for _ in range(RAW_RUNS):
        started = time.perf_counter()
        rows = raw_group_by(period)
        raw.append(time.perf_counter() - started)
    raw_p50, _ = _ms(raw)
    in_period = sum(r[2] for r in rows)
    return {
        "workload": CODE,
        "name": NAME,
        "n": n,
        "dossiers": Dossier.objects.count(),
        "imported": imported,
        "import_s": round(import_s, 2),
        "rebuild_s": round(rebuild_s, 2),
        "facts": facts,
        "counter_rows": IndicatorCounter.objects.count(),
        "period": period.label,
        "dossiers_in_period": in_period,
        "open_in_period": open_facts(root, period).count(),
        "fact_rows_in_period": IndicatorFact.objects.filter(receipt_day__range=(period.first, period.last)).count(),
        "pakn_in_period": PaknFact.objects.filter(receipt_day__range=(period.first, period.last)).count(),
        "agencies_ranked": len(ranking),
        "province_total_points": round(card.total, 2),
        # the runner's table shows these two columns for every workload
        "wall_s": round(sum(samples), 3),
        "dossiers_per_s": round(imported / import_s, 1) if import_s else None,
        "dashboard_p50_ms": round(p50, 2),
        "dashboard_p95_ms": round(p95, 2),
        "raw_group_by_p50_ms": round(raw_p50, 2),
        "ratio": round(p95 / raw_p50, 4) if raw_p50 else None,
        "target": TARGET,
    }
