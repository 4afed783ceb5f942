"""Jobs every worker runs now and then besides its tasks (apps register them in `ready()`).

Each job must be safe to run from several workers at once (it takes its own locks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: float  # seconds
    run: Callable[[], object]


JOBS: list[PeriodicJob] = []


def register(name: str, every: float, run: Callable[[], object]) -> None:
    if all(job.name != name for job in JOBS):
        JOBS.append(PeriodicJob(name, every, run))
