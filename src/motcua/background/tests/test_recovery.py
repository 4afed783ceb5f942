"""Tasks left running by a worker that died are run again once, then marked failed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.background.models import WorkerHeartbeat
from motcua.background.services import WORKER_LOST, tasks_recover, worker_heartbeat_record
from motcua.background.tests.tasks import nap

STALE = timedelta(seconds=60)


def _running(*workers: str, started: timedelta = timedelta(minutes=5)) -> DBTaskResult[Any, Any]:
    result = nap.enqueue(seconds=0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=list(workers), started_at=timezone.now() - started
    )
    return DBTaskResult.objects.get(pk=result.id)


def _beat(worker_id: str, ago: timedelta) -> None:
    worker_heartbeat_record(worker_id=worker_id, started_at=timezone.now() - ago, at=timezone.now() - ago)


def _status(result: DBTaskResult[Any, Any]) -> str:
    return DBTaskResult.objects.get(pk=result.pk).status


@pytest.mark.django_db
def test_a_task_of_a_worker_no_longer_seen_runs_again() -> None:
    _beat("dead", ago=timedelta(minutes=3))
    task = _running("dead")

    found = tasks_recover(stale_after=STALE, max_attempts=2)

    assert found.retried == [str(task.pk)]
    assert _status(task) == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_a_task_whose_second_worker_died_too_is_marked_failed_with_the_reason() -> None:
    _beat("second", ago=timedelta(minutes=3))
    task = _running("first", "second")

    found = tasks_recover(stale_after=STALE, max_attempts=2)

    assert found.failed == [str(task.pk)]
    stored = DBTaskResult.objects.get(pk=task.pk)
    assert stored.status == TaskResultStatus.FAILED
    assert stored.exception_class_path == WORKER_LOST
    assert "stopped without finishing it, 2 time(s)" in stored.traceback
    assert stored.finished_at is not None


@pytest.mark.django_db
def test_the_tasks_of_a_live_worker_and_fresh_claims_are_left_alone() -> None:
    _beat("alive", ago=timedelta(seconds=5))
    busy = _running("alive", started=timedelta(hours=2))
    just_claimed = _running("not-yet-beating", started=timedelta(seconds=2))

    found = tasks_recover(stale_after=STALE, max_attempts=2)

    assert (found.retried, found.failed) == ([], [])
    assert _status(busy) == _status(just_claimed) == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_worker_that_lost_its_connection_gives_back_its_own_task() -> None:
    _beat("me", ago=timedelta(seconds=1))
    task = _running("me", started=timedelta(seconds=1))

    found = tasks_recover(stale_after=STALE, max_attempts=2, lost_worker="me")

    assert found.retried == [str(task.pk)]


@pytest.mark.django_db
def test_heartbeats_of_long_dead_workers_are_forgotten() -> None:
    _beat("ghost", ago=timedelta(hours=1))
    _beat("alive", ago=timedelta(seconds=1))
    tasks_recover(stale_after=STALE, max_attempts=2)
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_it_refuses_a_heartbeat_not_shorter_than_the_staleness(capsys: Any) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--stale-after must be longer"):
        call_command("run_worker", "--heartbeat", "5", "--stale-after", "5", "--no-reload")
