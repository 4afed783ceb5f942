"""Part `workers` of `make audit`: background tasks under load while workers are killed.

A fresh database gets `TASKS` probe tasks (each sleeps a moment and answers its run number).
Two `manage.py run_worker` processes work through them; every `KILL_EVERY` seconds one that
is in the middle of a task (its heartbeat names a RUNNING task) is killed with SIGKILL and a
new one started, `--kills` times. Then
the remaining workers finish the queue. Every task must end exactly once: SUCCESSFUL, or
FAILED with the reason when it was caught by more crashes than it may be retried after; none
may stay READY or RUNNING ("lost"), and none may have more runs than the crashes that hit it
allow ("doubled").
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TASKS = 300
KILL_EVERY = 3.0  # seconds between two kills: a new worker is up and busy by then
DRAIN_SECONDS = 300  # the most the queue may take to finish after the last kill
WORKER = [
    "run_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay",
    "--interval", "0.1", "--heartbeat", "0.5", "--stale-after", "3", "--max-attempts", "2",
]  # fmt: skip

ENQUEUE = """
import random
from motcua.background.probe import probe
rng = random.Random(766)
for _ in range(%(tasks)d):
    probe.enqueue(seconds=rng.uniform(0.3, 1.2))
"""

COUNT = """
import json
from collections import Counter
from django_tasks_db.models import DBTaskResult
rows = list(DBTaskResult.objects.values("status", "return_value", "exception_class_path", "worker_ids"))
out = {
    "statuses": Counter(row["status"] for row in rows),
    "runs": Counter(len(row["worker_ids"] or []) for row in rows),
    "failed_reasons": Counter(row["exception_class_path"] for row in rows if row["status"] == "FAILED"),
    "answered_runs": Counter(str(row["return_value"]) for row in rows if row["status"] == "SUCCESSFUL"),
}
print(json.dumps(out))
"""


def busy_pids(database_url: str) -> set[int]:
    """Process ids of the workers running a task now (their heartbeat names a RUNNING task)."""
    if database_url.startswith("sqlite"):
        import sqlite3

        conn: Any = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    else:
        import psycopg

        conn = psycopg.connect(database_url)
    try:
        heartbeats = dict(conn.execute("SELECT worker_id, pid FROM background_workerheartbeat").fetchall())
        running = conn.execute(
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        ).fetchall()
    finally:
        conn.close()
    pids = set()
    for (ids,) in running:
        ids = json.loads(ids) if isinstance(ids, str) else ids
        if ids and ids[-1] in heartbeats:
            pids.add(int(heartbeats[ids[-1]]))
    return pids


def run(args: argparse.Namespace, env: dict[str, str], manage: Callable[..., str]) -> dict[str, Any]:
    print(f"== workers: {TASKS} tasks, {args.kills} kills with SIGKILL ({args.database})", flush=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-c", ENQUEUE % {"tasks": TASKS})

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - our own manage.py
            [PYTHON, str(ROOT / "manage.py"), *WORKER], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )

    workers = [start(), start()]
    kills = 0
    started = time.monotonic()
    try:
        while kills < args.kills:
            time.sleep(KILL_EVERY)
            # Kill a worker in the middle of a task: one whose heartbeat names a RUNNING task.
            waited = time.monotonic()
            victim = None
            while victim is None and time.monotonic() - waited < 20:
                busy = busy_pids(env["DATABASE_URL"])
                victim = next((w for w in workers if w.pid in busy), None)
                if victim is None:
                    time.sleep(0.2)
            if victim is None:
                break  # the queue ran dry before every kill was made; the result says how many
            workers.remove(victim)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            kills += 1
            workers.append(start())
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            counts = json.loads(manage(env, "shell", "-c", COUNT, capture=True).strip().splitlines()[-1])
            if counts["statuses"].get("READY", 0) + counts["statuses"].get("RUNNING", 0) == 0:
                break
            time.sleep(2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    counts = json.loads(manage(env, "shell", "-c", COUNT, capture=True).strip().splitlines()[-1])
    statuses = counts["statuses"]
    lost = statuses.get("READY", 0) + statuses.get("RUNNING", 0)
    # With --max-attempts 2 a task runs at most twice: once, and once more after one crash.
    doubled = sum(n for runs, n in counts["runs"].items() if int(runs) > 2)
    ended = statuses.get("SUCCESSFUL", 0) + statuses.get("FAILED", 0)
    return {
        "part": "workers",
        "database": args.database,
        "tasks": TASKS,
        "kills": kills,
        "seconds": round(time.monotonic() - started, 1),
        "statuses": statuses,
        "runs_per_task": counts["runs"],
        "failed_reasons": counts["failed_reasons"],
        "lost": lost,
        "doubled": doubled,
        "tasks_caught_by_a_kill": sum(n for runs, n in counts["runs"].items() if int(runs) > 1),
        "ok": ended == TASKS and lost == 0 and doubled == 0 and kills == args.kills,
    }
