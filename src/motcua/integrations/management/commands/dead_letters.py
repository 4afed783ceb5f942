"""List, retry or discard the dead letters of the connected systems."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integrations import services
from motcua.integrations.selectors import dead_letters
from motcua.lib.errors import DomainError


class Command(BaseCommand):
    help = "Dead letters of the connected systems: list (default), --retry ID or --discard ID."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retry", type=int, action="append", default=[], metavar="ID")
        parser.add_argument("--discard", type=int, action="append", default=[], metavar="ID")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            for message_id in options["retry"]:
                services.dead_letter_retry(message_id=message_id)
                self.stdout.write(f"{message_id}: will be tried again")
            for message_id in options["discard"]:
                services.dead_letter_discard(message_id=message_id)
                self.stdout.write(f"{message_id}: discarded")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["retry"] or options["discard"]:
            return
        for m in dead_letters():
            self.stdout.write(
                f"{m.pk}\t{m.consumer}\t{m.dossier.code}\tevent {m.event_id}\t{m.attempts} tries\t{m.last_error}"
            )
