"""`manage.py catch_up_indicators`: fold what is new into the indicator facts and counters now.

Normally every worker does this every few seconds (`indicators.tasks`, run by
`manage.py run_worker`); this command is for a safety net from cron, or after a restore.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.indicators.services import indicators_catch_up


class Command(BaseCommand):
    help = "Fold new dossier events, payments, ratings and feedback into the indicator counters."

    def handle(self, *args: Any, **options: Any) -> None:
        count = indicators_catch_up()
        self.stdout.write(self.style.SUCCESS(f"Indicator catch-up: {count} dossiers and PAKN refreshed."))
