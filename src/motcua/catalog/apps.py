from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    verbose_name = pgettext_lazy("admin section", "Procedure catalogue")
