"""Authentication for the API: bearer tokens for connected systems, the session for pages.

A token look-up (the token row, its agencies, the service account's roles) is kept in
this process for `CACHE_SECONDS`, so a busy connector costs no query per request; expiry
is checked on every request, and revoking forgets the token at once in this process.
"""

from __future__ import annotations

import copy
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from motcua.api.grants import NoGrant, grant_for
from motcua.api.models import ApiToken
from motcua.organizations.actors import ANONYMOUS, Actor, actor_for


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            grant = grant_for(ApiToken.hash(token))
        except NoGrant:
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
