"""The tunables of the delivery passes, shared by every connected system (`settings.DELIVERY`,
from the `MOTCUA_DELIVERY_*` environment variables; `.env.example`, docs/architecture.md,
"The integration backbone"). A system's own settings are in its sub-package's `conf.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class DeliverySettings:
    #: Messages one pass of a consumer sends at most; also the events it derives at most.
    batch: int = 100
    #: Seconds during which a workers' pass starts sends (a send under way finishes).
    budget_seconds: float = 3.0
    #: Seconds a consumer stays leased to one worker without news: well above the longest send.
    lease_seconds: float = 120.0
    #: Due messages read per query, with their dossiers and events: memory is bounded by it.
    read_ahead: int = 200
    #: Event ids below a consumer's cursor re-read on every pass (events committed out of order).
    lookback_ids: int = 1000
    #: Seconds between two checks of each worker's upkeep thread for a pass to enqueue.
    enqueue_every_seconds: float = 1.0
    #: How long the results of successful workers' passes are kept (a pass runs every second).
    results_kept: timedelta = timedelta(hours=1)


def load() -> DeliverySettings:
    """The delivery settings as they stand (`settings.DELIVERY`; a missing key keeps its default)."""
    raw: dict[str, Any] = getattr(settings, "DELIVERY", {})
    default = DeliverySettings()
    return DeliverySettings(
        batch=int(raw.get("BATCH", default.batch)),
        budget_seconds=float(raw.get("BUDGET", default.budget_seconds)),
        lease_seconds=float(raw.get("LEASE", default.lease_seconds)),
        read_ahead=int(raw.get("READ_AHEAD", default.read_ahead)),
        lookback_ids=int(raw.get("LOOKBACK_IDS", default.lookback_ids)),
        enqueue_every_seconds=float(raw.get("ENQUEUE_EVERY", default.enqueue_every_seconds)),
        results_kept=timedelta(hours=float(raw.get("RESULTS_KEPT_HOURS", 1.0))),
    )
