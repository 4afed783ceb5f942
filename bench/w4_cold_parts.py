"""W4d's cold call in its parts: where the first `scorecards(province, quarter)` of a fresh
worker spends its time.

Each run is a fresh process that imports `config/wsgi.py` as a web worker does (timed
apart: `preload`), then makes W4d's dashboard call step by step, as `scorecards` makes it:
the connection, the province root, the settings, the dossier totals, the catalogue facts (of
which: the catalogue's fingerprint check and read, and of that the read itself), the PAKN
counters, and the scoring and ranking. Each part is given as wall-clock ms, this process's
CPU ms and statements, the median of the runs; `second` is the whole call once more.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python \\
        bench/w4_cold_parts.py 2026-Q4 [--runs 5] [--src /other/checkout/src]

`--src` measures another checkout's code (e.g. main's) against the same database; the parts
it lacks are left out. The period is W4d's (`run.py` prints it: the quarter holding the most
open dossiers).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import common


class Parts:
    """Wall ms, CPU ms and statements per part, in the order measured."""

    def __init__(self) -> None:
        self.log = common.StatementLog()
        self.rows: dict[str, list[float]] = {}
        self.wrapped: list[tuple[Any, str, Callable[..., Any]]] = []

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        wall, cpu, statements = time.perf_counter(), time.process_time(), self.log.total
        try:
            yield
        finally:
            row = self.rows.setdefault(name, [0.0, 0.0, 0.0])
            row[0] += (time.perf_counter() - wall) * 1000
            row[1] += (time.process_time() - cpu) * 1000
            row[2] += self.log.total - statements

    def wrap(self, module: Any, attribute: str, name: str) -> None:
        """Time every call of `module.attribute` as the part `name` (when the code has it)."""
        inner: Callable[..., Any] | None = getattr(module, attribute, None)
        if inner is None:
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.part(name):
                return inner(*args, **kwargs)

        setattr(module, attribute, timed)
        self.wrapped.append((module, attribute, inner))

    def unwrap(self) -> None:
        for module, attribute, inner in self.wrapped:
            setattr(module, attribute, inner)
        self.wrapped.clear()


def one(period_label: str) -> dict[str, list[float]]:
    """One fresh process: the parts of its first call, then its second call whole."""
    started, started_cpu = time.perf_counter(), time.process_time()
    common.setup_django()
    from django.db import connection

    parts = Parts()
    parts.rows["django setup"] = [(time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000, 0]
    with common.counting(parts.log), parts.part("preload (config/wsgi.py)"):
        import motcua.config.wsgi  # noqa: F401 - a web worker loads it before its first request
    import w4_dashboard
    from django.utils import timezone

    from motcua.indicators.conf import indicator_settings
    from motcua.indicators.periods import parse_period
    from motcua.indicators.selectors import Ranked, catalogue_facts, province_root
    from motcua.indicators.selectors.complaints import pakn_from_counters
    from motcua.indicators.selectors.totals import subtree_totals

    # the module (the package exports a function of the same name)
    scorecards_module = importlib.import_module("motcua.indicators.selectors.scorecards")
    # the fingerprint check (and the read when it moved): `_current`, or in older code
    # `catalogue_versions`
    check = "_current" if hasattr(catalogue_facts, "_current") else "catalogue_versions"
    parts.wrap(catalogue_facts, check, "    catalogue fingerprint + read")
    parts.wrap(catalogue_facts, "_version_facts", "      of which the read")
    period = parse_period(period_label)
    for name in ("  connect", "  province root", "  settings", "  dossier totals", "  catalogue facts"):
        parts.rows[name] = [0.0, 0.0, 0.0]  # printed in this order, the nested parts after
    with common.counting(parts.log), parts.part("first call, whole"):
        with parts.part("  connect"):
            connection.ensure_connection()
        with parts.part("  province root"):
            root = province_root()
        now = timezone.now()
        with parts.part("  settings"):
            cfg = indicator_settings()
        with parts.part("  dossier totals"):
            sub = subtree_totals(root, period, now, cfg)
        with parts.part("  catalogue facts"):
            catalogue = catalogue_facts.catalogue_facts_for(sub.agencies, period, cfg)
        with parts.part("  PAKN counters"):
            pakn = pakn_from_counters(sub.agencies, period, now, cfg=cfg)
        with parts.part("  scoring and ranking"):
            cards = {pk: scorecards_module.score(sub.totals[pk], catalogue[pk], pakn[pk], cfg) for pk in sub.agencies}
            for pk, card in cards.items():
                scorecards_module.annotate_notes(card, sub.totals[pk])
            ranking = [Ranked(sub.agencies[pk], card) for pk, card in cards.items() if pk != root.pk]
            ranking.sort(key=lambda r: (-r.card.total, r.agency.code))
    parts.unwrap()  # the parts above are the first call's only
    with common.counting(parts.log), parts.part("second call, whole"):
        w4_dashboard.dashboard(period)
    return parts.rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("period", help="the period W4d measures, e.g. 2026-Q4")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes (median of each part)")
    parser.add_argument("--src", help="measure the code of another checkout's src folder")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.src:
        common.SRC = Path(args.src).resolve()
    if args.one:
        print(json.dumps(one(args.period)))
        return 0
    command = [sys.executable, str(Path(__file__).resolve()), args.period, "--one"]
    if args.src:
        command += ["--src", args.src]
    runs = []
    for _ in range(args.runs):
        completed = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ.copy())  # noqa: S603
        if completed.returncode != 0:
            raise SystemExit(f"w4_cold_parts: a run failed:\n{completed.stderr[-2000:]}")
        runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    print(f"code: {common.SRC}; {args.runs} fresh processes, medians; load average {os.getloadavg()[0]:.2f}")
    print(f"{'part':40} {'wall ms':>9} {'CPU ms':>9} {'statements':>10}")
    for name in runs[0]:
        values = [run[name] for run in runs if name in run]
        wall, cpu, statements = (statistics.median(v[i] for v in values) for i in range(3))
        print(f"{name:40} {wall:9.1f} {cpu:9.1f} {statements:10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
