from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    verbose_name = pgettext_lazy("admin section", "Connected systems")

    def ready(self) -> None:
        # Each worker's upkeep thread enqueues a bounded delivery pass on the `sync` queue when
        # none is waiting or running (tasks.py); the pass itself runs as a task.
        from motcua.background import periodic
        from motcua.integrations import conf
        from motcua.integrations.tasks import connectors_enqueue

        periodic.register("integrations_deliver", conf.load().enqueue_every_seconds, connectors_enqueue)
