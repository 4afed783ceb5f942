"""The indicator catch-up runs in the background: changes enqueue it, reads never write."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from motcua.indicators.models import IndicatorFact
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import drilldown, open_data, scorecard
from motcua.indicators.tasks import indicators_catch_up_task
from motcua.indicators.tests.conftest import Walker, vn
from motcua.payments.models import Payment, PaymentStatus
from motcua.testing.tasks import run_background_tasks

MARCH = parse_period("2026-03")
LATER = vn(2026, 6, 1)


def _waiting() -> int:
    return DBTaskResult.objects.ready().filter(task_path=indicators_catch_up_task.module_path).count()


def test_a_transition_enqueues_one_catch_up_per_transaction(world: Any, walk: Walker) -> None:
    d = walk.counter(vn(2026, 3, 2, 9))  # one transaction, two events (registered, received)
    assert _waiting() == 1
    assert run_background_tasks() == 1
    assert _waiting() == 0
    walk.to_processing(d, vn(2026, 3, 2, 10))
    assert _waiting() == 1


def test_a_change_rolled_back_leaves_no_task(world: Any, walk: Walker) -> None:
    def two_receipts_then_a_failure() -> None:
        with transaction.atomic():
            walk.counter(vn(2026, 3, 2, 9))
            walk.counter(vn(2026, 3, 3, 9))
            assert _waiting() == 1, "one task per transaction, however many events"
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        two_receipts_then_a_failure()
    assert _waiting() == 0


def test_a_new_payment_enqueues_the_catch_up(world: Any, walk: Walker) -> None:
    d = walk.counter(vn(2026, 3, 2, 9))
    run_background_tasks()
    Payment.objects.create(
        dossier=d,
        amount_vnd=100_000,
        status=PaymentStatus.SUCCEEDED,
        online=True,
        provider="counter",
        requested_at=vn(2026, 3, 2, 9),
        paid_at=vn(2026, 3, 2, 9),
    )
    assert _waiting() == 1


def test_a_read_never_writes_and_shows_what_the_worker_folded(world: Any, walk: Walker) -> None:
    walk.counter(vn(2026, 3, 2, 9))
    with CaptureQueriesContext(connection) as queries:
        card = scorecard(world.province, MARCH, now=LATER)
        drilldown(world.province, MARCH, "received", now=LATER)
        open_data(period=MARCH)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert card.received == 0, "nothing folded before the worker runs"
    assert not IndicatorFact.objects.exists()

    assert run_background_tasks() == 1
    assert scorecard(world.province, MARCH, now=LATER).received == 1
    assert _waiting() == 0


def test_the_command_catches_up_by_hand(world: Any, walk: Walker) -> None:
    walk.counter(vn(2026, 3, 2, 9))
    out = StringIO()
    call_command("catch_up_indicators", stdout=out)
    assert "1 dossiers" in out.getvalue()
    assert scorecard(world.province, MARCH, now=LATER).received == 1
