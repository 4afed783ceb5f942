"""`{{ user|full_name }}`: a user's full name in Vietnamese order (never Django's
`get_full_name`, which puts the given name first)."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.organizations.selectors import user_full_name

register = template.Library()


@register.filter
def full_name(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user_full_name(user)
