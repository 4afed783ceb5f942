from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IndicatorsConfig(AppConfig):
    name = "motcua.indicators"
    verbose_name = pgettext_lazy("admin section", "Indicator set 766")

    def ready(self) -> None:
        # Every change that feeds an indicator enqueues the background catch-up (tasks.py).
        from django.db.models.signals import post_save

        from motcua.dossiers.signals import dossiers_imported, event_appended
        from motcua.indicators.tasks import enqueue_catch_up
        from motcua.payments.models import Payment
        from motcua.ratings.models import Feedback, Rating

        event_appended.connect(enqueue_catch_up, dispatch_uid="indicators.event_appended")
        dossiers_imported.connect(enqueue_catch_up, dispatch_uid="indicators.dossiers_imported")
        for model in (Payment, Rating, Feedback):
            post_save.connect(_on_new_row, sender=model, dispatch_uid=f"indicators.new_{model.__name__}")


def _on_new_row(created: bool = False, **kwargs: object) -> None:
    if created:
        from motcua.indicators.tasks import enqueue_catch_up

        enqueue_catch_up()
