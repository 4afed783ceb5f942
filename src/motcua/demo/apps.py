from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DemoConfig(AppConfig):
    name = "motcua.demo"
    verbose_name = pgettext_lazy("admin section", "Demo province")
