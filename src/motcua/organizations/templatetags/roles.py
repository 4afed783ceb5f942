"""`{% if user|oversees %}`: whether a signed-in user is a manager or an administrator of some
agency, i.e. whether the menu offers them the indicator dashboards (the dashboards check the
agency themselves)."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.organizations.selectors import user_oversees

register = template.Library()


@register.filter
def oversees(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user_oversees(user)
