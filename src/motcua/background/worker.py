"""The worker loop of django-tasks-db, made to survive what kills a worker in production.

* A thread beats every `heartbeat` seconds (`WorkerHeartbeat`), runs the recovery of tasks
  left RUNNING by dead workers (services.tasks_recover) at start and then periodically, and
  the periodic jobs apps registered (periodic.py). It survives database errors itself.
* The loop itself, when the database goes away (a failover, a restart, a terminated
  connection), closes its connections, waits with a growing pause (up to 30 s) and starts
  again instead of exiting; the task it was running when the connection broke is taken
  back by the same rules as a dead worker's.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import timedelta

from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from motcua.background import periodic
from motcua.background.services import tasks_recover, worker_heartbeat_record, worker_heartbeat_remove

logger = logging.getLogger("motcua.background")

MAX_PAUSE = 30.0


def _close_connections() -> None:
    """Forget this thread's connections, even broken ones (closing one may fail too)."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            conn.connection = None


class Upkeep(threading.Thread):
    """Heartbeat, recovery and periodic jobs, beside the worker loop."""

    def __init__(self, *, worker_id: str, heartbeat: float, stale_after: float, max_attempts: int) -> None:
        super().__init__(name=f"upkeep-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.heartbeat = heartbeat
        self.stale_after = timedelta(seconds=stale_after)
        self.max_attempts = max_attempts
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self._last_run: dict[str, float] = {}

    def beat(self) -> None:
        worker_heartbeat_record(worker_id=self.worker_id, started_at=self.started_at)

    def recover(self, lost_worker: str = "") -> None:
        found = tasks_recover(stale_after=self.stale_after, max_attempts=self.max_attempts, lost_worker=lost_worker)
        for task_id in found.retried:
            logger.warning("Task %s was left running by a worker that stopped: it runs again.", task_id)
        for task_id in found.failed:
            logger.error("Task %s was left running by a stopped worker too many times: marked failed.", task_id)

    def run(self) -> None:
        jobs = [
            periodic.PeriodicJob("heartbeat", self.heartbeat, self.beat),
            periodic.PeriodicJob("recover", self.stale_after.total_seconds() / 2, self.recover),
            *periodic.JOBS,
        ]
        tick = min(job.every for job in jobs)
        while not self.stopping.is_set():
            try:
                close_old_connections()
                now = time.monotonic()
                for job in jobs:
                    if now - self._last_run.get(job.name, -job.every) >= job.every:
                        job.run()
                        self._last_run[job.name] = now
            except DatabaseError:
                logger.warning("Worker upkeep: the database is unreachable; trying again.", exc_info=True)
                _close_connections()
            except Exception:  # a periodic job's own bug must not stop the heartbeat
                logger.exception("Worker upkeep: a periodic job failed.")
            self.stopping.wait(tick)
        with contextlib.suppress(DatabaseError):
            worker_heartbeat_remove(worker_id=self.worker_id)
        _close_connections()


class ResilientWorker(Worker):
    """django-tasks-db's Worker with a heartbeat, crash recovery and reconnection."""

    def __init__(self, *, heartbeat: float, stale_after: float, max_attempts: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.upkeep = Upkeep(
            worker_id=self.worker_id, heartbeat=heartbeat, stale_after=stale_after, max_attempts=max_attempts
        )

    def run(self) -> None:
        self.upkeep.start()
        pause = 0.5
        try:
            while True:
                try:
                    super().run()
                    return
                except DatabaseError:
                    if not self.running:
                        raise
                    self.running_task = False
                    logger.warning("Worker %s lost the database; reconnecting in %.1f s.", self.worker_id, pause)
                    _close_connections()
                    time.sleep(pause)
                    pause = min(pause * 2, MAX_PAUSE)
                    try:
                        # The task this loop was running, if any, was cut off with the connection.
                        self.upkeep.recover(lost_worker=self.worker_id)
                        pause = 0.5
                    except DatabaseError:
                        _close_connections()
        finally:
            self.upkeep.stopping.set()
            self.upkeep.join(timeout=5)
