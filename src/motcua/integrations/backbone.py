"""The integration backbone: from the dossier event log to a connected system, losing nothing
and sending nothing twice (docs/architecture.md#connected-systems).

Each connected system is a *consumer* with a durable cursor over `DossierEvent.id`. A pass:

1. takes the consumer's lease (a conditional UPDATE, so on SQLite and PostgreSQL alike only one
   worker runs a consumer at a time; a crashed worker's lease simply expires; the lease is
   renewed every third of its length, so it must be well above the longest send);
2. *derives*: turns events after the cursor into `OutboundMessage` rows and moves the cursor, in
   one transaction. It re-reads a look-back window of ids below the cursor, so an event whose id
   was taken early but committed late (PostgreSQL sequences) is still picked up; the unique
   (consumer, event) constraint makes that re-read harmless;
3. *delivers*: sends due messages in id order, never a message while an earlier one of the same
   dossier is unsent (pending or dead), so a progress update never overtakes its dossier's
   creation. A failure is retried with exponential backoff and jitter; after `max_attempts` the
   message becomes a dead letter, which an administrator retries or discards.

A message is marked sent only after the other side answered; a worker killed between the answer
and the commit sends that one message again, so connectors make sends idempotent where the
contract allows (the national portal: "already exists" → resend as an update).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.integrations.models import Consumer, DossierSync, MessageState, OutboundMessage, SyncState
from motcua.lib.errors import InvalidInput, NotFound

log = logging.getLogger("motcua.integrations")

#: Ids below the cursor re-read on every pass, for events committed out of id order.
LOOKBACK_IDS = 1000


class DeliveryFailed(Exception):
    """The other side did not take the message; the backbone retries it later."""


class Connector(Protocol):
    """What the backbone needs from a connected system's consumer."""

    name: str
    max_attempts: int
    backoff_base_seconds: float
    backoff_cap_seconds: float

    def deliver(self, message: OutboundMessage) -> None:
        """Send one message; raise `DeliveryFailed` (or let a network error out) if not taken."""


@dataclass
class PassResult:
    derived: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    leased: bool = True


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff_delay(attempts: int, *, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds before try number `attempts + 1`: exponential, capped, with full jitter in [½, 1]."""
    ceiling = min(cap, base * (2.0 ** max(attempts - 1, 0)))
    return float(ceiling * (0.5 + rand() / 2))


def _lease(name: str, owner: str, now: datetime, seconds: float) -> bool:
    Consumer.objects.get_or_create(name=name)
    taken = Consumer.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner), name=name
    ).update(lease_owner=owner, lease_until=now + timedelta(seconds=seconds))
    return taken == 1


def _release(name: str, owner: str) -> None:
    Consumer.objects.filter(name=name, lease_owner=owner).update(lease_owner="", lease_until=None)


def derive(name: str, *, batch: int = 500) -> int:
    """Turn events after the cursor into pending messages; returns how many were new."""
    with transaction.atomic():
        consumer = Consumer.objects.get(name=name)
        floor = max(consumer.cursor - LOOKBACK_IDS, 0)
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
        for dossier_id in {d for _, d in late + fresh}:
            DossierSync.objects.get_or_create(consumer=name, dossier_id=dossier_id)
        DossierSync.objects.filter(consumer=name, dossier_id__in={d for _, d in late + fresh}).exclude(
            state=SyncState.FAILED
        ).update(state=SyncState.PENDING)
        return len(rows)


def _blocked(message: OutboundMessage) -> bool:
    return OutboundMessage.objects.filter(
        consumer=message.consumer,
        dossier_id=message.dossier_id,
        id__lt=message.id,
        state__in=[MessageState.PENDING, MessageState.DEAD],
    ).exists()


@transaction.atomic
def _after_failure(connector: Connector, message: OutboundMessage, error: str, now: datetime) -> bool:
    """Record a failed try; returns True if the message became a dead letter."""
    message.attempts += 1
    message.last_error = error[:2000]
    dead = message.attempts >= connector.max_attempts
    if dead:
        message.state = MessageState.DEAD
    else:
        delay = backoff_delay(message.attempts, base=connector.backoff_base_seconds, cap=connector.backoff_cap_seconds)
        message.next_attempt_at = now + timedelta(seconds=delay)
    message.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    DossierSync.objects.filter(consumer=message.consumer, dossier_id=message.dossier_id).update(
        state=SyncState.FAILED, last_error=message.last_error
    )
    return dead


@transaction.atomic
def _after_success(message: OutboundMessage, now: datetime) -> None:
    message.attempts += 1
    message.state = MessageState.SENT
    message.sent_at = now
    message.last_error = ""
    message.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    if not OutboundMessage.objects.filter(
        consumer=message.consumer, dossier_id=message.dossier_id, state__in=[MessageState.PENDING, MessageState.DEAD]
    ).exists():
        DossierSync.objects.filter(consumer=message.consumer, dossier_id=message.dossier_id).update(
            state=SyncState.SYNCED, last_error="", synced_at=now
        )


def deliver(connector: Connector, *, owner: str, batch: int = 200, lease_seconds: float = 120) -> PassResult:
    """Send up to `batch` due messages, in order, renewing the lease before each send."""
    result = PassResult()
    blocked_dossiers: set[int] = set()
    last_id = 0
    renewed = 0.0  # monotonic time of the last lease renewal; renewed every third of the lease
    while result.sent + result.failed < batch:
        now = timezone.now()
        due = list(
            OutboundMessage.objects.filter(
                consumer=connector.name, state=MessageState.PENDING, next_attempt_at__lte=now, id__gt=last_id
            ).order_by("id")[:50]
        )
        if not due:
            break
        for message in due:
            last_id = message.id
            if message.dossier_id in blocked_dossiers or _blocked(message):
                blocked_dossiers.add(message.dossier_id)
                continue
            if time.monotonic() - renewed > lease_seconds / 3:
                if not _lease(connector.name, owner, timezone.now(), lease_seconds):
                    result.leased = False
                    return result
                renewed = time.monotonic()
            try:
                connector.deliver(message)
            except Exception as exc:
                blocked_dossiers.add(message.dossier_id)
                result.failed += 1
                reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, DeliveryFailed) else str(exc)
                log.warning("%s: event %s not delivered: %s", connector.name, message.event_id, reason)
                if _after_failure(connector, message, reason, timezone.now()):
                    result.dead += 1
                continue
            _after_success(message, timezone.now())
            result.sent += 1
            if result.sent + result.failed >= batch:
                break
    return result


def run_pass(
    connector: Connector, *, owner: str | None = None, batch: int = 200, lease_seconds: float = 120
) -> PassResult:
    """One crash-safe pass of a consumer: derive new messages, then deliver due ones."""
    owner = owner or worker_id()
    if not _lease(connector.name, owner, timezone.now(), lease_seconds):
        return PassResult(leased=False)
    try:
        derived = derive(connector.name, batch=batch)
        result = deliver(connector, owner=owner, batch=batch, lease_seconds=lease_seconds)
        result.derived = derived
        return result
    finally:
        _release(connector.name, owner)


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


__all__ = [
    "Connector",
    "DeliveryFailed",
    "PassResult",
    "backoff_delay",
    "dead_letter_discard",
    "dead_letter_retry",
    "deliver",
    "derive",
    "run_pass",
]
