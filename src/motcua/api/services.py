"""Commands on API tokens: create (the secret is returned once), revoke."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.api.grants import forget_tokens
from motcua.api.models import ApiToken
from motcua.lib.errors import Conflict, InvalidInput
from motcua.organizations.models import Agency
from motcua.organizations.systems import SYSTEMS, connected_system

#: How long a token lives unless its creator says otherwise.
DEFAULT_LIFETIME = timedelta(days=90)
#: The longest a token may live: a connected system rotates its secret at least this often.
MAX_LIFETIME = timedelta(days=366)


def _service_account(system: str) -> Any:
    """The user a connected system's actions are recorded under (one per kind)."""
    kind = SYSTEMS[system]
    user, created = get_user_model().objects.get_or_create(
        username=f"system-{system}", defaults={"first_name": kind.label.split(" / ")[0][:150]}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def api_token_create(
    *,
    system: str,
    name: str,
    user: Any = None,
    scopes: Iterable[str] | None = None,
    agencies: Iterable[Agency] = (),
    include_subtree: bool = True,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token of connected system `system`; returns the row and the secret (never
    stored). `scopes` defaults to every action of the system's kind; `agencies` empty means
    every agency."""
    kind = connected_system(system)
    if kind is None:
        raise InvalidInput(
            f"Unknown connected system {system!r}.", code="unknown_system", details={"systems": sorted(SYSTEMS)}
        )
    chosen = sorted(kind.actions if scopes is None else set(scopes))
    if not chosen:
        raise InvalidInput("A token needs at least one allowed action.", code="token_scopes_required")
    if extra := sorted(set(chosen) - kind.actions):
        raise InvalidInput(
            f"A {system} token cannot be given {', '.join(extra)}.",
            code="scope_not_allowed",
            details={"allowed": sorted(kind.actions), "refused": extra},
        )
    name = name.strip()
    if not name:
        raise InvalidInput("Name the token (who uses it, for what).", code="token_name_required")
    now = now or timezone.now()
    expires_at = expires_at or now + DEFAULT_LIFETIME
    if not now < expires_at <= now + MAX_LIFETIME:
        raise InvalidInput(
            f"A token expires in the future and within {MAX_LIFETIME.days} days.", code="invalid_token_expiry"
        )
    secret = "mc_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            user=user if user is not None else _service_account(system),
            prefix=secret[:10],
            digest=ApiToken.hash(secret),
            system=system,
            scopes=chosen,
            include_subtree=include_subtree,
            expires_at=expires_at,
        )
        token.agencies.set(list(agencies))
    return token, secret


def api_token_revoke(*, token: ApiToken, at: datetime | None = None) -> ApiToken:
    """Revoke a token: refused from now on (at once in this process; elsewhere within the
    few seconds a token look-up is cached, `auth.CACHE_SECONDS`)."""
    if token.revoked_at is not None:
        raise Conflict(f"The token {token} was already revoked.", code="token_already_revoked")
    token.revoked_at = at or timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.revoked_at)
    forget_tokens()
    return token


#: `last_used_at` is written at most this often per token, whatever the number of processes.
TOUCH_EVERY = timedelta(minutes=1)


def api_token_touch(*, token_id: int, at: datetime) -> None:
    """Record when a token was last used: at a look-up (not on every request), and only if
    the recorded use is older than `TOUCH_EVERY`, so busy processes do not queue on its row."""
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=at - TOUCH_EVERY)
    ApiToken.objects.filter(stale, pk=token_id).update(last_used_at=at)
