"""`manage.py api_token create|list|revoke`: tokens of connected systems."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.api.models import ApiToken
from motcua.api.services import DEFAULT_LIFETIME, api_token_create, api_token_revoke
from motcua.lib.errors import DomainError
from motcua.organizations.models import Agency
from motcua.organizations.systems import SYSTEMS


class Command(BaseCommand):
    help = "Create, list or revoke the API tokens of connected systems."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="Create a token; its secret is printed once.")
        create.add_argument("--system", required=True, choices=sorted(SYSTEMS))
        create.add_argument("--name", required=True, help="Who uses it, for what.")
        create.add_argument(
            "--scope", action="append", default=None, help="An allowed action (repeat); default: all of the system's."
        )
        create.add_argument("--agency", action="append", default=[], help="An agency code it is limited to (repeat).")
        create.add_argument("--no-subtree", action="store_true", help="The agencies do not cover the units below.")
        create.add_argument("--days", type=int, default=DEFAULT_LIFETIME.days, help="Days until it expires.")
        listing = commands.add_parser("list", help="List the tokens (never their secrets).")
        listing.add_argument("--all", action="store_true", help="Include revoked and expired tokens.")
        revoke = commands.add_parser("revoke", help="Revoke a token by its prefix (as listed).")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['command']}")(options)
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error

    def _create(self, options: dict[str, Any]) -> None:
        codes = options["agency"]
        agencies = list(Agency.objects.filter(code__in=codes))
        if missing := sorted(set(codes) - {a.code for a in agencies}):
            raise CommandError(f"Unknown agencies: {', '.join(missing)}")
        token, secret = api_token_create(
            system=options["system"],
            name=options["name"],
            scopes=options["scope"],
            agencies=agencies,
            include_subtree=not options["no_subtree"],
            expires_at=timezone.now() + timedelta(days=options["days"]),
        )
        self.stdout.write(f"Token {token.prefix}… for {token.system}, expires {token.expires_at:%Y-%m-%d %H:%M} UTC.")
        self.stdout.write("The secret, shown only this once:")
        self.stdout.write(secret)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.prefetch_related("agencies")
        if not options["all"]:
            tokens = tokens.filter(revoked_at=None, expires_at__gt=timezone.now())
        for token in tokens:
            agencies = ",".join(sorted(a.code for a in token.agencies.all())) or "*"
            state = "revoked" if token.revoked_at else "expired" if token.expires_at <= timezone.now() else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.prefix}\t{token.system}\t{state}\t{token.name}\tactions={','.join(token.scopes)}"
                f"\tagencies={agencies}\texpires={token.expires_at:%Y-%m-%d}\tlast_used={used}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        matches = list(ApiToken.objects.filter(prefix=options["prefix"]))
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} tokens have the prefix {options['prefix']!r}; give exactly one.")
        api_token_revoke(token=matches[0])
        self.stdout.write(f"Token {matches[0].prefix}… revoked.")
