"""Background work of the indicators app (django-tasks)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from motcua.indicators.services import indicators_catch_up


@task()
def indicators_catch_up_task() -> int:
    """Fold new dossier events into the indicator counters (enqueued after transitions)."""
    return indicators_catch_up()


def enqueue_catch_up_on_commit() -> None:
    """The hook for `dossiers.workflow.transition`: after the transaction commits, ask a worker
    to fold the new event. Reads catch up by themselves, so a lost task only delays the work."""
    transaction.on_commit(lambda: indicators_catch_up_task.enqueue())
