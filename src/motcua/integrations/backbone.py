"""The integration backbone: from the dossier event log to a connected system, losing nothing
and sending nothing twice (docs/architecture.md#connected-systems). The loop is here; its
writes are the service functions of `integrations/services.py`.

Each connected system is a *consumer* with a durable cursor over `DossierEvent.id`. A pass:

1. takes the consumer's lease (a conditional UPDATE, so on SQLite and PostgreSQL alike only one
   worker runs a consumer at a time; a crashed worker's lease simply expires; the lease is
   renewed every third of its length, so it must be well above the longest send);
2. *derives* (`services.messages_derive`): turns events after the cursor into `OutboundMessage`
   rows and moves the cursor, in one transaction. It re-reads a look-back window of ids below
   the cursor, so an event whose id was taken early but committed late (PostgreSQL sequences)
   is still picked up; the unique (consumer, event) constraint makes that re-read harmless;
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
import socket
import time
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone

from motcua.integrations.models import MessageState, OutboundMessage
from motcua.integrations.services import (
    consumer_lease,
    consumer_release,
    message_failed,
    message_sent,
    messages_derive,
)

log = logging.getLogger("motcua.integrations")


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


def _blocked(message: OutboundMessage) -> bool:
    return OutboundMessage.objects.filter(
        consumer=message.consumer,
        dossier_id=message.dossier_id,
        id__lt=message.id,
        state__in=[MessageState.PENDING, MessageState.DEAD],
    ).exists()


def deliver(
    connector: Connector, *, owner: str, batch: int = 200, lease_seconds: float = 120, budget: float | None = None
) -> PassResult:
    """Send up to `batch` due messages, in order, renewing the lease before each send; with a
    `budget` (seconds), no new send starts once it is spent (a send under way finishes)."""
    result = PassResult()
    stop_at = time.monotonic() + budget if budget is not None else None
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
            if stop_at is not None and time.monotonic() >= stop_at:
                return result
            if message.dossier_id in blocked_dossiers or _blocked(message):
                blocked_dossiers.add(message.dossier_id)
                continue
            if time.monotonic() - renewed > lease_seconds / 3:
                if not consumer_lease(connector.name, owner, timezone.now(), lease_seconds):
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
                dead = message_failed(
                    message,
                    reason,
                    timezone.now(),
                    max_attempts=connector.max_attempts,
                    base=connector.backoff_base_seconds,
                    cap=connector.backoff_cap_seconds,
                )
                if dead:
                    result.dead += 1
                continue
            message_sent(message, timezone.now())
            result.sent += 1
            if result.sent + result.failed >= batch:
                break
    return result


def run_pass(
    connector: Connector,
    *,
    owner: str | None = None,
    batch: int = 200,
    lease_seconds: float = 120,
    budget: float | None = None,
) -> PassResult:
    """One crash-safe pass of a consumer: derive new messages, then deliver due ones (for at
    most `budget` seconds of starting sends, when given)."""
    owner = owner or worker_id()
    if not consumer_lease(connector.name, owner, timezone.now(), lease_seconds):
        return PassResult(leased=False)
    try:
        derived = messages_derive(connector.name, batch=batch)
        result = deliver(connector, owner=owner, batch=batch, lease_seconds=lease_seconds, budget=budget)
        result.derived = derived
        return result
    finally:
        consumer_release(connector.name, owner)


__all__ = [
    "Connector",
    "DeliveryFailed",
    "PassResult",
    "deliver",
    "run_pass",
]
