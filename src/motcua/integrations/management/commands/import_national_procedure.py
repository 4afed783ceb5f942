"""Import or refresh a procedure from the national procedure database as a draft version."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integrations.national_portal import conf
from motcua.integrations.national_portal.catalogue import catalogue_import, draft_differences
from motcua.integrations.national_portal.client import PortalClient
from motcua.integrations.national_portal.interface import PortalError
from motcua.lib.errors import DomainError


class Command(BaseCommand):
    help = "Fetch procedure CODE from the national database (LayThuTuc) as a draft; print what it changes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        settings = conf.load()
        if not settings.configured:
            raise CommandError("MOTCUA_NATIONAL_PORTAL_URL is not set.")
        try:
            result = PortalClient(settings).fetch_procedure(options["code"])
            draft = catalogue_import(code=options["code"], result=result)
        except (PortalError, DomainError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Draft version {draft.number} of {options['code']}: review it, then publish it.")
        for diff in draft_differences(draft):
            self.stdout.write(f"- {diff.what}: {diff.current or '—'} → {diff.draft or '—'}")
