"""`manage.py import_dossiers FILE`: read motcua-dossier/1 JSON Lines into this database."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.exchange.importer import DEFAULT_BATCH, Importer, default_workers
from motcua.exchange.progress import ProgressBar, command_stream


class Command(BaseCommand):
    help = (
        "Import dossiers from a motcua-dossier/1 JSON Lines file. Bad lines are reported with their number "
        "and skipped; dossiers already present are skipped as duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="Lines per transaction.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(f"No file {path}.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        bar = None
        if not options["no_progress"]:
            with open(path, "rb") as handle:
                total = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            bar = ProgressBar(total, label="import ", stream=command_stream(self.stderr))
        with open(path, "rb") as handle:
            importer = Importer(
                batch_size=options["batch_size"], progress=bar.update if bar else None, workers=default_workers()
            )
            report = importer.run(handle)
        if bar is not None:
            bar.finish()
        for problem in report.failed:
            self.stderr.write(f"line {problem.line}: {problem.reason}")
        for problem in report.duplicates:
            self.stderr.write(f"line {problem.line}: {problem.reason}")
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"{len(report.failed)} line(s) could not be imported; the others were.", returncode=2)
