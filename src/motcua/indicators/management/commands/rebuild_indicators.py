"""`manage.py rebuild_indicators`: recompute every indicator fact and counter from history."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.indicators.services import indicators_rebuild


class Command(BaseCommand):
    help = "Rebuild the Indicator 766 facts and counters from the dossier event history."

    def handle(self, *args: Any, **options: Any) -> None:
        count = indicators_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt indicator facts for {count} received dossiers."))
