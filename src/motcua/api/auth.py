"""Authentication for the API: bearer tokens for connected systems, the session for pages.

A token look-up (the token row, its agencies, the service account's roles) is kept in
this process for `CACHE_SECONDS`, so a busy connector costs no query per request; expiry
is checked on every request, and revoking forgets the token at once in this process.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from motcua.api.models import ApiToken
from motcua.organizations.actors import ANONYMOUS, Actor, actor_for
from motcua.organizations.selectors import agency_subtree_ids

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class _Grant:
    user: Any
    actor: Actor
    expires_at: datetime


_grants: dict[str, tuple[float, _Grant | None]] = {}
_grants_lock = threading.Lock()


def forget_token(digest: str) -> None:
    with _grants_lock:
        _grants.pop(digest, None)


def _load_grant(digest: str) -> _Grant | None:
    row = ApiToken.objects.select_related("user").filter(digest=digest, revoked_at=None).first()
    if row is None or not row.user.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    agencies: frozenset[int] | None = None
    chosen = set(row.agencies.values_list("pk", flat=True))
    if chosen:
        agencies = frozenset(agency_subtree_ids(chosen) if row.include_subtree else chosen)
    actor = actor_for(row.user, system=row.system, scopes=frozenset(row.scopes), system_agencies=agencies)
    return _Grant(user=row.user, actor=actor, expires_at=row.expires_at)


def _grant_for(token: str) -> _Grant | None:
    digest = ApiToken.hash(token)
    now = time.monotonic()
    with _grants_lock:
        cached = _grants.get(digest)
    if cached is not None and cached[0] > now:
        return cached[1]
    grant = _load_grant(digest)
    with _grants_lock:
        _grants[digest] = (now + CACHE_SECONDS, grant)
    return grant


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        grant = _grant_for(token)
        if grant is None or grant.expires_at <= timezone.now():
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
