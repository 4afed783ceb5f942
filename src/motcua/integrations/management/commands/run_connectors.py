"""Run the consumers of the connected systems: a long-running loop (or one pass with --once).

Crash-safe: each consumer's cursor and messages are in the database, and a consumer is leased
to one worker at a time; kill it at any moment and start it again."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations import backbone, registry
from motcua.integrations.national_portal import conf as portal_conf
from motcua.integrations.national_portal import satisfaction
from motcua.integrations.national_portal.connector import NationalPortalConnector
from motcua.integrations.national_portal.inbound import pull_filings
from motcua.integrations.national_portal.interface import PortalError
from motcua.integrations.national_portal.simulator import PortalSimulator


class Command(BaseCommand):
    help = "Deliver dossier events to the connected systems (national portal, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass of every consumer, then stop.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between passes when idle.")
        parser.add_argument("--batch", type=int, default=200, help="Messages per pass and consumer.")
        parser.add_argument(
            "--lease",
            type=float,
            default=120.0,
            help="Seconds a consumer stays leased to this worker without news (longer than one send).",
        )
        parser.add_argument("--simulator-port", type=int, default=0, help="Port of the simulator (0: any free one).")
        parser.add_argument(
            "--simulator-if-unset",
            action="store_true",
            help="With MOTCUA_NATIONAL_PORTAL_URL unset, start the built-in portal simulator and use it (demo).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
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
        connectors = registry.configured()
        if not connectors:
            self.stdout.write("No connected system is configured.")
            return
        while True:
            busy = False
            for connector in connectors:
                if isinstance(connector, NationalPortalConnector):
                    satisfaction.send_due(connector.portal)
                    if connector.settings.pull:
                        self._pull(connector)
                result = backbone.run_pass(connector, batch=options["batch"], lease_seconds=options["lease"])
                busy = busy or bool(result.derived or result.sent)
                if options["verbosity"] > 1:
                    self.stdout.write(f"{connector.name}: {result}")
            if options["once"]:
                return
            if not busy:
                time.sleep(options["interval"])

    def _pull(self, connector: NationalPortalConnector) -> None:
        """Receive the dossiers filed on the portal (MOTCUA_NATIONAL_PORTAL_PULL); a failed pull
        is logged and tried again on the next pass."""
        try:
            pulled = pull_filings(connector.portal, connector.settings)
        except PortalError:
            return
        if pulled.received or pulled.refused:
            self.stdout.write(f"Filings pulled: {pulled.received} new, {len(pulled.refused)} refused")
