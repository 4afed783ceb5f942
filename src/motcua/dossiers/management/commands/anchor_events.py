"""`manage.py anchor_events`: seal the events written since the last anchor (the worker does it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.services import event_anchor_create


class Command(BaseCommand):
    help = "Take an anchor over every dossier history: the hashes of the events written since the last anchor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minimum", type=int, default=1, help="Take it only if at least this many new events.")

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = event_anchor_create(minimum=max(1, options["minimum"]))
        if anchor is None:
            self.stdout.write("Nothing to anchor.")
            return
        # Printed so that it can be kept outside the database too (a log, a signed note).
        self.stdout.write(
            f"anchor {anchor.pk}: {anchor.events} event(s) up to id {anchor.last_event_id}, {anchor.digest}"
        )
