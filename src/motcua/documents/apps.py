from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    verbose_name = pgettext_lazy("admin section", "Legal forms and documents")
