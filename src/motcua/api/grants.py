"""What a token grants, looked up once and kept in this process for `CACHE_SECONDS`.

Separate from `auth` (the HTTP side) so that the token services can forget a revoked token
without importing the web framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from motcua.api.models import ApiToken
from motcua.lib.cache import ttl_cache
from motcua.organizations.actors import Actor, actor_for
from motcua.organizations.selectors import agency_subtree_ids

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class Grant:
    user: Any
    actor: Actor
    expires_at: datetime


class NoGrant(Exception):
    """No valid token has this digest (not cached: unknown tokens must not fill the cache)."""


def forget_tokens() -> None:
    """Forget the cached look-ups of this process (after a revocation)."""
    grant_for.clear()


@ttl_cache(seconds=CACHE_SECONDS)
def grant_for(digest: str) -> Grant:
    row = ApiToken.objects.select_related("user").filter(digest=digest, revoked_at=None).first()
    if row is None or not row.user.is_active:
        raise NoGrant
    from motcua.api.services import api_token_touch

    api_token_touch(token_id=row.pk, at=timezone.now())
    agencies: frozenset[int] | None = None
    chosen = set(row.agencies.values_list("pk", flat=True))
    if chosen:
        agencies = frozenset(agency_subtree_ids(chosen) if row.include_subtree else chosen)
    actor = actor_for(row.user, system=row.system, scopes=frozenset(row.scopes), system_agencies=agencies)
    return Grant(user=row.user, actor=actor, expires_at=row.expires_at)
