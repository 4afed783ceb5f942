"""Payments: requested pending, then confirmed or failed once, each reference recorded once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from motcua.calendars.worktime import VN_TZ
from motcua.lib.errors import Conflict, InvalidInput
from motcua.payments.models import Payment, PaymentStatus
from motcua.payments.services import payment_confirm, payment_create, payment_fail


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def test_a_payment_is_requested_then_confirmed(world: Any) -> None:
    dossier = world.register()
    payment = payment_create(
        dossier=dossier, amount_vnd=200_000, provider="simulator", online=True, requested_at=vn(2026, 3, 2, 9)
    )
    assert payment.status == PaymentStatus.PENDING

    payment_confirm(payment=payment, paid_at=vn(2026, 3, 2, 10), reference="PAY1", fee_data_synced=True)

    stored = Payment.objects.get(pk=payment.pk)
    assert (stored.status, stored.paid_at, stored.reference, stored.fee_data_synced) == (
        PaymentStatus.SUCCEEDED,
        vn(2026, 3, 2, 10),
        "PAY1",
        True,
    )


def test_a_payment_is_confirmed_or_failed_only_while_pending(world: Any) -> None:
    payment = payment_create(dossier=world.register(), amount_vnd=200_000, provider="counter")
    payment_fail(payment=payment)

    with pytest.raises(Conflict) as caught:
        payment_confirm(payment=payment)

    assert caught.value.code == "payment_not_pending"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED


def test_it_refuses_a_payment_of_nothing_or_a_reference_recorded_twice(world: Any) -> None:
    dossier = world.register()
    with pytest.raises(InvalidInput) as caught:
        payment_create(dossier=dossier, amount_vnd=0, provider="counter")
    assert caught.value.code == "invalid_amount"
    payment_create(dossier=dossier, amount_vnd=1_000, provider="simulator", reference="PAY1")
    with pytest.raises(Conflict) as twice:
        payment_create(dossier=dossier, amount_vnd=1_000, provider="simulator", reference="PAY1")
    assert twice.value.code == "duplicate_payment_reference"
    assert Payment.objects.count() == 1
