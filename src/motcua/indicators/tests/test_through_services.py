"""Indicators computed from dossiers moved through the real services (the `world` province)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.indicators.models import IndicatorCounter, IndicatorFact
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import drilldown, scorecard
from motcua.indicators.services import indicators_catch_up
from motcua.indicators.tests.conftest import Walker, vn
from motcua.testing.tasks import run_background_tasks

MARCH = parse_period("2026-03")
LATER = vn(2026, 6, 1)


def test_it_counts_on_time_and_late_dossiers_of_the_settling_agency_and_its_ancestors(world: Any, walk: Walker) -> None:
    fast = walk.to_processing(walk.counter(vn(2026, 3, 2, 9)), vn(2026, 3, 2, 10))
    walk.finish(fast, vn(2026, 3, 4, 10))  # due 16/3: on time
    twice = walk.to_processing(walk.counter(vn(2026, 3, 3, 9)), vn(2026, 3, 3, 10))
    twice = walk.supplement(twice, vn(2026, 3, 3, 11))
    twice = walk.resubmit(twice, vn(2026, 3, 3, 14))
    twice = walk.supplement(twice, vn(2026, 3, 3, 15))  # second request: late whatever happens
    walk.counter(vn(2026, 4, 1, 9))  # April: outside the period
    run_background_tasks()

    for agency in (world.justice, world.province):
        card = scorecard(agency, MARCH, now=LATER)
        assert (card.received, card.on_time) == (2, 1)
        assert card.item("2.1").points == pytest.approx(10.0)  # 20 × 1/2
    assert scorecard(world.commune, MARCH, now=LATER).received == 0
    late = {row["code"] for row in drilldown(world.province, MARCH, "late", now=LATER)}
    assert late == {twice.code}


def test_an_open_dossier_is_judged_at_the_period_end_or_now(world: Any, walk: Walker) -> None:
    d = walk.counter(vn(2026, 3, 2, 9))  # due 16/3 9:00
    run_background_tasks()
    assert scorecard(world.province, MARCH, now=vn(2026, 3, 10)).on_time == 1  # not yet due
    assert scorecard(world.province, MARCH, now=LATER).on_time == 0  # judged at 31/3 end: late
    assert IndicatorFact.objects.get(dossier=d).open is True


def test_the_apology_does_not_move_the_due_instant(world: Any, walk: Walker) -> None:
    d = walk.to_processing(walk.counter(vn(2026, 3, 2, 9)), vn(2026, 3, 2, 10))
    ds.dossier_apologise(
        dossier=world.refresh(d),
        actor=world.leader,
        reason="Chờ xác minh",
        new_due_at=vn(2026, 3, 30, 9),
        at=vn(2026, 3, 9),
    )
    walk.finish(d, vn(2026, 3, 20, 9))  # before the new date, after the receipt's appointment
    run_background_tasks()
    assert scorecard(world.province, MARCH, now=LATER).received == 1
    assert scorecard(world.province, MARCH, now=LATER).on_time == 0


def test_supplement_time_is_subtracted(world: Any, walk: Walker) -> None:
    d = walk.to_processing(walk.counter(vn(2026, 3, 2, 9)), vn(2026, 3, 2, 10))
    d = walk.supplement(d, vn(2026, 3, 3, 9))
    d = walk.resubmit(d, vn(2026, 3, 10, 9))  # 7 days waiting on the citizen
    d = walk.accept(d, vn(2026, 3, 10, 10))  # the officer's check counts against the agency
    walk.finish(d, vn(2026, 3, 20, 9))  # 20/3 − 7 days = 13/3 ≤ due 16/3
    run_background_tasks()
    card = scorecard(world.province, MARCH, now=LATER)
    assert card.on_time == 1


def test_online_and_digitisation_flags_follow_the_dossier(world: Any, walk: Walker) -> None:
    d = walk.to_processing(walk.online(vn(2026, 3, 2, 9)), vn(2026, 3, 2, 10))
    walk.finish(d, vn(2026, 3, 5, 9), electronic=True)
    walk.counter(vn(2026, 3, 3, 9))
    run_background_tasks()
    card = scorecard(world.province, MARCH, now=LATER)
    # both procedures are eligible; the online one has its e-result: 12 × 1/2
    assert (card.item("3.0").numerator, card.item("3.0").denominator) == (1, 2)
    assert card.item("3.0").points == pytest.approx(6.0)
    assert (card.item("4.1").numerator, card.item("4.1").denominator) == (1, 2)
    assert card.item("4.2").numerator == 1  # digitized component + e-result


def test_a_custom_range_reads_partial_months_from_facts(world: Any, walk: Walker) -> None:
    walk.counter(vn(2026, 2, 27, 9))
    walk.counter(vn(2026, 3, 2, 9))
    walk.counter(vn(2026, 3, 20, 9))
    run_background_tasks()
    assert scorecard(world.province, parse_period("2026-02-27..2026-03-05"), now=LATER).received == 2
    assert scorecard(world.province, parse_period("2026-Q1"), now=LATER).received == 3


def test_the_rebuild_command_reproduces_the_counters(world: Any, walk: Walker) -> None:
    d = walk.to_processing(walk.counter(vn(2026, 3, 2, 9)), vn(2026, 3, 2, 10))
    walk.finish(d, vn(2026, 3, 4, 9))
    walk.online(vn(2026, 3, 5, 9))
    indicators_catch_up()
    before = sorted(
        IndicatorCounter.objects.values_list("agency_id", "procedure_id", "month", "received", "on_time", "open")
    )
    call_command("rebuild_indicators")
    after = sorted(
        IndicatorCounter.objects.values_list("agency_id", "procedure_id", "month", "received", "on_time", "open")
    )
    assert before == after
    assert before[0][3] == 2


def _paid_online_march(world: Any) -> tuple[int, int]:
    """5.A computed straight from the tables, without the engine: dossiers received in March
    that carry a fee, and those of them paid online (at confirmation, or a succeeded online
    payment of the payments app)."""
    from django.db.models import Q

    from motcua.payments.models import Payment, PaymentStatus

    received = Dossier.objects.filter(received_at__range=(MARCH.start, MARCH.end), fee_vnd__gt=0)
    paid = Payment.objects.filter(online=True, status=PaymentStatus.SUCCEEDED).values_list("dossier_id", flat=True)
    return received.filter(Q(paid_online=True) | Q(pk__in=paid)).count(), received.count()


def test_online_payment_counts_only_dossiers_that_carry_a_fee(world: Any, walk: Walker) -> None:
    from motcua.payments.services import payment_confirm, payment_create

    # Two dossiers with the 200,000 VND fee: one paid online, one not paid.
    paid = walk.to_processing(walk.counter(vn(2026, 3, 2, 9)), vn(2026, 3, 2, 10))
    ds.dossier_request_payment(dossier=world.refresh(paid), actor=world.specialist, at=vn(2026, 3, 2, 11))
    ds.dossier_confirm_payment(
        dossier=world.refresh(paid), actor=world.specialist, amount_vnd=200_000, online=True, at=vn(2026, 3, 2, 12)
    )
    walk.counter(vn(2026, 3, 3, 9))
    # Two dossiers of the commune procedure, which has no fee, each with an online payment
    # (a charge that is not the procedure's fee): under the old rule 3 of 2 = 150 %.
    for day in (4, 5):
        free = ds.dossier_register(
            actor=world.commune_reception,
            version=world.commune_procedure,
            applicant=world.citizen_person,
            receiving_agency=world.commune_centre,
            settling_agency=world.commune,
            at=vn(2026, 3, day, 9),
        )
        payment = payment_create(dossier=free, amount_vnd=20_000, provider="payment_platform", online=True)
        payment_confirm(payment=payment, paid_at=vn(2026, 3, day, 10))
    run_background_tasks()

    item = scorecard(world.province, MARCH, now=LATER).item("5.A")
    assert (item.numerator, item.denominator) == _paid_online_march(world) == (1, 2)
    assert item.points == pytest.approx(3.0)  # 6 × 1/2
    assert [row["code"] for row in drilldown(world.province, MARCH, "paid_online", now=LATER)] == [paid.code]
