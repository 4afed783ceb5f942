"""`{% if user|oversees %}`: whether a signed-in user is a manager or an administrator of some
agency, i.e. whether the menu offers them the indicator dashboards (the dashboards check the
agency themselves). `{% if user|edits_catalogue %}`: whether it offers the catalogue editor."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.organizations.models import Role
from motcua.organizations.selectors import user_holds_role, user_oversees

register = template.Library()


@register.filter
def oversees(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user_oversees(user)


@register.filter
def edits_catalogue(user: Any) -> bool:
    """Whether the menu offers the catalogue editor: superusers and catalogue managers."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or user_holds_role(user.pk, Role.CATALOGUE)
