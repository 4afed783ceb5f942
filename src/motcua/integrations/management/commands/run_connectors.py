"""Run the consumers of the connected systems in a dedicated process: a long-running loop (or
one pass with --once). Optional: the background workers run the same passes as tasks
(`integrations/tasks.py`); this process suits a deployment that wants delivery apart from them.

Crash-safe: each consumer's cursor and messages are in the database, and a consumer is leased
to one process at a time (this one or a worker); kill it at any moment and start it again."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations import registry
from motcua.integrations.national_portal import conf as portal_conf
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.integrations.tasks import connectors_pass


class Command(BaseCommand):
    help = "Deliver dossier events to the connected systems (national portal, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass of every consumer, then stop.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between passes when idle.")
        parser.add_argument(
            "--batch", type=int, default=None, help="Messages per pass and consumer (default: MOTCUA_DELIVERY_BATCH)."
        )
        parser.add_argument(
            "--lease",
            type=float,
            default=None,
            help="Seconds a consumer stays leased to this worker without news, longer than one send "
            "(default: MOTCUA_DELIVERY_LEASE).",
        )
        parser.add_argument("--simulator-port", type=int, default=0, help="Port of the simulator (0: any free one).")
        parser.add_argument(
            "--simulator-if-unset",
            action="store_true",
            help="With MOTCUA_NATIONAL_PORTAL_URL unset, start the built-in portal simulator and use it (demo).",
        )
        parser.add_argument(
            "--simulator-only",
            action="store_true",
            help="Only serve the built-in portal simulator (account motcua/motcua, unit 000.00.00.H00) "
            "until stopped; the workers deliver to it (`make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["simulator_only"]:
            url = PortalSimulator().start(port=options["simulator_port"])
            self.stdout.write(f"National portal simulator (not the portal) on {url}")
            threading.Event().wait()  # serves until the process is stopped
        if options["simulator_if_unset"] and not portal_conf.load().configured:
            simulator = PortalSimulator(unit_code="000.00.00.H00")
            url = simulator.start(port=options["simulator_port"])
            settings.NATIONAL_PORTAL = {
                **settings.NATIONAL_PORTAL,
                "URL": url,
                "USERNAME": simulator.username,
                "PASSWORD": simulator.password,
                "UNIT_CODE": simulator.unit_code,
                "BACKOFF_BASE": 2.0,
            }
            self.stdout.write(f"National portal simulator (not the portal) on {url}")
        if not registry.configured():
            self.stdout.write("No connected system is configured.")
            return
        while True:
            results = connectors_pass(batch=options["batch"], lease_seconds=options["lease"])
            if options["verbosity"] > 1:
                for name, result in results.items():
                    self.stdout.write(f"{name}: {result}")
            if options["once"]:
                return
            if not any(result.derived or result.sent for result in results.values()):
                time.sleep(options["interval"])
