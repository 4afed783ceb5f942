"""Background work in tests: run what a worker (`manage.py run_worker`) would run."""

from __future__ import annotations

from django.db import connection
from django_tasks_db.models import DBTaskResult

from motcua.indicators.tasks import catch_up_enqueued, catch_up_pass


def run_background_tasks() -> int:
    """Run every task waiting in the database queue, oldest first, as one pass of the worker
    does (claim, call, record the result), then the worker's periodic indicator catch-up;
    returns how many tasks ran.

    A test runs in one transaction that never commits, while a worker runs after a commit:
    what the test changes next belongs to a new transaction. So the mark that this
    transaction has asked for a catch-up is dropped, as a commit would drop it.
    """
    ran = 0
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at", "id").first()) is not None:
        row.claim("tests")
        result = row.task_result
        row.set_successful(row.task.call(*result.args, **result.kwargs))
        ran += 1
    catch_up_pass()
    connection.run_on_commit = [entry for entry in connection.run_on_commit if entry[1] is not catch_up_enqueued]
    return ran
