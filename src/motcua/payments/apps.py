from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = pgettext_lazy("admin section", "Payments")
