from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OrganizationsConfig(AppConfig):
    name = "motcua.organizations"
    verbose_name = pgettext_lazy("admin section", "Organizations")
