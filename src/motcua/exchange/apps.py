from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import DatabaseError
from django.utils.translation import pgettext_lazy


class ExchangeConfig(AppConfig):
    name = "motcua.exchange"
    verbose_name = pgettext_lazy("admin section", "Dossier exchange")

    def ready(self) -> None:
        checks.register(foreign_keys_in_place, checks.Tags.database)


def foreign_keys_in_place(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`manage.py check --database default`: no foreign key left aside or unvalidated by a bulk import."""
    if not databases or "default" not in databases:
        return []
    from motcua.exchange.bulk import applies, suspended, unvalidated_foreign_keys
    from motcua.exchange.importer import IMPORTED_MODELS

    if not applies():
        return []
    try:
        away = suspended()
        invalid = unvalidated_foreign_keys([m._meta.db_table for m in IMPORTED_MODELS])
    except DatabaseError:  # not migrated yet: `migrate` says so already
        return []
    found: list[checks.CheckMessage] = []
    if away:
        found.append(
            checks.Error(
                f"{len(away)} foreign key(s) were set aside by a bulk import that did not finish "
                f"({', '.join(str(k) for k in away[:3])}{', …' if len(away) > 3 else ''}).",
                hint="Run `manage.py import_dossiers --restore-constraints`.",
                id="exchange.E001",
            )
        )
    if invalid:
        found.append(
            checks.Warning(
                f"{len(invalid)} foreign key(s) are in force but not validated: rows written while they were "
                f"set aside break them ({', '.join(f'{t}.{n}' for t, n in invalid[:3])}).",
                hint="Correct those rows, then run `manage.py import_dossiers --restore-constraints`.",
                id="exchange.W001",
            )
        )
    return found
