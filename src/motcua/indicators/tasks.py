"""Background work of the indicators app: the catch-up that folds new dossier events,
payments, ratings and feedback into the indicator facts and counters.

The catch-up is a reader of the append-only event log with its own cursors, like the
connected systems' consumers: each worker (`manage.py run_worker`) runs it as a periodic job
every `MOTCUA_INDICATORS_CATCH_UP_EVERY` seconds (2 by default; `apps.py` registers it). A
pass that finds nothing new costs one indexed statement (`nothing_new`), and the catch-up is
idempotent and serialised by one lock, so several workers may run it side by side. A change
itself writes nothing for the indicators: no task row, no extra statement in the
transition's transaction (a task row per transition cost the engine one INSERT, and a second
commit where the transition is a single statement). Reads never catch up themselves.

Without a worker (`MOTCUA_TASK_BACKEND=django_tasks.backends.immediate.ImmediateBackend`)
each change runs the catch-up right after it commits (`catch_up_after_commit`, connected to
the changes in `apps.py`). `manage.py catch_up_indicators` runs it by hand (after a restore).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from motcua.indicators.services import indicators_catch_up


@task()
def indicators_catch_up_task() -> int:
    """Fold new dossier events (and payments, ratings, feedback) into the indicator counters."""
    return indicators_catch_up()


def catch_up_every() -> float:
    """Seconds between two periodic catch-up passes of a worker."""
    return float(settings.MOTCUA["BACKGROUND"]["INDICATORS_CATCH_UP_EVERY"])


def catch_up_pass() -> int:
    """One periodic pass (a worker's job, see `background/periodic.py`)."""
    return indicators_catch_up()


def catch_up_enqueued() -> None:
    """A no-op on-commit callback: its presence marks the transaction as having asked for a
    catch-up after commit. Django drops it at commit, and with the savepoint that registered
    it on a rollback."""


def catch_up_after_commit(**_: Any) -> None:
    """Without a worker (the immediate backend), run the catch-up once after the change's
    transaction commits; with workers this does nothing, their periodic pass folds it."""
    if not isinstance(task_backends[indicators_catch_up_task.backend], ImmediateBackend):
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if any(callback is catch_up_enqueued for _, callback, _ in connection.run_on_commit):
            return
        transaction.on_commit(catch_up_enqueued)
    transaction.on_commit(indicators_catch_up_task.enqueue)
