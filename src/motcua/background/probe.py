"""A task that does nothing but take a moment: `make audit` enqueues hundreds of them and
kills workers while they run, to show that every task ends exactly once."""

from __future__ import annotations

import time

from django_tasks import TaskContext, task


@task(takes_context=True)
def probe(context: TaskContext, seconds: float) -> int:
    """Sleep `seconds`, then answer which run of the task this is (1, or 2 after a crash)."""
    time.sleep(seconds)
    return context.attempt
