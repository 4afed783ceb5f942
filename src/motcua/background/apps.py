from __future__ import annotations

from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "motcua.background"
    verbose_name = "Background work"
