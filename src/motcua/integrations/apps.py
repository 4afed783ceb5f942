from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    verbose_name = pgettext_lazy("admin section", "Connected systems")
