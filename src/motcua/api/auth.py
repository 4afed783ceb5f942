"""Authentication for the API: bearer tokens for systems, the session for pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from motcua.api.models import ApiToken
from motcua.api.services import api_token_touch
from motcua.organizations.actors import ANONYMOUS, Actor, actor_for


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token), revoked_at=None).first()
        if row is None or not row.user.is_active:
            return None
        api_token_touch(token=row)
        request.user = row.user
        request.motcua_actor = actor_for(row.user, system=row.system)  # type: ignore[attr-defined]
        return row.user


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
