"""Tasks the worker tests run (importable by a worker process)."""

from __future__ import annotations

import time

from django_tasks import TaskContext, task


@task(takes_context=True)
def nap(context: TaskContext, seconds: float, every_attempt: bool = False) -> int:
    """Sleep (on the first run only, unless `every_attempt`), then answer the run's number."""
    if every_attempt or context.attempt == 1:
        time.sleep(seconds)
    return context.attempt
