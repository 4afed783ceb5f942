"""Run MotCua's benchmark workloads on fresh SQLite and PostgreSQL databases (`make bench`).

    .venv/bin/python bench/run.py [--workloads w1] [--databases sqlite,postgres] [--n N] [--quick]

For each database the runner starts one child process with DATABASE_URL pointing at a
brand-new database (SQLite: a file under data/bench/; PostgreSQL: `motcua_bench` on
127.0.0.1:5432, dropped and re-created), which migrates it, builds the small test
province (`motcua.testing.world.build_world`) and runs the workloads one after another.
The rows are merged into bench/results/latest.json and printed as a table. See
bench/README.md for what each workload measures and how to read `ratio_to_raw`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import common

#: Workload name on the command line -> module in bench/ (CODE, NAME, DEFAULT_N, QUICK_N, run(ctx, n)).
WORKLOADS = {
    "w1": "w1",
    "w2": "w2_http",
    "w3": "w3",
    "w4": "w4_import",
    "w4d": "w4_dashboard",
    "w5": "w5_pages",
    "w6": "w6_sync",
}
DATABASES = ("sqlite", "postgres")
PG_SERVER = os.environ.get("MOTCUA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("MOTCUA_BENCH_DB", "motcua_bench")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="MotCua benchmarks (issue 2, item 9).")
    parser.add_argument("--workloads", default="w1", help=f"comma-separated, from: {', '.join(WORKLOADS)}")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--n", type=int, default=None, help="dossiers per workload (default: each workload's own)")
    parser.add_argument("--quick", action="store_true", help="small N for a smoke run (W1: 200)")
    parser.add_argument("--trace", action="store_true", help="print the SQL each transition sends (one dossier)")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the workloads into data/bench/ (results not saved)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file and PostgreSQL database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: run in the database kept by an earlier --keep run instead of a fresh one "
        "(workloads that load skip the load when it already holds N dossiers)",
    )
    parser.add_argument("--worker", choices=DATABASES, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.workload_list = [w.strip().lower() for w in args.workloads.split(",") if w.strip()]
    args.database_list = [d.strip().lower() for d in args.databases.split(",") if d.strip()]
    unknown = [w for w in args.workload_list if w not in WORKLOADS]
    if unknown or not args.workload_list:
        parser.error(f"unknown workload(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(WORKLOADS)}")
    aliases = {"postgresql": "postgres", "pg": "postgres"}
    args.database_list = [aliases.get(d, d) for d in args.database_list]
    wrong = [d for d in args.database_list if d not in DATABASES]
    if wrong or not args.database_list:
        parser.error(f"unknown database(s) {', '.join(wrong) or '(none)'}; choose from sqlite, postgres")
    if args.n is not None and args.n < 1:
        parser.error("--n must be at least 1")
    return args


# ---------------------------------------------------------------- the parent process


def _prepare_postgres(reuse: bool = False) -> tuple[str | None, str]:
    """(DATABASE_URL of a fresh `motcua_bench`, "") or (None, why PostgreSQL is skipped).
    With `reuse`, a database kept by an earlier run is used as it is (created when missing)."""
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed"
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone()
            if reuse and found:
                return f"{PG_SERVER}/{PG_DATABASE}", ""
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    except psycopg.Error as exc:
        return None, f"PostgreSQL at {PG_SERVER} is not reachable ({str(exc).strip().splitlines()[0]})"
    return f"{PG_SERVER}/{PG_DATABASE}", ""


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def _sqlite_file() -> Path:
    common.BENCH_DATA.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="motcua-bench-", suffix=".sqlite3", dir=common.BENCH_DATA)
    os.close(handle)
    path = Path(name)
    path.unlink()  # Django creates it; only the unique name was wanted
    return path


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _run_child(database: str, url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    with tempfile.NamedTemporaryFile(prefix="motcua-bench-", suffix=".json", dir=common.BENCH_DATA) as out:
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", database, "--out", out.name]
        command += ["--workloads", ",".join(args.workload_list)]
        if args.n is not None:
            command += ["--n", str(args.n)]
        for flag in ("quick", "trace", "profile", "reuse"):
            if getattr(args, flag):
                command.append(f"--{flag}")
        env = {**os.environ, "DATABASE_URL": url, "MOTCUA_DEBUG": "1", "PYTHONPATH": str(common.SRC)}
        env["DJANGO_SETTINGS_MODULE"] = "motcua.config.settings"
        env.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
        result = subprocess.run(command, env=env, check=False)  # noqa: S603 - our own script
        if result.returncode != 0:
            raise SystemExit(f"The {database} run failed (exit {result.returncode}); see the output above.")
        return json.loads(Path(out.name).read_text() or "[]")


def main(args: argparse.Namespace) -> int:
    common.BENCH_DATA.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for database in args.database_list:
        if database == "postgres":
            url, reason = _prepare_postgres(args.reuse)
            if url is None:
                print(f"Skipping PostgreSQL: {reason}.")
                skipped.append(f"postgres: {reason}")
                continue
            print(f"\n== PostgreSQL: {'database' if args.reuse else 'fresh database'} {PG_DATABASE}")
            try:
                rows += _run_child(database, url, args)
            finally:
                if not args.keep:
                    _drop_postgres()
        else:
            path = _sqlite_file()
            print(f"\n== SQLite: fresh file {path.relative_to(common.ROOT)}")
            try:
                rows += _run_child(database, f"sqlite:///{path}", args)
            finally:
                if not args.keep:
                    _remove_sqlite(path)
    if not rows:
        print("No workload ran.")
        return 1
    print()
    print(common.format_table(rows))
    if args.profile:
        print("\n(--profile: timings include the profiler's overhead; results were not saved.)")
        return 0
    merged = common.merge_results(common.load_results(), rows)
    common.write_results(merged)
    shown_path = common.RESULTS
    if shown_path.is_relative_to(common.ROOT):
        shown_path = shown_path.relative_to(common.ROOT)
    print(f"\nWritten to {shown_path} ({len(merged)} rows).")
    for row in rows:
        if row["workload"] == "W1" and row["database"] == "postgresql":
            verdict = "meets" if row["ratio_to_raw"] >= 0.5 else "misses"
            print(
                f"W1 on PostgreSQL {verdict} the target: ratio_to_raw {row['ratio_to_raw']:.3f} "
                "(target >= 0.5 of the bare two-statement transaction)."
            )
    for line in skipped:
        print(f"Skipped {line}")
    return 0


# ---------------------------------------------------------------- the child process


def worker(args: argparse.Namespace) -> int:
    common.setup_django()
    from django.core.management import call_command

    from motcua.calendars.services import clear_cache
    from motcua.organizations.models import Agency
    from motcua.testing.world import build_world

    call_command("migrate", verbosity=0, interactive=False)
    clear_cache()
    kept = args.reuse and Agency.objects.filter(code="H99").exists()
    world = common.existing_world() if kept else build_world()
    database = common.database_name()
    rows = []
    for name in args.workload_list:
        module = importlib.import_module(WORKLOADS[name])
        n = args.n if args.n is not None else (module.QUICK_N if args.quick else module.DEFAULT_N)
        profile = common.BENCH_DATA / f"{name}-{database}.prof" if args.profile else None
        print(f"{module.CODE} {module.NAME} on {database}: n = {n:,} …", flush=True)
        row = module.run(common.Context(world=world, trace=args.trace, profile=profile), n)
        row = {"workload": row["workload"], "name": row["name"], "database": database, **row, **common.row_facts()}
        shown = [f"{row['wall_s']:.2f} s"]
        if row.get("dossiers_per_s") is not None:
            shown.append(f"{row['dossiers_per_s']:,.0f} dossiers/s")
        if "transitions_per_s" in row:
            shown += [
                f"{row['transitions_per_s']:,.0f} transitions/s",
                f"raw {row['raw_transitions_per_s']:,.0f}/s",
                f"ratio {row['ratio_to_raw']:.3f}",
            ]
            if row.get("ratio_to_cte") is not None:
                shown.append(f"one-statement {row['cte_transitions_per_s']:,.0f}/s, ratio {row['ratio_to_cte']:.3f}")
            if row.get("ratio_to_pgbench") is not None:
                shown.append(f"pgbench {row['pgbench_transitions_per_s']:,.0f}/s, ratio {row['ratio_to_pgbench']:.3f}")
            elif row.get("pgbench_note"):
                shown.append(f"pgbench: {row['pgbench_note']}")
        if row["workload"] == "W2":
            shown.append(f"engine {row['engine_dossiers_per_s']:,.1f} dossiers/s")
            for clients, figures in row["clients"].items():
                worst = max(c["client_p95_ms"] for c in figures["commands"].values())
                shown.append(
                    f"{clients} client(s): {figures['dossiers_per_s']:,.1f} dossiers/s "
                    f"(ratio {figures['ratio_to_engine']:.3f}), server CPU {figures['server_cpu_ms_per_dossier']:.1f} "
                    f"ms/dossier, worst p95 {worst:.1f} ms"
                )
            if row.get("floor"):
                shown.append(
                    f"floor GET /healthz {row['floor']['mean_ms']:.2f} ms x {row['floor']['requests_per_dossier']:.1f} "
                    f"requests/dossier: ceiling ratio {row['ratio_ceiling']:.3f}"
                )
        if "ratio_to_walk" in row:
            shown += [
                f"{name_}: due_instant {v['due_instant_per_s']:,}/s, walk {v['walk_per_s']:,}/s, "
                f"ratio {v['ratio_to_walk']:.2f} (compute_due {v['compute_due_ratio_to_walk']:.2f})"
                for name_, v in row["variants"].items()
            ]
        if "events_per_s" in row:
            shown.append(f"{row['events_per_s']:,.0f} events/s")
            if row.get("statements_per_event") is not None:
                shown.append(f"{row['statements_per_event']:.2f} statements/event")
            if "peak_rss_growth_mb" in row:
                shown.append(f"peak RSS +{row['peak_rss_growth_mb']:.1f} MB")
            if row.get("worker_rss_peak_mb") is not None:
                shown.append(f"worker peak RSS {row['worker_rss_peak_mb']:.1f} MB")
            if row.get("tracemalloc_peak_mb") is not None:
                shown.append(f"tracemalloc peak {row['tracemalloc_peak_mb']:.1f} MB")
        if "dashboard_p95_ms" in row:
            shown += [
                f"{row['agencies']} agencies, {row['period']} ({row['open_in_period']:,} open)",
                f"cold {row['cold_ms']:.1f} ms"
                + (f" (CPU {row['cold_cpu_ms']:.1f} ms)" if row.get("cold_cpu_ms") is not None else "")
                + f", {row['cold_queries']} statements",
                f"warm p50 {row['dashboard_p50_ms']:.1f} ms, p95 {row['dashboard_p95_ms']:.1f} ms",
            ]
            if row.get("baseline_p50_ms") is not None:
                equal = "equal" if row["baseline_equal"] else f"DIFFERENT: {row['baseline_differences'][:3]}"
                shown.append(f"baseline p50 {row['baseline_p50_ms']:.1f} ms ({equal})")
            if row.get("page_p95_ms") is not None:
                shown.append(f"page cold {row['page_cold_ms']:.1f} ms, p95 {row['page_p95_ms']:.1f} ms")
            shown.append(f"load average {row['loadavg_1m']:.2f}")
        print("  " + ", ".join(shown), flush=True)
        rows.append(row)
    Path(args.out).write_text(json.dumps(rows, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    arguments = parse_args()
    sys.exit(worker(arguments) if arguments.worker else main(arguments))
