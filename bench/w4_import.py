"""W4, import (issue 4 item 6): `import_dossiers` of a large motcua-dossier/1 file.

    .venv/bin/python bench/w4_import.py [--n 20000] [--databases sqlite,postgres] [--keep] [--plain]

The file is synthesised, not generated through the services (which make ~10 dossiers/s):
a few dozen real histories are made by `exchange.generator` (the services, so the events,
forms, pauses and hand-overs are genuine), exported, rolled back, and then cloned into N
lines with fresh dossier codes (unique per receiving agency and day) and a fresh applicant
every third dossier. The timed part is exactly what `manage.py import_dossiers FILE`
runs (`exchange.importer.Importer`), on a database that holds the test province only.
On PostgreSQL it is the migration path, `import_dossiers --bulk` (the foreign keys set aside
and validated at the end, inside the timed part); `--plain` measures the import without it.
The importer runs `default_workers()` parsing processes (`MOTCUA_BENCH_W4_WORKERS=N` runs N);
the row gives the CPU of this process and of the parsers apart. `MOTCUA_BENCH_W4_CONSTANT_HASHES=1`
is a decomposition, not a configuration: every event gets a constant "hash", so the run shows
what the import costs without the chain's hashing (the row says `chain_hashing: false`).

Standalone, each database gets a fresh one: SQLite a file under data/bench/, PostgreSQL the
database `motcua_bench_w4` on 127.0.0.1:5432 (created, then dropped). Inside bench/run.py
call `run_w4_import(n)` (or `run(ctx, n)`) in the worker, on the database it prepared.
Target: ≥ 2,000 dossiers/s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

CODE = "W4-import"
NAME = "import_dossiers"
DEFAULT_N = 1_000_000
QUICK_N = 10_000
TARGET = 2000.0
TEMPLATES = 40
PG_SERVER = os.environ.get("MOTCUA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "motcua_bench_w4"


# ---------------------------------------------------------------- the file


def _templates(seed: int) -> list[dict[str, Any]]:
    """Real histories made by the services, exported and rolled back."""
    from django.db import transaction

    from motcua.exchange.export import export_lines
    from motcua.exchange.format import VN_OFFSET
    from motcua.exchange.generator import generate_dossiers

    class _Undo(Exception):
        pass

    lines: list[str] = []
    try:
        with transaction.atomic():
            generate_dossiers(count=TEMPLATES, seed=seed, until=datetime(2026, 1, 15, 16, tzinfo=VN_OFFSET))
            lines = list(export_lines())
            raise _Undo
    except _Undo:
        pass
    return [json.loads(line) for line in lines]


def synthesise(path: Path, n: int, *, seed: int = 4) -> Path:
    """Write `n` lines to `path` (reused when it already holds n lines of this seed)."""
    from motcua.exchange.format import dumps
    from motcua.exchange.generator import personal_id

    marker = path.with_suffix(".done")
    if path.exists() and marker.exists() and marker.read_text() == f"{n}:{seed}":
        return path
    rng = random.Random(seed)
    templates = _templates(seed)
    first_day = date(2025, 1, 2)
    applicant: dict[str, Any] = {}
    with path.open("w", encoding="utf-8") as out:
        for index in range(n):
            record = json.loads(json.dumps(rng.choice(templates)))  # a deep copy
            agency = record["receiving_agency"]
            day = first_day + timedelta(days=index // 9999)
            code = f"{agency}-{day:%y%m%d}-{index % 9999 + 1:04d}"
            for event in record["events"]:
                form = event["data"].get("form")
                if isinstance(form, dict) and "dossier_code" in form:
                    form["dossier_code"] = code
            record["code"] = code
            for payment in record["payments"]:
                payment["reference"] = f"{payment['reference']}-{index}" if payment["reference"] else ""
            for event in record["events"]:
                if event["data"].get("reference"):
                    event["data"]["reference"] = f"{event['data']['reference']}-{index}"
            if index % 3 == 0 or not applicant:
                applicant = {**record["applicant"], "id_number": personal_id(rng, year=rng.randint(1950, 2005))}
            record["applicant"] = applicant
            if record["rating"] is not None:
                record["rating"]["person"] = applicant["id_number"]
            for feedback in record["feedback"]:
                feedback["person"] = applicant["id_number"]
            out.write(dumps(record) + "\n")
    marker.write_text(f"{n}:{seed}")
    return path


# ---------------------------------------------------------------- the measurement


def run_w4_import(n: int, *, bulk: bool = True) -> dict[str, Any]:
    """Synthesise n lines and time their import on the current (migrated) database.

    Needs Django set up (`common.setup_django()`); builds the test province when the
    database does not have it yet. Returns one result row for bench/results/latest.json.
    """
    from django.db import connection

    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import DossierEvent
    from motcua.exchange.importer import Importer, default_workers

    if not Procedure.objects.filter(code="2.000488").exists():
        from motcua.testing.world import build_world

        build_world()
    common.BENCH_DATA.mkdir(parents=True, exist_ok=True)
    path = synthesise(common.BENCH_DATA / f"w4-{n}.jsonl", n)
    events_before = DossierEvent.objects.count()
    hashing = not os.environ.get("MOTCUA_BENCH_W4_CONSTANT_HASHES")
    if not hashing:
        # A decomposition only, never a configuration: every history gets the same 64-character
        # "hash", so the run shows what the import costs without the chain's hashing (the
        # columns are still written). The row says so (`chain_hashing: false`).
        from motcua.dossiers import chain

        def constant(
            key: bytes, dossier_code: str, events: Iterable[Mapping[str, Any]], previous: str = ""
        ) -> list[str]:
            return ["0" * 64 for _ in events]

        chain.history = constant
    workers = int(os.environ.get("MOTCUA_BENCH_W4_WORKERS", default_workers()))
    importer = Importer(workers=workers, bulk=bulk)
    backends = _Backends.begin()
    before = os.times()
    started = time.perf_counter()
    with path.open("rb") as handle:
        report = importer.run(handle)
    wall = time.perf_counter() - started
    after = os.times()
    main_cpu = after.user + after.system - before.user - before.system
    parsers_cpu = after.children_user + after.children_system - before.children_user - before.children_system
    cpu = main_cpu + parsers_cpu
    db_cpu = backends.stop() if backends is not None else None
    events = DossierEvent.objects.count() - events_before
    if report.failed or report.invalid_keys:
        first = report.failed[0].as_dict() if report.failed else report.invalid_keys[0]
        raise SystemExit(f"W4: {len(report.failed)} lines failed, {len(report.invalid_keys)} keys invalid: {first}")
    return {
        "workload": CODE,
        "name": NAME,
        "database": common.database_name(),
        "n": n,
        "imported": report.imported,
        "skipped": report.skipped,
        "events": events,
        "wall_s": round(wall, 3),
        "dossiers_per_s": round(report.imported / wall, 1),
        "events_per_s": round(events / wall, 1),
        "workers": importer.workers,
        "overlap": importer.overlap and connection.vendor == "postgresql",
        "batch_size": importer.batch_size,
        # PostgreSQL: foreign keys set aside and validated at the end (`import_dossiers --bulk`).
        "bulk": bulk and connection.vendor == "postgresql",
        # CPU seconds, less sensitive than wall time to other work on a shared machine:
        # this process and its parsing processes, and (PostgreSQL on this host) the server
        # backends of this database (the importer's own connection and its two writers).
        "cpu_ms_per_dossier": round(cpu * 1000 / max(1, report.imported), 3),
        # The same, split: this process (reading, resolving, the writer threads) and the
        # parsing processes (stage 1: parse, validate, the hash chain, encode).
        "cpu_ms_per_dossier_main": round(main_cpu * 1000 / max(1, report.imported), 3),
        "cpu_ms_per_dossier_parsers": round(parsers_cpu * 1000 / max(1, report.imported), 3),
        "chain_hashing": hashing,
        "db_cpu_ms_per_dossier": None if db_cpu is None else round(db_cpu * 1000 / max(1, report.imported), 3),
        "target": f"dossiers_per_s >= {TARGET:,.0f} on PostgreSQL",
        "vendor": connection.vendor,
    }


class _Backends(threading.Thread):
    """CPU seconds of every PostgreSQL backend connected to this database during the import,
    when the server runs on this host (read from /proc); None for SQLite (in-process, already
    in the process's own CPU) or elsewhere. The importer's writer connections end with the import, so
    their backends are sampled every 20 ms while it runs (the last sample of a backend that
    has ended counts: at most 20 ms of its CPU is missed)."""

    def __init__(self, database: str, first: dict[int, float]) -> None:
        super().__init__(daemon=True)
        self.database = database
        self.first = first
        self.last = dict(first)
        self.stopping = threading.Event()

    @classmethod
    def begin(cls) -> _Backends | None:
        from django.db import connection

        if connection.vendor != "postgresql":
            return None
        database = connection.settings_dict["NAME"]
        pids = _backend_pids(database)
        first = {pid: cpu for pid in pids if (cpu := _process_cpu(pid)) is not None}
        if not first:
            return None
        sampler = cls(database, first)
        sampler.start()
        return sampler

    def run(self) -> None:
        from django.db import connections

        pids: list[int] = list(self.first)
        rounds = 0
        while not self.stopping.wait(0.02):
            if rounds % 10 == 0:  # new backends (the writers) appear once, at the start
                pids = _backend_pids(self.database, but_mine=True)
            rounds += 1
            for pid in pids:
                cpu = _process_cpu(pid)
                if cpu is not None:
                    self.last[pid] = cpu
        connections.close_all()

    def stop(self) -> float:
        for pid in list(self.last):
            cpu = _process_cpu(pid)
            if cpu is not None:
                self.last[pid] = cpu
        self.stopping.set()
        self.join()
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


def _backend_pids(database: str, *, but_mine: bool = False) -> list[int]:
    """Backends of `database`; but_mine: not the one of this thread's connection (the sampler's)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'"
            + (" AND pid <> pg_backend_pid()" if but_mine else ""),
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


def _process_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(ctx: Any, n: int) -> dict[str, Any]:
    """The workload interface of bench/run.py (the world is already built there)."""
    return run_w4_import(n)


# ---------------------------------------------------------------- standalone


def _child(database: str, url: str, n: int, plain: bool) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", dir=common.BENCH_DATA) as out:
        env = {**os.environ, "DATABASE_URL": url, "MOTCUA_DEBUG": "1", "PYTHONPATH": str(common.SRC)}
        command = [sys.executable, __file__, "--worker", "--n", str(n), "--out", out.name]
        command += ["--plain"] if plain else []
        result = subprocess.run(command, env=env, check=False)  # noqa: S603 - our own script
        if result.returncode != 0:
            raise SystemExit(f"W4 on {database} failed (exit {result.returncode}).")
        figures: dict[str, Any] = json.loads(Path(out.name).read_text())
        return figures


def _worker(n: int, out: str, plain: bool) -> None:
    common.setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    row = {**run_w4_import(n, bulk=not plain), **common.row_facts()}
    Path(out).write_text(json.dumps(row, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--plain", action="store_true", help="PostgreSQL: without --bulk (keys checked row by row)")
    parser.add_argument("--save", action="store_true", help="merge the rows into bench/results/latest.json")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.n, args.out, args.plain)
        return 0
    common.BENCH_DATA.mkdir(parents=True, exist_ok=True)
    rows = []
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        if database in {"postgres", "postgresql", "pg"}:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
            try:
                rows.append(_child("postgres", f"{PG_SERVER}/{PG_DATABASE}", args.n, args.plain))
            finally:
                if not args.keep:
                    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
                        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        elif database == "sqlite":
            path = common.BENCH_DATA / "w4.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            try:
                rows.append(_child("sqlite", f"sqlite:///{path}", args.n, args.plain))
            finally:
                if not args.keep:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            parser.error(f"unknown database {database}")
    for row in rows:
        print(
            f"{row['workload']} {row['database']}: n={row['n']:,} wall={row['wall_s']:.2f}s "
            f"{row['dossiers_per_s']:,.0f} dossiers/s ({row['events_per_s']:,.0f} events/s)"
        )
    if args.save:
        common.write_results(common.merge_results(common.load_results(), rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
