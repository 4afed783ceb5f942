"""`manage.py import_dossiers FILE`: read motcua-dossier/1 JSON Lines into this database."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.exchange.bulk import BulkLoadError, applies, restore_foreign_keys
from motcua.exchange.importer import DEFAULT_BATCH, IMPORTED_MODELS, PARSERS, Importer, default_workers
from motcua.exchange.progress import ProgressBar, command_stream


class Command(BaseCommand):
    help = (
        "Import dossiers from a motcua-dossier/1 JSON Lines file. Bad lines are reported with their number "
        "and skipped; dossiers already present are skipped as duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="Lines per transaction.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=(
                "Processes that parse and check the lines while this one writes (default: "
                f"{PARSERS} on a machine with two or more CPUs, 0 on one CPU; 0 parses here)."
            ),
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=(
                "PostgreSQL: set the foreign keys of the imported tables aside during the import and put them "
                "back, validated, at the end (about twice the speed for a migration of millions of dossiers; "
                "see docs/exchange-format.md). SQLite: no effect."
            ),
        )
        parser.add_argument(
            "--by",
            default="",
            help="Who imports, recorded on every imported dossier (default: the system user running the command).",
        )
        parser.add_argument(
            "--restore-constraints",
            action="store_true",
            help="Put back the foreign keys an interrupted --bulk import left aside, and validate them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["restore_constraints"]:
            self._restore()
            return
        path = options["file"]
        if not path:
            raise CommandError("Name the file to import (or use --restore-constraints).")
        if not os.path.isfile(path):
            raise CommandError(f"No file {path}.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        workers = default_workers() if options["workers"] is None else options["workers"]
        if workers < 0:
            raise CommandError("--workers must be 0 or more.")
        if options["bulk"] and not applies():
            self.stderr.write("--bulk: this database checks foreign keys row by row, cheaply; nothing to set aside.")
        bar = None
        if not options["no_progress"]:
            with open(path, "rb") as handle:
                total = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            bar = ProgressBar(total, label="import ", stream=command_stream(self.stderr))
        with open(path, "rb") as handle:
            importer = Importer(
                batch_size=options["batch_size"],
                progress=bar.update if bar else None,
                workers=workers,
                bulk=options["bulk"],
                imported_by=options["by"] or f"{getpass.getuser()} (import_dossiers)",
            )
            try:
                report = importer.run(handle)
            except BulkLoadError as exc:
                raise CommandError(str(exc)) from exc
        if bar is not None:
            bar.finish()
        for problem in report.failed:
            self.stderr.write(f"line {problem.line}: {problem.reason}")
        for problem in report.duplicates:
            self.stderr.write(f"line {problem.line}: {problem.reason}")
        self.stdout.write(report.summary())
        if report.invalid_keys:
            for reason in report.invalid_keys:
                self.stderr.write(f"foreign key not valid: {reason}")
            raise CommandError(
                f"{len(report.invalid_keys)} foreign key(s) are in force again but rows break them (listed above): "
                "correct those rows, then run `manage.py import_dossiers --restore-constraints`.",
                returncode=3,
            )
        if report.failed:
            raise CommandError(f"{len(report.failed)} line(s) could not be imported; the others were.", returncode=2)

    def _restore(self) -> None:
        if not applies():
            self.stdout.write("Nothing to restore: this database never sets foreign keys aside.")
            return
        try:
            report = restore_foreign_keys(IMPORTED_MODELS)
        except BulkLoadError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{report.put_back} foreign key(s) put back; {len(report.restored)} validated.")
        if report.invalid:
            for reason in report.invalid:
                self.stderr.write(f"foreign key not valid: {reason}")
            raise CommandError(f"{len(report.invalid)} foreign key(s) are not valid yet (listed above).", returncode=3)
