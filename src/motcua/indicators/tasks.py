"""Background work of the indicators app (django-tasks)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from motcua.indicators.services import indicators_catch_up


@task()
def indicators_catch_up_task() -> int:
    """Fold new dossier events into the indicator counters. Nothing enqueues it yet: every
    indicator read catches up by itself first."""
    return indicators_catch_up()


def enqueue_catch_up_on_commit() -> None:
    """After the transaction commits, ask a worker to fold the new events. Not called yet; reads
    catch up by themselves, so a lost task would only delay the work."""
    transaction.on_commit(lambda: indicators_catch_up_task.enqueue())
