"""Writes for API tokens of connected systems and scripts."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.utils import timezone

from motcua.api.models import ApiToken

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # AUTH_USER_MODEL is the default auth.User


def api_token_create(*, user: User, name: str, system: str = "") -> tuple[ApiToken, str]:
    """Create a token; returns the row and the secret (never stored)."""
    secret = "mc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, user=user, prefix=secret[:10], digest=ApiToken.hash(secret), system=system
    )
    return token, secret


def api_token_touch(*, token: ApiToken) -> None:
    """Record that `token` was just used (shown to administrators to spot unused tokens)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
