"""Background work of the indicators app (django-tasks): the catch-up that folds new dossier
events, payments, ratings and feedback into the indicator facts and counters.

Every change that feeds an indicator enqueues one catch-up task in its own transaction
(`enqueue_catch_up`, connected in `apps.py`): a dossier transition (`event_appended`), an
import batch (`dossiers_imported`), a new payment, rating or feedback. `manage.py run_worker`
runs the tasks; reads never catch up themselves. The catch-up is idempotent and serialised
by one lock, so extra or concurrent tasks only find nothing left to do, and
`manage.py catch_up_indicators` runs it by hand (after a restore, or from cron as a safety net).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from motcua.indicators.services import indicators_catch_up


@task()
def indicators_catch_up_task() -> int:
    """Fold new dossier events (and payments, ratings, feedback) into the indicator counters."""
    return indicators_catch_up()


def catch_up_enqueued() -> None:
    """A no-op on-commit callback: its presence marks the transaction as having enqueued a
    catch-up. Django drops it at commit, and with the savepoint that registered it on a
    rollback (which also removes the task row), so it never outlives its task."""


def enqueue_catch_up(**_: Any) -> None:
    """Enqueue one catch-up for the current transaction (a signal receiver).

    With the database backend the task row is written in the transaction of the change, so
    the change and its catch-up commit or roll back together; one task per transaction
    however many events it appends. The immediate backend (no worker) runs it after commit.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if any(callback is catch_up_enqueued for _, callback, _ in connection.run_on_commit):
            return
        transaction.on_commit(catch_up_enqueued)
    if isinstance(task_backends[indicators_catch_up_task.backend], ImmediateBackend):
        transaction.on_commit(indicators_catch_up_task.enqueue)
    else:
        indicators_catch_up_task.enqueue()
