"""W6, national portal sync: the national portal consumer against its simulator.

N dossiers with their progress are loaded the way W4-import loads them (the synthetic
motcua-dossier/1 file through `exchange.importer.Importer`); then the national portal consumer
(`integrations.backbone.run_pass`, what `manage.py run_connectors` runs) delivers every event to
the built-in simulator of the portal's adapter over loopback HTTP until nothing is left.
Reported: events delivered per second and how much the process's peak resident memory grew
during the drain, which must not grow with the backlog: the consumer reads the log in batches.

The simulator is not the portal: its answers take no network time, so this measures MotCua's
side of the sync (reading the log, building payloads, bookkeeping), not the portal's.

Standalone: `.venv/bin/python bench/run.py --workloads w6 --n 10000`.
"""

from __future__ import annotations

import resource
import time
from typing import Any

import w4_dashboard

CODE = "W6"
NAME = "national portal sync throughput"
DEFAULT_N = 10_000
QUICK_N = 1_000


def run(ctx: Any, n: int) -> dict[str, Any]:
    from django.conf import settings

    from motcua.dossiers.models import DossierEvent
    from motcua.integrations import backbone
    from motcua.integrations.models import MessageState, OutboundMessage
    from motcua.integrations.national_portal.conf import load
    from motcua.integrations.national_portal.connector import NationalPortalConnector
    from motcua.integrations.national_portal.simulator import PortalSimulator

    w4_dashboard.load(n)
    events = DossierEvent.objects.count()
    simulator = PortalSimulator(unit_code="000.00.00.H00")
    url = simulator.start()
    settings.NATIONAL_PORTAL = {
        **settings.NATIONAL_PORTAL,
        "URL": url,
        "USERNAME": simulator.username,
        "PASSWORD": simulator.password,
        "UNIT_CODE": simulator.unit_code,
        "BACKOFF_BASE": 0.0,
        "BACKOFF_CAP": 0.0,
    }
    connector = NationalPortalConnector(load())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        while True:
            result = backbone.run_pass(connector, owner="bench", batch=1000)
            if not (result.derived or result.sent or result.failed):
                break
    finally:
        wall = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        simulator.stop()
    sent = OutboundMessage.objects.filter(state=MessageState.SENT).count()
    return {
        "workload": CODE,
        "name": NAME,
        "n": n,
        "wall_s": wall,
        "dossiers_per_s": None,
        "events": events,
        "events_sent": sent,
        "events_per_s": sent / wall if wall else 0.0,
        "peak_rss_growth_mb": (rss_after - rss_before) / 1024,  # ru_maxrss is in KiB on Linux
        "rejected": len(simulator.rejected),
    }
