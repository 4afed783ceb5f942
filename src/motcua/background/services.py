"""Worker heartbeats and the recovery of tasks left running by a worker that died.

django-tasks-db marks a task RUNNING when a worker claims it and appends the worker's id to
`worker_ids`; a worker killed (`kill -9`, out of memory, a lost machine) never finishes it,
and nothing in the backend ever looks at it again. Here a task whose last worker has not
been seen for `stale_after` is taken back: made READY again for another run while it has
had fewer than `max_attempts` runs (one retry per crash by default), else marked FAILED
with the reason.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.background.models import WorkerHeartbeat

#: Written as the failed task's exception class, for the admin and `TaskResult.errors`.
WORKER_LOST = "motcua.background.services.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it."""


@dataclass
class Recovery:
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def worker_heartbeat_record(*, worker_id: str, started_at: datetime, at: datetime | None = None) -> None:
    """Say that `worker_id` is alive now."""
    now = at or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at, "seen_at": now},
        )


def worker_heartbeat_remove(*, worker_id: str) -> None:
    """A worker that stops cleanly says so (its tasks are finished by then)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_recover(
    *,
    stale_after: timedelta,
    max_attempts: int,
    lost_worker: str = "",
    now: datetime | None = None,
) -> Recovery:
    """Take back the RUNNING tasks whose worker is gone: not seen for `stale_after` (or never
    seen, for a task started longer ago than that), or `lost_worker` (a worker that lost its
    database connection in the middle of a task and says so once reconnected)."""
    now = now or timezone.now()
    recovery = Recovery()
    with transaction.atomic():
        alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - stale_after).values_list("worker_id", flat=True))
        known = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by("started_at")
        for result in running:
            owner = result.worker_ids[-1] if result.worker_ids else ""
            if owner == lost_worker and lost_worker:
                pass
            elif owner in alive:
                continue
            elif owner not in known and result.started_at and result.started_at > now - stale_after:
                continue  # a worker that never beat yet, or just claimed it: give it time
            runs = len(result.worker_ids)
            if runs < max_attempts:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                recovery.retried.append(str(result.id))
            else:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.return_value = None
                result.exception_class_path = WORKER_LOST
                result.traceback = (
                    f"{WORKER_LOST}: the worker running this task ({owner or 'unknown'}) stopped without finishing "
                    f"it, {runs} time(s) out of {max_attempts} allowed runs; it is not retried again."
                )
                result.save(
                    update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"]
                )
                recovery.failed.append(str(result.id))
        WorkerHeartbeat.objects.filter(seen_at__lt=now - stale_after * 10).delete()  # long dead workers
    return recovery


def task_results_prune(*, task_path: str, finished_before: datetime) -> int:
    """Delete the successful results of `task_path` finished before `finished_before` (a task
    enqueued every second would otherwise add a row a second); failed ones are kept."""
    deleted, _ = DBTaskResult.objects.filter(
        task_path=task_path, status=TaskResultStatus.SUCCESSFUL, finished_at__lt=finished_before
    ).delete()
    return deleted
