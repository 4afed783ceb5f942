"""Background work of the connected systems (django-tasks): what a page asks of an outside
system runs here, so no page waits for it, and the workers deliver the outbound messages
(docs/integrations.md).

Delivery in the workers: every worker's upkeep thread runs `connectors_enqueue` every second
(`MOTCUA_DELIVERY_ENQUEUE_EVERY`; a periodic job registered in apps.py). It sends nothing itself
(a slow portal must not delay the heartbeat): it enqueues `connectors_pass_task` on the `sync`
queue, only when no such task is already waiting or running. The task runs one bounded pass over
every configured connector (`MOTCUA_DELIVERY_BATCH` messages, and `MOTCUA_DELIVERY_BUDGET`
seconds of starting sends), so a worker is never held long. Two passes that meet anyway (two
workers enqueueing at the same instant, or `manage.py run_connectors` beside the workers) cannot
send a message twice: a consumer is leased to one of them at a time."""

from __future__ import annotations

import logging
import time

from django.utils import timezone
from django_tasks import task

from motcua.background.selectors import task_waiting_or_running
from motcua.background.services import task_results_prune
from motcua.integrations import backbone, registry
from motcua.integrations import conf as delivery_conf
from motcua.integrations.national_portal import conf, satisfaction
from motcua.integrations.national_portal.catalogue import catalogue_import
from motcua.integrations.national_portal.client import PortalClient
from motcua.integrations.national_portal.connector import NationalPortalConnector
from motcua.integrations.national_portal.inbound import pull_filings, pull_requests
from motcua.integrations.national_portal.interface import PortalError
from motcua.integrations.services import consumer_lease, consumer_release
from motcua.lib.errors import InvalidInput

log = logging.getLogger("motcua.integrations")


@task(queue_name="sync")
def national_procedure_import_task(code: str) -> int:
    """Fetch procedure `code` from the national database (`LayThuTuc`) as a draft version; its id."""
    settings = conf.load()
    if not settings.configured:
        raise InvalidInput("MOTCUA_NATIONAL_PORTAL_URL is not set.", code="portal_not_configured")
    return catalogue_import(code=code, result=PortalClient(settings).fetch_procedure(code)).pk


def _portal_upkeep(connector: NationalPortalConnector, lease_seconds: float) -> None:
    """The monthly satisfaction summary when due, and the pull of the dossiers filed on the
    portal and of the requests made there on them (supplements, withdrawals, stops) when set:
    under the consumer's lease, so two workers never send a summary twice."""
    owner = backbone.worker_id()
    if not consumer_lease(connector.name, owner, timezone.now(), lease_seconds):
        return
    try:
        satisfaction.send_due(connector.portal)
        if connector.settings.pull:
            # Filings first: a request pulled in the same pass may be about a dossier just filed.
            for what, pull in (("filings", pull_filings), ("requests", pull_requests)):
                try:
                    pulled = pull(connector.portal, connector.settings)
                except PortalError as exc:
                    log.warning("The pull of %s failed (tried again on the next pass): %s", what, exc)
                    return
                if pulled.received or pulled.refused:
                    log.info("%s pulled: %s new, %s refused", what, pulled.received, len(pulled.refused))
    finally:
        consumer_release(connector.name, owner)


def connectors_pass(
    *, batch: int | None = None, lease_seconds: float | None = None, budget: float | None = None
) -> dict[str, backbone.PassResult]:
    """One pass of every configured connector (its periodic sends included), sending for at most
    `budget` seconds in all when given; each connector's result by name. Unset tunables come from
    the settings (`integrations/conf.py`)."""
    lease_seconds = lease_seconds or delivery_conf.load().lease_seconds
    stop_at = time.monotonic() + budget if budget is not None else None
    results: dict[str, backbone.PassResult] = {}
    for connector in registry.configured():
        if isinstance(connector, NationalPortalConnector):
            _portal_upkeep(connector, lease_seconds)
        left = max(stop_at - time.monotonic(), 0.0) if stop_at is not None else None
        results[connector.name] = backbone.run_pass(connector, batch=batch, lease_seconds=lease_seconds, budget=left)
    return results


@task(queue_name="sync")
def connectors_pass_task() -> int:
    """The workers' bounded pass over the connected systems; how many messages it sent."""
    settings = delivery_conf.load()
    results = connectors_pass(budget=settings.budget_seconds)
    task_results_prune(
        task_path=connectors_pass_task.module_path, finished_before=timezone.now() - settings.results_kept
    )
    return sum(result.sent for result in results.values())


def connectors_enqueue() -> bool:
    """Enqueue a pass unless one is waiting or running (the upkeep thread's job; it sends
    nothing); True if it enqueued one."""
    if not registry.configured() or task_waiting_or_running(connectors_pass_task.module_path):
        return False
    connectors_pass_task.enqueue()
    return True
