"""`manage.py verify_events`: recompute the hash chain of every dossier history and the anchors."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.integrity import verify_events


class Command(BaseCommand):
    help = (
        "Check that no dossier event was forged, edited, removed or reordered: recompute every dossier's "
        "hash chain and every anchor, list each break (dossier, event, what) and exit with status 1 if any."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = verify_events()
        for found in breaks:
            self.stderr.write(str(found))
        if breaks:
            raise CommandError(f"{len(breaks)} break(s) in the dossier histories (listed above).")
        self.stdout.write("Every dossier history matches its hash chain and anchors.")
