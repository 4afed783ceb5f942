from __future__ import annotations

from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "motcua.organizations"
    verbose_name = "Organizations"
