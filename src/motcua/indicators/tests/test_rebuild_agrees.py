"""Incremental counters (catch-up after random workloads) equal counters rebuilt from history."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers import services as ds
from motcua.indicators.conf import indicator_settings
from motcua.indicators.engine import FLAGS, aggregate
from motcua.indicators.facts import load_facts
from motcua.indicators.models import IndicatorCounter, IndicatorFact
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import subtree_totals
from motcua.indicators.services import indicators_catch_up, indicators_rebuild
from motcua.indicators.tests.conftest import vn
from motcua.lib.errors import DomainError
from motcua.testing.world import ANY_HOUR_REASON

OPS = ("start", "supplement", "resubmit", "finish", "return", "stop", "withdraw", "pay", "catch_up")


def _snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    counters = sorted(
        tuple(row)
        for row in IndicatorCounter.objects.values_list("agency_id", "procedure_id", "month", *FLAGS)
        if any(row[3:])
    )
    facts = sorted(IndicatorFact.objects.values_list("code", "due", "supplement_requests", "spans", *FLAGS))
    return counters, facts


def _apply(world: Any, dossier: Any, op: str, at: Any) -> None:
    d = world.refresh(dossier)
    if op == "start":
        ds.dossier_start_processing(dossier=d, actor=world.reception, at=at)
    elif op == "supplement":
        ds.dossier_request_supplement(
            items=["Tờ khai có chữ ký"], dossier=d, actor=world.specialist, reason="Thiếu", at=at
        )
    elif op == "resubmit":
        ds.dossier_resubmit(dossier=d, actor=world.citizen, at=at)
    elif op == "finish":
        ds.dossier_finish(dossier=d, actor=world.leader, at=at, electronic_result=at.minute % 2 == 0)
    elif op == "return":
        ds.dossier_return_result(dossier=d, actor=world.reception, at=at)
    elif op == "stop":
        ds.dossier_stop(dossier=d, actor=world.reception, reason="Công dân đề nghị", channel="counter", at=at)
    elif op == "withdraw":
        ds.dossier_withdraw(dossier=d, actor=world.citizen, at=at)
    elif op == "pay":
        ds.dossier_request_payment(dossier=d, actor=world.specialist, at=at)
        d = world.refresh(d)
        ds.dossier_confirm_payment(dossier=d, actor=world.payments, amount_vnd=d.fee_vnd, online=True, at=at)


workload = st.lists(
    st.tuples(
        st.sampled_from(["counter", "online", "online_unreceived"]),
        st.integers(min_value=0, max_value=40),  # receipt offset in days from 1/3/2026
        st.lists(st.tuples(st.sampled_from(OPS), st.integers(min_value=1, max_value=200)), max_size=6),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workload=workload)
def test_incremental_counters_equal_the_rebuilt_ones(world: Any, workload: list[Any]) -> None:
    cfg = indicator_settings()
    for channel, offset, ops in workload:
        at = vn(2026, 3, 1, 9) + timedelta(days=offset)
        if channel == "counter":
            dossier = world.register(at=at, outside_hours_reason=ANY_HOUR_REASON)  # weekends are drawn too
        else:
            dossier = world.submit(at=at)
            if channel == "online":
                ds.dossier_receive(
                    dossier=world.refresh(dossier), actor=world.reception, outside_hours_reason=ANY_HOUR_REASON, at=at
                )
        for op, hours in ops:
            at += timedelta(hours=hours)
            if op == "catch_up":
                indicators_catch_up()
                continue
            # An action not allowed from the current status is refused; the workload goes on.
            with contextlib.suppress(DomainError):
                _apply(world, dossier, op, at)
    indicators_catch_up()
    incremental = _snapshot()

    # The counters answer exactly what the reference computation over all facts answers.
    now = vn(2026, 6, 1)
    period = parse_period("2026-03-01..2026-04-20")
    ids = list(IndicatorFact.objects.values_list("dossier_id", flat=True))
    reference = aggregate((f for f, _, _ in load_facts(ids, cfg).values()), period, now, cfg)
    served = subtree_totals(world.province, period, now, cfg).totals[world.province.pk]
    assert +served.counts == +reference.counts
    assert served.on_time == reference.on_time

    indicators_rebuild()
    assert _snapshot() == incremental
