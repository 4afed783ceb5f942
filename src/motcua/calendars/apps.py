from __future__ import annotations

from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "motcua.calendars"
    verbose_name = "Working-time calendars"
