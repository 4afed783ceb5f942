from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    verbose_name = "Connected systems"
