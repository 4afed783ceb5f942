"""`manage.py load_demo`: the fictional demo province, its officers, citizens and dossiers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.demo.loader import DEMO_PASSWORD, load_all
from motcua.organizations.models import Agency


class Command(BaseCommand):
    help = "Load the fictional demo province (Tỉnh Minh Hòa, H99) with officers, citizens and dossiers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when agencies already exist.")
        parser.add_argument("--dossiers", type=int, default=300, help="How many demo dossiers (default 300).")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if Agency.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demo province already loaded; nothing to do.")
                self._logins()
                return
            self.stderr.write("The database already has agencies; load the demo into an empty database.")
            raise SystemExit(1)
        report = load_all(dossiers=options["dossiers"], seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {report.agencies} agencies, {report.procedures} procedures, "
                f"{sum(v for k, v in report.dossiers.items() if not k.startswith('skipped'))} dossiers."
            )
        )
        for state, count in sorted(report.dossiers.items()):
            self.stdout.write(f"  {state}: {count}")
        self.stdout.write(f"National portal connector token (shown once): {report.api_token}")
        self._logins()

    def _logins(self) -> None:
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, what in [
            ("tiepnhan.tinh", "reception officer, provincial Service Centre"),
            ("chuyenvien.stp", "specialist, Department of Justice"),
            ("lanhdao.stp", "leader, Department of Justice"),
            ("tiepnhan.minhhoa", "reception officer, Minh Hòa ward"),
            ("quanly.tinh", "manager, province"),
            ("danhmuc.tinh", "catalogue manager, province (/danh-muc/)"),
            ("admin", "administrator (also /admin/)"),
            ("congdan.an", "citizen"),
        ]:
            self.stdout.write(f"  {username:18} {what}")
