"""Reads of the connected systems' delivery state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from motcua.integrations.models import DossierSync, MessageState, OutboundMessage


def dead_letters(consumer: str | None = None) -> QuerySet[OutboundMessage]:
    qs = OutboundMessage.objects.filter(state=MessageState.DEAD).select_related("dossier").order_by("id")
    return qs.filter(consumer=consumer) if consumer else qs


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
