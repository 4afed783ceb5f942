"""Background work in tests: run what `manage.py db_worker` would run."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult


def run_background_tasks() -> int:
    """Run every task waiting in the database queue, oldest first, as one pass of
    `manage.py db_worker --batch` does (claim, call, record the result); returns how many ran."""
    ran = 0
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at", "id").first()) is not None:
        row.claim("tests")
        result = row.task_result
        row.set_successful(row.task.call(*result.args, **result.kwargs))
        ran += 1
    return ran
