"""Delivery state of the connected systems: one cursor per consumer, one outbound message per
(consumer, dossier event), and one sync state per (consumer, dossier)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Consumer(models.Model):
    """A connected system's durable cursor over the dossier event log, and its lease.

    `cursor` is the highest event id turned into messages; the lease lets one worker at a time
    run the consumer (docs/architecture.md#connected-systems)."""

    name = models.CharField(max_length=40, unique=True)
    cursor = models.BigIntegerField(default=0)
    lease_owner = models.CharField(max_length=100, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("connected-system consumer")
        verbose_name_plural = _("connected-system consumers")

    def __str__(self) -> str:
        return self.name


class MessageState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Dead letter")
    DISCARDED = "discarded", _("Discarded")


class OutboundMessage(models.Model):
    """One dossier event to deliver to one connected system."""

    consumer = models.CharField(max_length=40)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey("dossiers.DossierEvent", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["consumer", "event"], name="uniq_outbound_event")]
        indexes = [
            models.Index(fields=["consumer", "state", "id"], name="outbound_queue_idx"),
            models.Index(fields=["consumer", "dossier", "state"], name="outbound_dossier_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer}#{self.event_id}"


class SyncState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SYNCED = "synced", _("Synced")
    FAILED = "failed", _("Failed")


class DossierSync(models.Model):
    """What a connected system knows of one dossier."""

    consumer = models.CharField(max_length=40)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    remote_created = models.BooleanField(default=False, help_text="The dossier record exists on the other side.")
    state = models.CharField(max_length=10, choices=SyncState.choices, default=SyncState.PENDING)
    last_error = models.TextField(blank=True, default="")
    synced_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier sync state")
        verbose_name_plural = _("dossier sync states")
        constraints = [models.UniqueConstraint(fields=["consumer", "dossier"], name="uniq_dossier_sync")]


class InboundDossier(models.Model):
    """A dossier received from a connected system, by that system's code: a second delivery of
    the same code finds this row and creates nothing (the unique constraint decides races)."""

    source = models.CharField(max_length=40)
    external_id = models.CharField(max_length=64)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    attachments = models.JSONField(default=list, blank=True, help_text="The files as the system listed them.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inbound dossier")
        verbose_name_plural = _("inbound dossiers")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="uniq_inbound_dossier")]


class InboundRequestKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Supplement handed in")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    STOP = "stop", _("Request to stop")


class InboundRequest(models.Model):
    """A supplement, withdrawal or stop request the applicant made on a connected system for a
    dossier received from it, once applied. `key` is the delivery's identity (the system's own
    request code, or a digest of what it sent): a second delivery finds this row and changes
    nothing (the unique constraint decides races)."""

    source = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    external_id = models.CharField(max_length=64, help_text="The system's dossier code.")
    kind = models.CharField(max_length=12, choices=InboundRequestKind.choices)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey("dossiers.DossierEvent", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(
        null=True, blank=True, help_text="When the applicant made it, as the system says."
    )
    attachments = models.JSONField(default=list, blank=True, help_text="The files as the system listed them.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inbound request")
        verbose_name_plural = _("inbound requests")
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="uniq_inbound_request")]


class PeriodicReport(models.Model):
    """A report sent once per period to a connected system (e.g. the monthly satisfaction summary)."""

    consumer = models.CharField(max_length=40)
    kind = models.CharField(max_length=40)
    period = models.DateField(help_text="First day of the period.")
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        constraints = [models.UniqueConstraint(fields=["consumer", "kind", "period"], name="uniq_periodic_report")]
