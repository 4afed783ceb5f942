"""Writes for fee payments of dossiers: a payment is requested (pending), then confirmed or
failed by the provider (the counter's cash desk, the national Payment Platform, a simulator)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.lib.errors import Conflict, InvalidInput
from motcua.payments.models import Payment, PaymentStatus


def payment_create(
    *,
    dossier: Dossier,
    amount_vnd: int,
    provider: str,
    online: bool = False,
    reference: str = "",
    requested_at: datetime | None = None,
) -> Payment:
    """A pending payment of `amount_vnd` for `dossier` through `provider`."""
    if amount_vnd <= 0:
        raise InvalidInput("The amount to pay must be more than 0 VND.", code="invalid_amount")
    if not provider.strip():
        raise InvalidInput("Name the payment provider.", code="provider_required")
    if reference and Payment.objects.filter(provider=provider, reference=reference).exists():
        raise Conflict("This transaction reference is already recorded.", code="duplicate_payment_reference")
    return Payment.objects.create(
        dossier=dossier,
        amount_vnd=amount_vnd,
        provider=provider.strip(),
        online=online,
        reference=reference,
        requested_at=requested_at or timezone.now(),
    )


@transaction.atomic
def payment_confirm(
    *, payment: Payment, paid_at: datetime | None = None, reference: str = "", fee_data_synced: bool = False
) -> Payment:
    """The provider reports the payment made; `fee_data_synced` once the fee data reached the
    national portal."""
    if payment.status != PaymentStatus.PENDING:
        raise Conflict(f"This payment is already {payment.status}.", code="payment_not_pending")
    payment.status = PaymentStatus.SUCCEEDED
    payment.paid_at = paid_at or timezone.now()
    payment.reference = reference or payment.reference
    payment.fee_data_synced = fee_data_synced
    payment.save(update_fields=["status", "paid_at", "reference", "fee_data_synced"])
    return payment


@transaction.atomic
def payment_fail(*, payment: Payment) -> Payment:
    """The provider reports the payment failed."""
    if payment.status != PaymentStatus.PENDING:
        raise Conflict(f"This payment is already {payment.status}.", code="payment_not_pending")
    payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["status"])
    return payment
