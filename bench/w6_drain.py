"""W6's worker: a fresh process that only drains the national portal backlog, so its peak memory
is the worker's and nothing else's (no import, no simulator).

Started by `w6_sync.run` with DATABASE_URL and the MOTCUA_NATIONAL_PORTAL_* variables pointing at
the simulator; prints one JSON line: events sent, seconds, the process's resident memory after
start-up and at its peak (KiB), the SQL statements sent through Django during the drain, and,
with `--tracemalloc`, the peak of Python allocations. With MOTCUA_BENCH_W6_PROGRESS set to a file
name, it appends one JSON line per pass there (events sent so far, seconds, memory), to follow a
long drain.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import common


def _memory_kib(key: str) -> int:
    """`VmHWM` (peak) or `VmRSS` (now) of this process, in KiB. Read from /proc on Linux: unlike
    `ru_maxrss`, which Linux carries over `exec` from the parent that started this process, the
    kernel resets these for the new program. Elsewhere, `ru_maxrss` for both."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _progress(path: str, **figures: float) -> None:
    """Append one line of how far the drain got (`MOTCUA_BENCH_W6_PROGRESS`), to follow a long run."""
    line = {**figures, "rss_kib": _memory_kib("VmRSS"), "rss_peak_kib": _memory_kib("VmHWM"), "at": time.time()}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


def main(argv: list[str]) -> int:
    common.setup_django()
    from motcua.integrations import backbone
    from motcua.integrations.national_portal.conf import load
    from motcua.integrations.national_portal.connector import NationalPortalConnector

    traced = "--tracemalloc" in argv
    progress = os.environ.get("MOTCUA_BENCH_W6_PROGRESS")
    connector = NationalPortalConnector(load())
    rss_start = _memory_kib("VmRSS")
    if traced:
        tracemalloc.start()
    sent = failed = passes = 0
    statements = common.StatementLog()
    started = time.perf_counter()
    with common.counting(statements):
        while True:
            result = backbone.run_pass(connector, owner="bench", batch=1000)
            passes += 1
            sent += result.sent
            failed += result.failed
            if progress:
                _progress(progress, sent=sent, seconds=time.perf_counter() - started, statements=statements.total)
            if not (result.derived or result.sent or result.failed):
                break
    wall = time.perf_counter() - started
    peak_traced = tracemalloc.get_traced_memory()[1] if traced else None
    print(
        json.dumps(
            {
                "sent": sent,
                "failed": failed,
                "passes": passes,
                "wall_s": wall,
                "statements": statements.total,
                "rss_start_kib": rss_start,
                "rss_peak_kib": _memory_kib("VmHWM"),
                "tracemalloc_peak_kib": peak_traced // 1024 if peak_traced is not None else None,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
