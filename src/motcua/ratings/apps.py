from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    verbose_name = pgettext_lazy("admin section", "Ratings and feedback")
