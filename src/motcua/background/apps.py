from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class BackgroundConfig(AppConfig):
    name = "motcua.background"
    verbose_name = pgettext_lazy("admin section", "Background work")
