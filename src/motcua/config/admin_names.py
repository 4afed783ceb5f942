"""The admin in the reader's language: its header, and the sections and lists of the libraries
MotCua installs (django-axes, django-tasks-db), which ship no Vietnamese names. Their models'
display names are set here at start-up, never in their migrations."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: app label → (section name, {model class name: (singular, plural)}).
THIRD_PARTY: dict[str, tuple[Promise, dict[str, tuple[Any, Any]]]] = {
    "axes": (
        pgettext_lazy("admin section", "Sign-in protection"),
        {
            "AccessAttempt": (_("failed sign-in record"), _("failed sign-in records")),
            "AccessAttemptExpiration": (_("lock-out expiry"), _("lock-out expiries")),
            "AccessFailureLog": (_("failed sign-in"), _("failed sign-ins")),
            "AccessLog": (_("sign-in"), _("sign-ins")),
        },
    ),
    "django_tasks_database": (
        pgettext_lazy("admin section", "Background tasks"),
        {"DBTaskResult": (_("background task"), _("background tasks"))},
    ),
}


def name_the_admin() -> None:
    admin.site.site_header = _("MotCua administration")
    admin.site.site_title = _("MotCua administration")
    admin.site.index_title = _("Sections")
    for label, (section, models) in THIRD_PARTY.items():
        if label not in apps.app_configs:
            continue
        config = apps.get_app_config(label)
        config.verbose_name = section  # type: ignore[assignment]
        for model in config.get_models():
            if model.__name__ in models:
                model._meta.verbose_name, model._meta.verbose_name_plural = models[model.__name__]
