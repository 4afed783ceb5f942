"""Reads of the task queue (django-tasks-db) for the apps that enqueue background work."""

from __future__ import annotations

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def task_waiting_or_running(task_path: str) -> bool:
    """Whether a task of `task_path` (its module path) is queued or being run by a worker."""
    return DBTaskResult.objects.filter(
        task_path=task_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).exists()
