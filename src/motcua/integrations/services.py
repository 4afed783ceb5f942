"""The writes of the connected systems: the backbone's delivery bookkeeping (per-system cursors
and leases, outbound messages, retries, dead letters, sync state). Called by the background
consumer (`backbone.py`), never by a page or an API request; the national portal's own writes
(inbound dossiers, monthly reports) are in `national_portal/services.py`."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.integrations import conf
from motcua.integrations.models import Consumer, DossierSync, MessageState, OutboundMessage, SyncState
from motcua.lib.errors import InvalidInput, NotFound


def backoff_delay(attempts: int, *, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds before try number `attempts + 1`: exponential, capped, with full jitter in [½, 1]."""
    ceiling = min(cap, base * (2.0 ** max(attempts - 1, 0)))
    return float(ceiling * (0.5 + rand() / 2))


def consumer_lease(name: str, owner: str, now: datetime, seconds: float) -> bool:
    """Take or renew the consumer's lease (a conditional UPDATE); False if another worker has it."""
    Consumer.objects.get_or_create(name=name)
    taken = Consumer.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner), name=name
    ).update(lease_owner=owner, lease_until=now + timedelta(seconds=seconds))
    return taken == 1


def consumer_release(name: str, owner: str) -> None:
    Consumer.objects.filter(name=name, lease_owner=owner).update(lease_owner="", lease_until=None)


def messages_derive(name: str, *, batch: int = 500, lookback: int | None = None) -> int:
    """Turn events after the cursor into pending messages; returns how many were new.

    It re-reads a look-back window of ids below the cursor (`lookback`, by default the
    `MOTCUA_DELIVERY_LOOKBACK_IDS` setting), so an event whose id was taken early but committed
    late (PostgreSQL sequences) is still picked up; the unique (consumer, event) constraint makes
    that re-read harmless. A handful of statements, whatever the batch."""
    lookback = conf.load().lookback_ids if lookback is None else lookback
    with transaction.atomic():
        consumer = Consumer.objects.get(name=name)
        floor = max(consumer.cursor - lookback, 0)
        known = set(
            OutboundMessage.objects.filter(
                consumer=name, event_id__gt=floor, event_id__lte=consumer.cursor
            ).values_list("event_id", flat=True)
        )
        late = [
            row
            for row in DossierEvent.objects.filter(id__gt=floor, id__lte=consumer.cursor).values_list(
                "id", "dossier_id"
            )
            if row[0] not in known
        ]
        fresh = list(
            DossierEvent.objects.filter(id__gt=consumer.cursor).order_by("id").values_list("id", "dossier_id")[:batch]
        )
        now = timezone.now()
        rows = [
            OutboundMessage(consumer=name, event_id=event_id, dossier_id=dossier_id, next_attempt_at=now)
            for event_id, dossier_id in late + fresh
        ]
        OutboundMessage.objects.bulk_create(rows, ignore_conflicts=True)
        if fresh:
            Consumer.objects.filter(name=name).update(cursor=fresh[-1][0])
        dossier_ids = sorted({d for _, d in late + fresh})
        if dossier_ids:
            DossierSync.objects.bulk_create(
                [DossierSync(consumer=name, dossier_id=d) for d in dossier_ids], ignore_conflicts=True
            )
            DossierSync.objects.filter(consumer=name, dossier_id__in=dossier_ids).exclude(
                state=SyncState.FAILED
            ).update(state=SyncState.PENDING)
        return len(rows)


@transaction.atomic
def message_failed(
    message: OutboundMessage, error: str, now: datetime, *, max_attempts: int, base: float, cap: float
) -> bool:
    """Record a failed try (next one after an exponential, jittered delay); True if the message
    became a dead letter."""
    message.attempts += 1
    message.last_error = error[:2000]
    dead = message.attempts >= max_attempts
    if dead:
        message.state = MessageState.DEAD
    else:
        message.next_attempt_at = now + timedelta(seconds=backoff_delay(message.attempts, base=base, cap=cap))
    message.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    DossierSync.objects.filter(consumer=message.consumer, dossier_id=message.dossier_id).update(
        state=SyncState.FAILED, last_error=message.last_error
    )
    return dead


def message_sent(message: OutboundMessage, now: datetime, *, settle: bool = True) -> None:
    """The other side took the message: one UPDATE, committed at once, so a worker killed after
    this point never sends it again. With `settle` (the last message of a run of its dossier),
    the dossier is marked synced in the same transaction if nothing of it is left unsent."""
    message.attempts += 1
    message.state = MessageState.SENT
    message.sent_at = now
    message.last_error = ""
    if not settle:
        _mark_sent(message)
        return
    with transaction.atomic():
        _mark_sent(message)
        unsent = OutboundMessage.objects.filter(
            consumer=OuterRef("consumer"),
            dossier_id=OuterRef("dossier_id"),
            state__in=[MessageState.PENDING, MessageState.DEAD],
        )
        DossierSync.objects.filter(consumer=message.consumer, dossier_id=message.dossier_id).filter(
            ~Exists(unsent)
        ).update(state=SyncState.SYNCED, last_error="", synced_at=now)


def _mark_sent(message: OutboundMessage) -> None:
    OutboundMessage.objects.filter(pk=message.pk).update(
        attempts=message.attempts, state=message.state, sent_at=message.sent_at, last_error=""
    )


def dossier_sync_mark_created(*, consumer: str, dossier_id: int) -> None:
    """The other side now holds the dossier's record: later sends are updates."""
    if not DossierSync.objects.filter(consumer=consumer, dossier_id=dossier_id).update(remote_created=True):
        DossierSync.objects.update_or_create(
            consumer=consumer, dossier_id=dossier_id, defaults={"remote_created": True}
        )


def dead_letter_retry(*, message_id: int) -> OutboundMessage:
    """Give a dead letter a fresh set of tries, now."""
    with transaction.atomic():
        message = _dead(message_id)
        message.state = MessageState.PENDING
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["state", "attempts", "next_attempt_at"])
        DossierSync.objects.filter(consumer=message.consumer, dossier_id=message.dossier_id).update(
            state=SyncState.PENDING
        )
    return message


def dead_letter_discard(*, message_id: int) -> OutboundMessage:
    """Give up on a dead letter: it is kept, marked discarded, and no longer holds its dossier back."""
    with transaction.atomic():
        message = _dead(message_id)
        message.state = MessageState.DISCARDED
        message.save(update_fields=["state"])
    return message


def _dead(message_id: int) -> OutboundMessage:
    try:
        message = OutboundMessage.objects.select_for_update().get(pk=message_id)
    except OutboundMessage.DoesNotExist:
        raise NotFound(f"No outbound message {message_id}.", code="message_not_found") from None
    if message.state != MessageState.DEAD:
        raise InvalidInput(f"Message {message_id} is {message.state}, not a dead letter.", code="not_dead_letter")
    return message
