from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IndicatorsConfig(AppConfig):
    name = "motcua.indicators"
    verbose_name = pgettext_lazy("admin section", "Indicator set 766")

    def ready(self) -> None:
        # Workers fold new events into the counters every few seconds (tasks.py); without a
        # worker (the immediate backend) each change runs the catch-up after it commits.
        from django.db.models.signals import post_save

        from motcua.background import periodic
        from motcua.dossiers.signals import dossiers_imported, event_appended
        from motcua.indicators.tasks import catch_up_after_commit, catch_up_every, catch_up_pass
        from motcua.payments.models import Payment
        from motcua.ratings.models import Feedback, Rating

        periodic.register("indicators_catch_up", catch_up_every(), catch_up_pass)
        event_appended.connect(catch_up_after_commit, dispatch_uid="indicators.event_appended")
        dossiers_imported.connect(catch_up_after_commit, dispatch_uid="indicators.dossiers_imported")
        for model in (Payment, Rating, Feedback):
            post_save.connect(_on_new_row, sender=model, dispatch_uid=f"indicators.new_{model.__name__}")


def _on_new_row(created: bool = False, **kwargs: object) -> None:
    if created:
        from motcua.indicators.tasks import catch_up_after_commit

        catch_up_after_commit()
