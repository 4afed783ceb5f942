"""W6, national portal sync: the national portal consumer against its simulator.

N dossiers with their progress are loaded the way W4-import loads them (the synthetic
motcua-dossier/1 file through `exchange.importer.Importer`); then the national portal consumer
(`integrations.backbone.run_pass`, what `manage.py run_connectors` runs) delivers every event to
the built-in simulator of the portal's adapter over loopback HTTP until nothing is left.
The drain runs in a fresh worker process (`bench/w6_drain.py`) that does nothing else, so its
peak resident memory (and, with MOTCUA_BENCH_TRACEMALLOC=1, the peak of Python allocations) is
the worker's own. Reported: events delivered per second and the worker's peak memory, which must
not grow with the backlog: the consumer reads the log in batches.

The simulator is not the portal: its answers take no network time, so this measures MotCua's
side of the sync (reading the log, building payloads, bookkeeping), not the portal's.

Standalone: `.venv/bin/python bench/run.py --workloads w6 --n 10000`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import w4_dashboard

CODE = "W6"
NAME = "national portal sync throughput"
DEFAULT_N = 10_000
QUICK_N = 1_000


def _drain(url: str, simulator: Any, *, traced: bool) -> dict[str, Any]:
    """Drain the backlog in a fresh worker process; its measurements."""
    env = {
        **os.environ,
        "MOTCUA_NATIONAL_PORTAL_URL": url,
        "MOTCUA_NATIONAL_PORTAL_USERNAME": simulator.username,
        "MOTCUA_NATIONAL_PORTAL_PASSWORD": simulator.password,
        "MOTCUA_NATIONAL_PORTAL_UNIT_CODE": simulator.unit_code,
        "MOTCUA_NATIONAL_PORTAL_BACKOFF_BASE": "0",
        "MOTCUA_NATIONAL_PORTAL_BACKOFF_CAP": "0",
    }
    command = [sys.executable, str(Path(__file__).with_name("w6_drain.py"))] + (["--tracemalloc"] if traced else [])
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603 - our own script
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def run(ctx: Any, n: int) -> dict[str, Any]:
    from motcua.dossiers.models import DossierEvent
    from motcua.integrations.models import MessageState, OutboundMessage
    from motcua.integrations.national_portal.simulator import PortalSimulator

    w4_dashboard.load_w4_file(n)
    events = DossierEvent.objects.count()
    simulator = PortalSimulator(unit_code="000.00.00.H00")
    url = simulator.start()
    traced = os.environ.get("MOTCUA_BENCH_TRACEMALLOC") == "1"
    try:
        drained = _drain(url, simulator, traced=traced)
    finally:
        simulator.stop()
    sent = OutboundMessage.objects.filter(state=MessageState.SENT).count()
    wall = float(drained["wall_s"])
    return {
        "workload": CODE,
        "name": NAME,
        "n": n,
        "wall_s": wall,
        # Every dossier is synced with its whole history: the table's columns for the drain.
        "dossiers_per_s": n / wall if wall else None,
        "statements_per_dossier": drained["statements"] / n,
        "events": events,
        "events_sent": sent,
        "events_per_s": sent / wall if wall else 0.0,
        "statements_per_event": drained["statements"] / drained["sent"] if drained["sent"] else None,
        # VmRSS / VmHWM in KiB; the worker did nothing but drain.
        "worker_rss_start_mb": drained["rss_start_kib"] / 1024,
        "worker_rss_peak_mb": drained["rss_peak_kib"] / 1024,
        "peak_rss_growth_mb": (drained["rss_peak_kib"] - drained["rss_start_kib"]) / 1024,
        "tracemalloc_peak_mb": (
            drained["tracemalloc_peak_kib"] / 1024 if drained["tracemalloc_peak_kib"] is not None else None
        ),
        "rejected": len(simulator.rejected),
    }
