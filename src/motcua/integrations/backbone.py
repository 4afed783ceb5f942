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
3. *delivers*: reads due messages in id order, a read-ahead at a time (`MOTCUA_DELIVERY_READ_AHEAD`),
   never sending a message while an earlier one of the same dossier is unsent (pending or dead),
   so a progress update never overtakes its dossier's creation. One query per read-ahead finds
   those earlier messages; the connector's `prepare` reads what the read-ahead needs; then each
   dossier's deliverable messages go as a *run*, one after the other (the connector may send
   what is common to the run once, e.g. the dossier's record). A failure is retried with
   exponential backoff and jitter; after `max_attempts` the message becomes a dead letter, which
   an administrator retries or discards.

A message is marked sent (one UPDATE, committed at once) only after the other side answered; a
worker killed between the answer and that commit sends that one message again, so connectors
make sends idempotent where the contract allows (the national portal: "already exists" → resend
as an update). The tunables are settings (`integrations/conf.py`, `MOTCUA_DELIVERY_*`).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone

from motcua.integrations import conf
from motcua.integrations.models import OutboundMessage
from motcua.integrations.selectors import due_messages, unsent_ids
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

    def prepare(self, messages: Sequence[OutboundMessage]) -> None:
        """Read what sending `messages` needs, in a few queries; called once per read-ahead,
        before any of them is sent."""

    def deliver(self, message: OutboundMessage, *, first: bool = True) -> None:
        """Send one message; raise `DeliveryFailed` (or let a network error out) if not taken.
        `first`: the first message of a run of its dossier's messages sent one after the other."""

    def settle(self) -> None:
        """Finish what the sends of a read-ahead left to do in one go; called after each
        read-ahead, and when a pass stops early."""


@dataclass
class PassResult:
    derived: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    leased: bool = True


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _runs(due: list[OutboundMessage], unsent: dict[int, list[int]], blocked: set[int]) -> list[list[OutboundMessage]]:
    """Each dossier's deliverable messages of a read-ahead, in order of their first message: a
    message goes only if every unsent message of its dossier with a smaller id goes before it in
    the same run. A dossier with a message held back joins `blocked` for the rest of the pass."""
    by_dossier: dict[int, list[OutboundMessage]] = {}
    for message in due:
        by_dossier.setdefault(message.dossier_id, []).append(message)
    runs = []
    for dossier_id, messages in by_dossier.items():
        if dossier_id in blocked:
            continue
        waiting = unsent.get(dossier_id, [])
        run = []
        for index, message in enumerate(messages):
            if index >= len(waiting) or waiting[index] != message.id:
                break
            run.append(message)
        if len(run) < len(messages):
            blocked.add(dossier_id)
        if run:
            runs.append(run)
    return runs


@dataclass
class _Pass:
    """What one delivery pass keeps between its sends."""

    connector: Connector
    owner: str
    batch: int
    lease_seconds: float
    stop_at: float | None
    result: PassResult
    blocked: set[int]
    renewed: float = float("-inf")  # monotonic time of the last lease renewal

    def may_send(self) -> bool:
        """False once the batch or the budget is spent, or the lease is lost (renewed every
        third of its length). The budget lets the first send of a pass start whatever the reads
        before it took, so every pass makes progress."""
        tried = self.result.sent + self.result.failed
        if tried >= self.batch:
            return False
        if self.stop_at is not None and tried and time.monotonic() >= self.stop_at:
            return False
        if time.monotonic() - self.renewed > self.lease_seconds / 3:
            if not consumer_lease(self.connector.name, self.owner, timezone.now(), self.lease_seconds):
                self.result.leased = False
                return False
            self.renewed = time.monotonic()
        return True

    def send_run(self, run: list[OutboundMessage]) -> bool:
        """Send a run of one dossier's messages in order, each marked sent as soon as it is
        taken; False when the pass must stop."""
        for index, message in enumerate(run):
            if not self.may_send():
                return False
            try:
                self.connector.deliver(message, first=index == 0)
            except Exception as exc:
                self.failed(message, exc)
                return True
            message_sent(message, timezone.now(), settle=index == len(run) - 1)
            self.result.sent += 1
        return True

    def failed(self, message: OutboundMessage, exc: Exception) -> None:
        connector = self.connector
        self.blocked.add(message.dossier_id)
        self.result.failed += 1
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
            self.result.dead += 1


def deliver(
    connector: Connector,
    *,
    owner: str,
    batch: int | None = None,
    lease_seconds: float | None = None,
    budget: float | None = None,
    read_ahead: int | None = None,
) -> PassResult:
    """Send up to `batch` due messages, in order per dossier, renewing the lease every third of
    its length; with a `budget` (seconds), no new send starts once it is spent (a send under way
    finishes; the first send of the pass always starts). Unset tunables come from the settings
    (`integrations/conf.py`)."""
    settings = conf.load()
    state = _Pass(
        connector=connector,
        owner=owner,
        batch=batch or settings.batch,
        lease_seconds=lease_seconds or settings.lease_seconds,
        stop_at=time.monotonic() + budget if budget is not None else None,
        result=PassResult(),
        blocked=set(),
    )
    last_id = 0
    while state.may_send():
        left = state.batch - state.result.sent - state.result.failed
        due = due_messages(
            connector.name, after=last_id, now=timezone.now(), limit=min(read_ahead or settings.read_ahead, left)
        )
        if not due:
            break
        last_id = due[-1].id
        runs = _runs(due, unsent_ids(connector.name, {m.dossier_id for m in due}, upto=last_id), state.blocked)
        if not runs:
            continue
        connector.prepare([message for run in runs for message in run])
        try:
            if not all(state.send_run(run) for run in runs):
                break
        finally:
            connector.settle()
    return state.result


def run_pass(
    connector: Connector,
    *,
    owner: str | None = None,
    batch: int | None = None,
    lease_seconds: float | None = None,
    budget: float | None = None,
) -> PassResult:
    """One crash-safe pass of a consumer: derive new messages, then deliver due ones (for at
    most `budget` seconds of starting sends, when given). Unset tunables come from the settings."""
    settings = conf.load()
    owner = owner or worker_id()
    batch = batch or settings.batch
    lease_seconds = lease_seconds or settings.lease_seconds
    if not consumer_lease(connector.name, owner, timezone.now(), lease_seconds):
        return PassResult(leased=False)
    try:
        derived = messages_derive(connector.name, batch=batch, lookback=settings.lookback_ids)
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
