"""A real worker process: killed with `kill -9`, and cut off from its database (PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.background.models import WorkerHeartbeat
from motcua.background.tests.tasks import nap

committing = pytest.mark.django_db(transaction=True)
pytestmark = pytest.mark.postgres
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def workers() -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start `manage.py run_worker` processes on the test database (with the environment as it
    is when each starts); all are stopped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("A worker process needs a database it can share with the test: PostgreSQL.")
    started: list[subprocess.Popen[bytes]] = []
    db = connection.settings_dict

    def start() -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "MOTCUA_DEBUG": "1",
            "PYTHONPATH": str(ROOT / "src"),
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--heartbeat",
                "0.3",
                "--stale-after",
                "2",
                "--max-attempts",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _wait(what: str, condition: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting until {what}.")


def _has_runs(task_id: str, runs: int) -> bool:
    return len(_running_on(task_id)) == runs


def _result(task_id: str) -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.get(pk=task_id)


def _done(task_id: str) -> DBTaskResult[Any, Any] | None:
    result = _result(task_id)
    return result if result.status == TaskResultStatus.SUCCESSFUL else None


def _running_on(task_id: str) -> list[str]:
    result = _result(task_id)
    return result.worker_ids if result.status == TaskResultStatus.RUNNING else []


@committing
def test_a_task_of_a_worker_killed_with_sigkill_runs_again_on_another(workers: Any) -> None:
    task = nap.enqueue(seconds=120)  # sleeps on its first run only
    first = workers()
    _wait("the first worker runs the task", lambda: _running_on(task.id))
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert _result(task.id).status == TaskResultStatus.RUNNING  # stuck, as the backend leaves it

    workers()
    done = _wait(
        "the task is done", lambda: _result(task.id).status == TaskResultStatus.SUCCESSFUL and _result(task.id)
    )
    assert done.return_value == 2
    assert len(done.worker_ids) == 2


@committing
def test_a_task_whose_workers_die_twice_is_marked_failed_with_the_reason(workers: Any) -> None:
    task = nap.enqueue(seconds=120, every_attempt=True)
    for runs in (1, 2):
        worker = workers()
        _wait(f"run {runs} starts", partial(_has_runs, task.id, runs))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    workers()
    failed = _wait("the task fails", lambda: _result(task.id).status == TaskResultStatus.FAILED and _result(task.id))
    assert "stopped without finishing it, 2 time(s)" in failed.traceback
    assert len(failed.worker_ids) == 2


def _terminate_worker_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@committing
def test_a_worker_whose_connection_is_killed_reconnects_and_goes_on(workers: Any) -> None:
    worker = workers()
    _wait("the worker beats", lambda: WorkerHeartbeat.objects.exists())
    time.sleep(0.5)
    assert _terminate_worker_connections() >= 1

    task = nap.enqueue(seconds=0)
    done = _wait(
        "the task is done", lambda: _result(task.id).status == TaskResultStatus.SUCCESSFUL and _result(task.id)
    )
    assert done.return_value == 1
    assert worker.poll() is None  # still running


@committing
def test_a_task_cut_off_from_the_database_mid_run_is_run_again_by_the_same_worker(workers: Any) -> None:
    worker = workers()
    task = nap.enqueue(seconds=1.5)  # sleeps on its first run only
    _wait("the worker runs the task", lambda: _running_on(task.id))
    assert _terminate_worker_connections() >= 1

    done = _wait(
        "the task is done", lambda: _result(task.id).status == TaskResultStatus.SUCCESSFUL and _result(task.id)
    )
    assert done.return_value == 2
    assert worker.poll() is None


@committing
def test_a_running_worker_folds_a_new_dossier_into_the_indicators_within_seconds(
    world: Any, workers: Callable[[], subprocess.Popen[bytes]]
) -> None:
    from motcua.indicators.models import IndicatorFact

    dossier = world.register()  # committed: the test runs outside a transaction
    assert not DBTaskResult.objects.exists(), "the change wrote no task row"
    workers()
    folded = IndicatorFact.objects.filter(dossier_id=dossier.pk).exists
    _wait("the worker's periodic catch-up folded the dossier", folded)
