"""Authentication for the API: bearer tokens for connected systems, the session for pages.

A token look-up (the token row, its agencies, the service account's roles) is kept in
this process for `CACHE_SECONDS`, so a busy connector costs no query per request; expiry
is checked on every request, and revoking forgets the token at once in this process.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from motcua.api.models import ApiToken
from motcua.lib.cache import ttl_cache
from motcua.organizations.actors import ANONYMOUS, Actor, actor_for
from motcua.organizations.selectors import agency_subtree_ids

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class _Grant:
    user: Any
    actor: Actor
    expires_at: datetime


class _NoGrant(Exception):
    """No valid token has this digest (not cached: unknown tokens must not fill the cache)."""


def forget_tokens() -> None:
    """Forget the cached look-ups of this process (after a revocation)."""
    _grant_for.clear()


@ttl_cache(seconds=CACHE_SECONDS)
def _grant_for(digest: str) -> _Grant:
    row = ApiToken.objects.select_related("user").filter(digest=digest, revoked_at=None).first()
    if row is None or not row.user.is_active:
        raise _NoGrant
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    agencies: frozenset[int] | None = None
    chosen = set(row.agencies.values_list("pk", flat=True))
    if chosen:
        agencies = frozenset(agency_subtree_ids(chosen) if row.include_subtree else chosen)
    actor = actor_for(row.user, system=row.system, scopes=frozenset(row.scopes), system_agencies=agencies)
    return _Grant(user=row.user, actor=actor, expires_at=row.expires_at)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            grant = _grant_for(ApiToken.hash(token))
        except _NoGrant:
            return None
        if grant.expires_at <= timezone.now():
            return None
        user = copy.copy(grant.user)  # each request its own instance of the service account
        request.user = user
        request.motcua_actor = grant.actor  # type: ignore[attr-defined]
        return user


class SessionActorAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user:
            request.motcua_actor = actor_for(user)  # type: ignore[attr-defined]
        return user


REQUIRED = [TokenAuth(), SessionActorAuth()]


def current_actor(request: HttpRequest) -> Actor:
    """The actor of a request, whether or not the endpoint required authentication."""
    cached = getattr(request, "motcua_actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = TokenAuth().authenticate(request, header[7:].strip())
        if user:
            return request.motcua_actor  # type: ignore[attr-defined,no-any-return]
    user = getattr(request, "user", None)
    actor = actor_for(user) if user is not None and user.is_authenticated else ANONYMOUS
    request.motcua_actor = actor  # type: ignore[attr-defined]
    return actor
