"""W4d, the dashboard as a manager meets it (issue 13 item 6).

N dossiers of the demo-sized province (`province.demo_sized`: the test province H99 with the
demo province's agencies, 81 in all) are loaded as W5 loads them (`w5_pages.load`, skipped
when the database already holds N: W5 and W4d share one load), so that a share of them is
still open now. The indicator facts and counters are rebuilt from the event history
(`indicators_rebuild`, timed as `rebuild_s`; skipped when every received dossier already has
its fact), then, for the quarter holding the most open dossiers (the part of the work that
the counters cannot settle in advance: an open dossier is judged at read time):

* cold: the first call of `scorecards(province, quarter)` in a fresh process (a new worker:
  `config/wsgi.py` imported, so the holidays and the procedure catalogue preloaded, no open
  connection, no period judged, no query plan cached), its wall-clock and CPU time
  (`cold_cpu_ms`, this process's CPU: Python's share, without the database server's);
* warm: 30 calls (after 3 warm-ups) in the benchmark process: p50, p95;
* baseline: the same figures computed straight from the dossier and event tables with one
  SQL statement (PostgreSQL): for every settling agency, the dossiers received in the quarter,
  those on time by adopted rule 2.1 (first processed, returned or stopped instant, an
  unanswered supplement request, or min(quarter end, now) for an open dossier, less the
  supplement time after receipt, against the appointment; more than one supplement request
  is late), and those filed online; timed 5 times (p50), and checked equal, agency by agency
  (each rolling up its subtree) and for the province, to the dashboard's received, on-time
  (2.1) and online counts at the same instant.

Targets: cold and warm p95 <= 50 ms at 1,000,000 dossiers on PostgreSQL.

Standalone: `.venv/bin/python bench/run.py --workloads w4d --n 100000 --databases postgres`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import common
import province

CODE = "W4-dashboard"
NAME = "province dashboard (cold, warm) vs the same figures from dossiers and events"
DEFAULT_N = 1_000_000
QUICK_N = 10_000
RUNS = 30
BASELINE_RUNS = 5
PAGE_RUNS = 10
TARGET_MS = 50.0
TARGET = "cold_ms <= 50 and dashboard_p95_ms <= 50 (PostgreSQL, 1,000,000 dossiers)"
#: The counts compared with the baseline (Totals attribute or counts key).
CHECKED = ("received", "on_time", "online")


def load_w4_file(n: int) -> tuple[int, float]:
    """Import n dossiers of W4's synthetic file (W6 and the CI smoke check), unless the
    database already holds them; (imported, seconds)."""
    from motcua.dossiers.models import Dossier
    from motcua.exchange.importer import Importer, default_workers

    if Dossier.objects.count() >= n:
        return 0, 0.0
    import w4_import

    common.BENCH_DATA.mkdir(parents=True, exist_ok=True)
    path = w4_import.synthesise(common.BENCH_DATA / f"w4-{n}.jsonl", n)
    started = time.perf_counter()
    with path.open("rb") as handle:
        report = Importer(workers=default_workers()).run(handle)
    if report.failed:
        raise SystemExit(f"W4d: {len(report.failed)} lines failed, first: {report.failed[0].as_dict()}")
    return report.imported, time.perf_counter() - started


def load(world: Any, n: int) -> tuple[int, float]:
    """Load n dossiers as W5 does, unless the database already holds them; (imported, seconds)."""
    from motcua.dossiers.models import Dossier

    if Dossier.objects.count() >= n:
        province.demo_sized(world)
        return 0, 0.0
    import w5_pages

    loaded = w5_pages.load(world, n)
    return int(loaded["imported"]), float(loaded["import_s"])


def facts_current() -> bool:
    """Every received dossier has its fact row (a database W4d or the catch-up already folded)."""
    from motcua.dossiers.models import Dossier
    from motcua.indicators.models import IndicatorFact

    facts = IndicatorFact.objects.count()
    return facts > 0 and facts == Dossier.objects.filter(received_at__isnull=False).count()


def busiest_quarter() -> Any:
    """The quarter with the most receipts, read from the monthly counters."""
    from django.db.models import Sum

    from motcua.indicators.models import IndicatorCounter
    from motcua.indicators.periods import parse_period

    per_quarter: dict[str, int] = {}
    for row in IndicatorCounter.objects.values("month").annotate(n=Sum("received")):
        label = f"{row['month'].year}-Q{(row['month'].month - 1) // 3 + 1}"
        per_quarter[label] = per_quarter.get(label, 0) + (row["n"] or 0)
    if not per_quarter:
        raise SystemExit("W4d: no indicator counters after the rebuild.")
    return parse_period(max(per_quarter, key=lambda k: (per_quarter[k], k)))


def busiest_open_quarter() -> tuple[Any, int]:
    """The quarter holding the most open dossiers (judged at read time), and how many."""
    from django.db.models import Count

    from motcua.indicators.models import IndicatorFact
    from motcua.indicators.periods import parse_period

    per_quarter: dict[str, int] = {}
    for row in IndicatorFact.objects.filter(open=True).values("month").annotate(n=Count("id")):
        label = f"{row['month'].year}-Q{(row['month'].month - 1) // 3 + 1}"
        per_quarter[label] = per_quarter.get(label, 0) + row["n"]
    if not per_quarter:
        raise SystemExit("W4d: no open dossier after the rebuild: the period would hold none.")
    label = max(per_quarter, key=lambda k: (per_quarter[k], k))
    return parse_period(label), per_quarter[label]


def dashboard(period: Any, now: datetime | None = None) -> tuple[Any, list[Any], Any]:
    """What the province page computes: the root, every scorecard of its subtree and the ranking."""
    from motcua.indicators.selectors import Ranked, province_root, scorecards

    root = province_root()
    cards, sub = scorecards(root, period, now=now)
    ranking = [Ranked(sub.agencies[pk], card) for pk, card in cards.items() if pk != root.pk]
    ranking.sort(key=lambda r: (-r.card.total, r.agency.code))
    return cards[root.pk], ranking, sub


# ---------------------------------------------------------------- the baseline

BASELINE_SQL = """
WITH d AS MATERIALIZED (
    SELECT id, settling_agency_id AS agency_id, received_at, appointment_at AS due, channel
    FROM dossiers_dossier WHERE received_at >= %(start)s AND received_at < %(stop)s
), e AS (
    SELECT x.dossier_id,
        COUNT(*) FILTER (WHERE x.action = 'request_supplement') AS requests,
        MIN(x.seq) FILTER (WHERE x.action = 'request_supplement') AS request_seq,
        MIN(x.at) FILTER (WHERE x.action = 'request_supplement') AS requested_at,
        MIN(x.at) FILTER (WHERE x.to_status = %(processed)s) AS processed_at,
        MIN(x.at) FILTER (WHERE x.to_status = %(returned)s) AS returned_at,
        MIN(x.at) FILTER (WHERE x.to_status = %(stopped)s) AS first_stopped,
        MIN(x.at) FILTER (WHERE x.to_status = %(refused)s) AS first_refused,
        MIN(x.at) FILTER (WHERE x.to_status = %(withdrawn)s) AS first_withdrawn
    FROM dossiers_dossierevent x
    WHERE x.dossier_id IN (
        SELECT id FROM dossiers_dossier WHERE received_at >= %(start)s AND received_at < %(stop)s
    )
    GROUP BY x.dossier_id
), j AS (
    SELECT d.agency_id, d.channel, d.received_at, d.due, COALESCE(e.requests, 0) AS requests, e.requested_at,
        CASE WHEN e.request_seq IS NOT NULL THEN (
            SELECT MIN(y.at) FROM dossiers_dossierevent y
            WHERE y.dossier_id = d.id AND y.action = 'resubmit' AND y.seq > e.request_seq
        ) END AS resubmitted_at,
        e.processed_at, e.returned_at,
        LEAST(
            CASE WHEN e.first_stopped >= d.received_at THEN e.first_stopped END,
            CASE WHEN e.first_refused >= d.received_at THEN e.first_refused END,
            CASE WHEN e.first_withdrawn >= d.received_at THEN e.first_withdrawn END
        ) AS stopped_at
    FROM d LEFT JOIN e ON e.dossier_id = d.id
), k AS (
    SELECT j.*, COALESCE(
        processed_at, returned_at, stopped_at,
        CASE WHEN requested_at IS NOT NULL AND resubmitted_at IS NULL THEN requested_at END,
        %(judged_at)s
    ) AS end_at FROM j
)
SELECT agency_id, COUNT(*),
    COUNT(*) FILTER (WHERE requests <= 1 AND due IS NOT NULL AND end_at - CASE
        WHEN resubmitted_at IS NOT NULL AND resubmitted_at < end_at AND resubmitted_at > received_at
        THEN resubmitted_at - GREATEST(requested_at, received_at) ELSE INTERVAL '0' END <= due),
    COUNT(*) FILTER (WHERE channel = %(online)s)
FROM k GROUP BY agency_id
"""


def baseline(period: Any, now: datetime) -> dict[int, tuple[int, int, int]]:
    """settling agency id -> (received, on time by rule 2.1, online), from dossiers and events."""
    from django.db import connection

    from motcua.dossiers.models import Channel, Status

    params = {
        "start": period.start,
        "stop": period.start + timedelta(days=(period.last - period.first).days + 1),
        "judged_at": min(period.end, now),
        "online": Channel.ONLINE.value,
        **{s: getattr(Status, s.upper()).value for s in ("processed", "returned", "stopped", "refused", "withdrawn")},
    }
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, params)
        return {agency_id: (int(n), int(ok), int(online)) for agency_id, n, ok, online in cursor.fetchall()}


def compare(sub: Any, rows: dict[int, tuple[int, int, int]]) -> list[str]:
    """Differences between the dashboard's totals and the baseline rolled up the same way."""
    expected = {pk: [0, 0, 0] for pk in sub.agencies}
    outside = 0
    for agency_id, values in rows.items():
        if agency_id not in sub.chain:
            outside += values[0]
            continue
        for target in sub.chain[agency_id]:
            expected[target] = [a + b for a, b in zip(expected[target], values, strict=True)]
    found = []
    for pk, totals in sub.totals.items():
        got = [totals.counts["received"], totals.on_time, totals.counts["online"]]
        if got != expected[pk]:
            shown = dict(zip(CHECKED, got, strict=True))
            found.append(f"{sub.agencies[pk].code}: dashboard {shown}, baseline {expected[pk]}")
    if outside:
        found.append(f"{outside} dossiers of the period are settled outside the province")
    return found


# ---------------------------------------------------------------- cold and warm


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered) * 1000, p95 * 1000


def page_client() -> Any:
    """A test client signed in as the province's manager (the test province's `manager`)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    return client


def page_url(period: Any) -> str:
    """The manager's dashboard page of the province for `period` (scorecard, ranking, a
    twelve-month trend, the overdue and due-soon lists)."""
    from django.urls import reverse

    from motcua.indicators.selectors import province_root

    return f"{reverse('indicators:agency', kwargs={'code': province_root().code})}?period={period.label}"


def get_page(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"W4d: GET {url} answered {response.status_code}.")
    return took


def cold_call(period_label: str, what: str = "scorecards") -> dict[str, Any]:
    """The first and second call in a fresh process (`w4_dashboard.py --cold PERIOD WHAT`)."""
    completed = subprocess.run(  # noqa: S603 - our own script, same interpreter and environment
        [sys.executable, str(Path(__file__).resolve()), "--cold", period_label, what],
        env={**os.environ, "PYTHONPATH": str(common.SRC)},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"W4d: the cold call failed:\n{completed.stderr[-2000:]}")
    answer: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return answer


def _cold_main(period_label: str, what: str) -> int:
    common.setup_django()
    from django.db import connection

    import motcua.config.wsgi  # noqa: F401 - what a web worker loads before its first request
    from motcua.indicators import selectors  # noqa: F401 - imported by a worker before any request
    from motcua.indicators.periods import parse_period

    period = parse_period(period_label)
    if what == "page":
        client, url = page_client(), page_url(period)
        connection.close()  # the sign-in above is not part of the measurement
        timings = [get_page(client, url), get_page(client, url)]
        answer = {"page_cold_ms": round(timings[0] * 1000, 2), "page_second_ms": round(timings[1] * 1000, 2)}
        print(json.dumps(answer))
        return 0
    timings, cpu, statements = [], [], []
    for _ in range(2):
        log = common.StatementLog()
        with common.counting(log):
            started, started_cpu = time.perf_counter(), time.process_time()
            dashboard(period)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        statements.append(log.total)
    answer = {
        "cold_ms": round(timings[0] * 1000, 2),
        "cold_cpu_ms": round(cpu[0] * 1000, 2),
        "second_ms": round(timings[1] * 1000, 2),
        "second_cpu_ms": round(cpu[1] * 1000, 2),
    }
    print(json.dumps({**answer, "cold_queries": statements[0], "queries": statements[1]}))
    return 0


def trace(period: Any) -> None:
    """Print the SQL of one warm call with the time each statement took (`--trace`)."""
    import w5_pages

    log = w5_pages._TimedLog(capture=True)
    with common.counting(log):
        started = time.perf_counter()
        dashboard(period)
        took = time.perf_counter() - started
    in_sql = log.seconds * 1000
    print(f"  dashboard {period.label}: {took * 1000:.1f} ms, {log.total} statements, {in_sql:.1f} ms in SQL")
    for spent, sql in log.sql:
        print(f"    {spent}  {sql[:300]}")


def warm(period: Any, profile: Path | None = None) -> tuple[float, float, Any, list[Any], float]:
    import cProfile
    import pstats

    for _ in range(3):  # warm-up: calendars, catalogue, query plans
        dashboard(period)
    profiler = cProfile.Profile() if profile else None
    samples = []
    for _ in range(RUNS):
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        card, ranking, _ = dashboard(period)
        samples.append(time.perf_counter() - started)
        if profiler:
            profiler.disable()
    if profiler and profile:
        profiler.dump_stats(str(profile))
        print(f"  cProfile of the warm calls written to {profile}; top 25 by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    p50, p95 = _ms(samples)
    return p50, p95, card, ranking, sum(samples)


def warm_page(period: Any) -> dict[str, Any]:
    """The manager's page, PAGE_RUNS times after a warm-up: p50, p95 (ms)."""
    client, url = page_client(), page_url(period)
    get_page(client, url)
    p50, p95 = _ms([get_page(client, url) for _ in range(PAGE_RUNS)])
    return {"page_url": url, "page_p50_ms": round(p50, 2), "page_p95_ms": round(p95, 2)}


def prepare(world: Any, n: int) -> dict[str, Any]:
    """Load, fold the facts, refresh statistics; what was done and how long it took."""
    from django.db import connection

    from motcua.indicators.services import indicators_catch_up, indicators_rebuild

    imported, import_s = load(world, n)
    rebuild_s = None
    if not facts_current():
        started = time.perf_counter()
        indicators_rebuild()
        rebuild_s = round(time.perf_counter() - started, 2)
    indicators_catch_up()
    if rebuild_s is not None and connection.vendor == "postgresql":
        from motcua.indicators.models import IndicatorCounter, IndicatorFact, PaknCounter, PaknFact

        tables = ", ".join(m._meta.db_table for m in (IndicatorFact, IndicatorCounter, PaknFact, PaknCounter))
        with connection.cursor() as cursor:
            # fresh statistics and visibility map after the rebuild (the load vacuumed the rest),
            # and no autovacuum pass left to run during the measurement
            cursor.execute(f"VACUUM ANALYZE {tables}")
    return {"imported": imported, "import_s": round(import_s, 2), "rebuild_s": rebuild_s}


def run(ctx: Any, n: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from motcua.dossiers.models import Dossier
    from motcua.indicators.models import IndicatorCounter, IndicatorFact

    prepared = prepare(ctx.world, n)
    period, open_in_period = busiest_open_quarter()
    cold = cold_call(period.label)
    p50, p95, card, ranking, wall = warm(period, ctx.profile)
    if ctx.trace:
        trace(period)
    page = {**cold_call(period.label, "page"), **warm_page(period)}

    row: dict[str, Any] = {}
    if connection.vendor == "postgresql":
        now = timezone.now()
        _, _, sub = dashboard(period, now)
        rows = baseline(period, now)
        differences = compare(sub, rows)
        samples = []
        for _ in range(BASELINE_RUNS):
            started = time.perf_counter()
            baseline(period, timezone.now())
            samples.append(time.perf_counter() - started)
        base_p50, _ = _ms(samples)
        row = {
            "baseline_p50_ms": round(base_p50, 2),
            "ratio": round(p95 / base_p50, 4) if base_p50 else None,
            "baseline_checked": list(CHECKED),
            "baseline_equal": not differences,
            "baseline_differences": differences[:10],
            "dossiers_in_period": sum(v[0] for v in rows.values()),
        }
    return {
        "workload": CODE,
        "name": NAME,
        "n": n,
        "dossiers": Dossier.objects.count(),
        **prepared,
        "counter_rows": IndicatorCounter.objects.count(),
        "agencies": len(ranking) + 1,
        "period": period.label,
        "open_in_period": open_in_period,
        "fact_rows_in_period": IndicatorFact.objects.filter(receipt_day__range=(period.first, period.last)).count(),
        "province_total_points": round(card.total, 2),
        **cold,
        # the runner's table shows these two columns for every workload
        "wall_s": round(wall, 3),
        "dossiers_per_s": None,
        "dashboard_p50_ms": round(p50, 2),
        "dashboard_p95_ms": round(p95, 2),
        **row,
        **page,
        "meets_target": cold["cold_ms"] <= TARGET_MS and p95 <= TARGET_MS,
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "target": TARGET,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--cold":
        sys.exit(_cold_main(sys.argv[2], sys.argv[3]))
    print(__doc__)
