"""The indicator catch-up runs in the background: each worker folds the event log every few
seconds, a change writes nothing for it, reads never write."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from motcua.background import periodic
from motcua.indicators.models import IndicatorFact
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import drilldown, open_data, scorecard
from motcua.indicators.tasks import catch_up_pass
from motcua.indicators.tests.conftest import Walker, vn
from motcua.payments.models import Payment, PaymentStatus
from motcua.testing.tasks import run_background_tasks

MARCH = parse_period("2026-03")
LATER = vn(2026, 6, 1)


def _task_rows() -> int:
    return DBTaskResult.objects.count()


def test_a_transition_writes_nothing_for_the_indicators_and_the_workers_pass_folds_it(world: Any, walk: Walker) -> None:
    with CaptureQueriesContext(connection) as queries:
        walk.counter(vn(2026, 3, 2, 9))  # one transaction, two events (registered, received)
    assert _task_rows() == 0, "no task row per change"
    assert not [q for q in queries.captured_queries if "indicator" in q["sql"].lower()]
    assert scorecard(world.province, MARCH, now=LATER).received == 0
    catch_up_pass()
    assert scorecard(world.province, MARCH, now=LATER).received == 1


def test_every_worker_runs_the_catch_up_as_a_periodic_job(settings: Any) -> None:
    jobs = {job.name: job for job in periodic.JOBS}
    assert jobs["indicators_catch_up"].run is catch_up_pass
    assert jobs["indicators_catch_up"].every == settings.MOTCUA["BACKGROUND"]["INDICATORS_CATCH_UP_EVERY"] == 2.0


def test_a_change_rolled_back_is_never_folded(world: Any, walk: Walker) -> None:
    def two_receipts_then_a_failure() -> None:
        with transaction.atomic():
            walk.counter(vn(2026, 3, 2, 9))
            walk.counter(vn(2026, 3, 3, 9))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        two_receipts_then_a_failure()
    assert catch_up_pass() == 0
    assert not IndicatorFact.objects.exists()


def test_a_new_payment_is_folded_by_the_next_pass(world: Any, walk: Walker) -> None:
    d = walk.counter(vn(2026, 3, 2, 9))
    catch_up_pass()
    assert catch_up_pass() == 0, "nothing new"
    Payment.objects.create(
        dossier=d,
        amount_vnd=100_000,
        status=PaymentStatus.SUCCEEDED,
        online=True,
        provider="counter",
        requested_at=vn(2026, 3, 2, 9),
        paid_at=vn(2026, 3, 2, 9),
    )
    assert catch_up_pass() == 1


def test_without_a_worker_each_change_catches_up_after_it_commits(
    world: Any, walk: Walker, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        walk.counter(vn(2026, 3, 2, 9))
    assert scorecard(world.province, MARCH, now=LATER).received == 1


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

    run_background_tasks()
    assert scorecard(world.province, MARCH, now=LATER).received == 1


def test_the_command_catches_up_by_hand(world: Any, walk: Walker) -> None:
    walk.counter(vn(2026, 3, 2, 9))
    out = StringIO()
    call_command("catch_up_indicators", stdout=out)
    assert "1 dossiers" in out.getvalue()
    assert scorecard(world.province, MARCH, now=LATER).received == 1
