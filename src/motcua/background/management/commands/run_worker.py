"""`manage.py run_worker`: django-tasks-db's `db_worker` that survives crashes (worker.py)."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from motcua.background.worker import ResilientWorker


class Command(DbWorkerCommand):
    help = (
        "Run background tasks (django-tasks-db's db_worker) with a heartbeat: tasks left running by a worker that "
        "died are run again once, then marked failed; a lost database connection is re-opened."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        background: Any = settings.MOTCUA["BACKGROUND"]
        parser.add_argument("--heartbeat", type=float, default=background["HEARTBEAT"], help="Seconds between beats.")
        parser.add_argument(
            "--stale-after",
            type=float,
            default=background["STALE_AFTER"],
            help="A worker not seen for this many seconds is dead; its running tasks are taken back.",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=background["MAX_ATTEMPTS"],
            help="Runs a task may have before a crash marks it failed (2: one retry).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options["heartbeat"] <= 0 or options["stale_after"] <= options["heartbeat"]:
            raise CommandError("--stale-after must be longer than --heartbeat, both above zero.")
        if options["max_attempts"] < 1:
            raise CommandError("--max-attempts must be at least 1.")
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        reload = options["reload"] and not options["batch"]
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            heartbeat=options["heartbeat"],
            stale_after=options["stale_after"],
            max_attempts=options["max_attempts"],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
