"""Password rules MotCua adds to Django's (settings.AUTH_PASSWORD_VALIDATORS).

A personal ID number is printed on the citizen's card and written on every dossier, so it is
no secret: a password must not contain the user's own ID number, nor their username.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _own_id_number(user: Any) -> str:
    if user is None or getattr(user, "pk", None) is None:
        return ""
    from motcua.people.models import Person

    return Person.objects.filter(user_id=user.pk).values_list("id_number", flat=True).first() or ""


class PersonalIdPasswordValidator:
    """Refuses a password that contains the user's personal ID number or username."""

    def validate(self, password: str, user: Any = None) -> None:
        folded = password.casefold()
        id_number = _own_id_number(user)
        if id_number and id_number in password:
            raise ValidationError(
                _("The password must not contain your personal ID number."), code="password_contains_id_number"
            )
        username = str(getattr(user, "username", "") or "").casefold() if user is not None else ""
        if len(username) >= 3 and username in folded:
            raise ValidationError(_("The password must not contain your username."), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("Your password must not contain your personal ID number or your username.")
