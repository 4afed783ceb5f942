from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CalendarsConfig(AppConfig):
    name = "motcua.calendars"
    verbose_name = pgettext_lazy("admin section", "Working-time calendars")
