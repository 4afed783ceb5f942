"""The connected systems MotCua runs consumers for. Add the next system here."""

from __future__ import annotations

from collections.abc import Callable

from motcua.integrations.backbone import Connector
from motcua.integrations.national_portal import conf as portal_conf
from motcua.integrations.national_portal.connector import NationalPortalConnector


def _national_portal() -> Connector | None:
    settings = portal_conf.load()
    return NationalPortalConnector(settings) if settings.configured else None


#: name → factory; a factory answers None when the system is not configured.
CONNECTORS: dict[str, Callable[[], Connector | None]] = {portal_conf.CONSUMER: _national_portal}


def configured() -> list[Connector]:
    return [c for factory in CONNECTORS.values() if (c := factory()) is not None]
