from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "motcua.portal"

    def ready(self) -> None:
        from motcua.lib import checks  # noqa: F401 - registers the deployment checks
