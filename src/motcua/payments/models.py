"""Fee payments of dossiers (Decree 118/2025 Art. 24; the national payment platform, docs/legal-basis.md#rules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Paid")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")


class Payment(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    status = models.CharField(max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    online = models.BooleanField(_("paid online"), default=False)
    provider = models.CharField(
        _("provider"), max_length=40, help_text=_("counter, national_payment_platform, simulator, …")
    )
    reference = models.CharField(_("transaction reference"), max_length=100, blank=True, default="")
    fee_data_synced = models.BooleanField(_("fee data synced to the national portal"), default=False)
    requested_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["dossier_id", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"], condition=~models.Q(reference=""), name="uniq_payment_reference"
            )
        ]
