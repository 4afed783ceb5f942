"""Reads of the connected systems' delivery state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, QuerySet

from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.integrations.models import DossierSync, InboundDossier, InboundRequest, MessageState, OutboundMessage

#: How far before the last received filing a pull looks again (a filing that reached the portal
#: late is still picked up; one received already creates nothing).
PULL_LOOKBACK = timedelta(days=1)


def dead_letters(consumer: str | None = None) -> QuerySet[OutboundMessage]:
    qs = OutboundMessage.objects.filter(state=MessageState.DEAD).select_related("dossier").order_by("id")
    return qs.filter(consumer=consumer) if consumer else qs


def remote_created(consumer: str, dossier_id: int) -> bool:
    """Whether the connected system already holds the dossier's record (later sends update it)."""
    return DossierSync.objects.filter(consumer=consumer, dossier_id=dossier_id, remote_created=True).exists()


@dataclass(frozen=True)
class SyncView:
    consumer: str
    state: str  # "synced", "pending" or "failed"
    last_error: str
    synced_at: datetime | None
    unsent: int


def dossier_sync_states(dossier_id: int) -> list[SyncView]:
    """Each connected system's view of one dossier, for its page."""
    views = []
    for sync in DossierSync.objects.filter(dossier_id=dossier_id).order_by("consumer"):
        unsent = OutboundMessage.objects.filter(
            consumer=sync.consumer, dossier_id=dossier_id, state__in=[MessageState.PENDING, MessageState.DEAD]
        ).count()
        views.append(SyncView(sync.consumer, sync.state, sync.last_error, sync.synced_at, unsent))
    return views


def latest_inbound_submission(source: str) -> datetime | None:
    """Where the next pull of `source`'s filings starts: shortly before the last one received."""
    last = (
        InboundDossier.objects.filter(source=source, dossier__submitted_at__isnull=False)
        .order_by("-dossier__submitted_at")
        .values_list("dossier__submitted_at", flat=True)
        .first()
    )
    return last - PULL_LOOKBACK if last else None


def procedure_drafts(limit: int = 50) -> QuerySet[ProcedureVersion]:
    """The procedure versions waiting for review (imported or not), newest first."""
    return (
        ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).select_related("procedure").order_by("-created_at")
    )[:limit]


def latest_inbound_request(source: str) -> datetime | None:
    """Where the next pull of `source`'s requests (supplements, withdrawals, stops) starts:
    shortly before the last one applied (by the date the system gave it, else its arrival)."""
    last = InboundRequest.objects.filter(source=source).aggregate(
        requested=Max("requested_at"), received=Max("received_at")
    )
    base = last["requested"] or last["received"]
    return base - PULL_LOOKBACK if base else None
