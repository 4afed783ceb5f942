"""`manage.py export_dossiers --output FILE [--agency CODE] [--from DATE --to DATE]`."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.exchange.export import ExportFilter, export_count, export_lines
from motcua.exchange.progress import ProgressBar, command_stream
from motcua.lib.errors import DomainError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Export dossiers with their full history as motcua-dossier/1 JSON Lines (docs/exchange-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="File to write ('-' for standard output).")
        parser.add_argument("--agency", help="Only dossiers received or settled in this agency or below it.")
        parser.add_argument("--from", dest="date_from", help="Filed on or after this day (YYYY-MM-DD).")
        parser.add_argument("--to", dest="date_to", help="Filed on or before this day (YYYY-MM-DD).")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        flt = ExportFilter(
            agency=options["agency"],
            date_from=_date(options["date_from"]) if options["date_from"] else None,
            date_to=_date(options["date_to"]) if options["date_to"] else None,
        )
        if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
            raise CommandError("--from is after --to.")
        try:
            total = export_count(flt)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        bar = (
            None if options["no_progress"] else ProgressBar(total, label="export ", stream=command_stream(self.stderr))
        )
        out = sys.stdout if options["output"] == "-" else open(options["output"], "w", encoding="utf-8")  # noqa: SIM115
        written = 0
        try:
            for line in export_lines(flt):
                out.write(line)
                written += 1
                if bar is not None:
                    bar.update(written)
        finally:
            if out is not sys.stdout:
                out.close()
        if bar is not None:
            bar.finish()
        self.stderr.write(f"{written} dossiers exported.")
