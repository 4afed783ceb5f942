from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PortalConfig(AppConfig):
    name = "motcua.portal"
    verbose_name = pgettext_lazy("admin section", "Portal")

    def ready(self) -> None:
        from motcua.lib import checks  # noqa: F401 - registers the deployment checks
