from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ApiConfig(AppConfig):
    name = "motcua.api"
    verbose_name = pgettext_lazy("admin section", "REST API")
