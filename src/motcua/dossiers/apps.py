from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import DatabaseError
from django.utils.translation import pgettext_lazy


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = pgettext_lazy("admin section", "Dossiers")

    def ready(self) -> None:
        checks.register(histories_intact, checks.Tags.database)
        from motcua.background import periodic

        periodic.register("anchor_events", 60.0, anchor_when_due)


def anchor_when_due() -> object:
    """The workers' periodic job: an anchor once enough new events are written."""
    from django.conf import settings

    from motcua.dossiers.services import event_anchor_create

    every: Any = settings.MOTCUA["EVENT_ANCHOR_EVERY"]
    return event_anchor_create(minimum=every)


def histories_intact(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`manage.py check --database default`: every dossier history matches its hash chain."""
    if not databases or "default" not in databases:
        return []
    from motcua.dossiers.integrity import verify_events

    try:
        breaks = verify_events()
    except DatabaseError:  # not migrated yet: `migrate` says so already
        return []
    return [
        checks.Error(
            str(found),
            hint="The history was changed outside MotCua; restore it from a backup and find who wrote it.",
            obj=found.dossier or f"anchor {found.anchor}",
            id="dossiers.E001",
        )
        for found in breaks
    ]
