"""Reads of the connected systems' delivery state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Prefetch, QuerySet

from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
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


def remote_created_among(consumer: str, dossier_ids: Iterable[int]) -> set[int]:
    """Those of `dossier_ids` whose record the connected system already holds (one query)."""
    return set(
        DossierSync.objects.filter(
            consumer=consumer, dossier_id__in=list(dossier_ids), remote_created=True
        ).values_list("dossier_id", flat=True)
    )


def dossiers_to_publish(dossier_ids: Iterable[int]) -> dict[int, Dossier]:
    """The dossiers a connected system is sent, by id, with what their record shows (procedure,
    field, applicant, settling agency, papers in order, fees): four queries for any number."""
    rows = (
        Dossier.objects.filter(pk__in=list(dossier_ids))
        .select_related("procedure_version__procedure", "procedure_version__field", "applicant", "settling_agency")
        .prefetch_related(Prefetch("components", DossierComponent.objects.order_by("id")), "procedure_version__fees")
    )
    return {dossier.pk: dossier for dossier in rows}


def events_by_id(event_ids: Iterable[int]) -> dict[int, DossierEvent]:
    """Dossier events by id, with the acting agency (one query)."""
    return {
        event.pk: event for event in DossierEvent.objects.filter(pk__in=list(event_ids)).select_related("actor_agency")
    }


def due_messages(consumer: str, *, after: int, now: datetime, limit: int) -> list[OutboundMessage]:
    """The next `limit` pending messages of `consumer` due at `now`, with ids above `after`, in id order."""
    return list(
        OutboundMessage.objects.filter(
            consumer=consumer, state=MessageState.PENDING, next_attempt_at__lte=now, id__gt=after
        ).order_by("id")[:limit]
    )


def unsent_ids(consumer: str, dossier_ids: Iterable[int], *, upto: int) -> dict[int, list[int]]:
    """For each of `dossier_ids`, the ids up to `upto` of its unsent (pending or dead) messages,
    ascending: a message may go only once every smaller id of its dossier is sent (one query)."""
    found: dict[int, list[int]] = {}
    rows = OutboundMessage.objects.filter(
        consumer=consumer,
        dossier_id__in=list(dossier_ids),
        state__in=[MessageState.PENDING, MessageState.DEAD],
        id__lte=upto,
    ).order_by("id")
    for dossier_id, message_id in rows.values_list("dossier_id", "id"):
        found.setdefault(dossier_id, []).append(message_id)
    return found


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
