"""`manage.py generate_dossiers --count N --seed S`: realistic synthetic histories."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.exchange.format import instant_in
from motcua.exchange.generator import generate_dossiers
from motcua.exchange.progress import ProgressBar, command_stream
from motcua.lib.errors import DomainError


def _until(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return instant_in(value)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Create N dossiers with realistic histories over the last 12 months through the dossier services "
        "(channels, supplements, late dossiers, apologies, payments, ratings, digitized components)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--until", help="The 'now' of the story, e.g. 2026-01-31T17:00:00+07:00 (default: now). Fix it to repeat."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["count"]
        if count < 1:
            raise CommandError("--count must be at least 1.")
        bar = (
            None
            if options["no_progress"]
            else ProgressBar(count, label="generate ", stream=command_stream(self.stderr))
        )
        started = time.perf_counter()
        try:
            made = generate_dossiers(
                count=count, seed=options["seed"], until=_until(options["until"]), progress=bar.update if bar else None
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if bar is not None:
            bar.finish()
        wall = time.perf_counter() - started
        self.stdout.write(f"{made} dossiers generated in {wall:.1f} s ({made / max(wall, 1e-9):.1f}/s).")
