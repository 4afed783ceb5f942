"""Background work of the connected systems (django-tasks): what a page asks of an outside
system runs here, so no page waits for it (docs/integrations.md)."""

from __future__ import annotations

from django_tasks import task

from motcua.integrations.national_portal import conf
from motcua.integrations.national_portal.catalogue import catalogue_import
from motcua.integrations.national_portal.client import PortalClient
from motcua.lib.errors import InvalidInput


@task(queue_name="sync")
def national_procedure_import_task(code: str) -> int:
    """Fetch procedure `code` from the national database (`LayThuTuc`) as a draft version; its id."""
    settings = conf.load()
    if not settings.configured:
        raise InvalidInput("MOTCUA_NATIONAL_PORTAL_URL is not set.", code="portal_not_configured")
    return catalogue_import(code=code, result=PortalClient(settings).fetch_procedure(code)).pk
