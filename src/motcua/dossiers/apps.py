from __future__ import annotations

from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = "Dossiers"
