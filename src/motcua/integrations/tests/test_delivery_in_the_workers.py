"""The background workers deliver to the connected systems: each worker's upkeep thread only
enqueues a bounded pass on the `sync` queue, and the pass runs as a task (integrations/tasks.py)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.background import periodic
from motcua.background.models import WorkerHeartbeat
from motcua.dossiers import services as ds
from motcua.dossiers.models import DossierEvent
from motcua.integrations.national_portal.satisfaction import previous_month
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.integrations.tasks import connectors_enqueue, connectors_pass, connectors_pass_task
from motcua.integrations.tests.conftest import drain
from motcua.ratings.models import Rating, Satisfaction
from motcua.testing.tasks import run_background_tasks

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASS_TASK = connectors_pass_task.module_path


def _processed(world: Any, minute: int = 0) -> Any:
    at = datetime(2026, 6, 1, 8, minute, tzinfo=VN)
    dossier = world.submit(at=at)
    ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=at + timedelta(minutes=30))
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=at + timedelta(hours=1))
    return world.refresh(dossier)


def _expected() -> dict[str, list[list[str]]]:
    steps: dict[str, list[list[str]]] = {}
    for event in DossierEvent.objects.select_related("dossier").order_by("dossier_id", "seq"):
        steps.setdefault(event.dossier.code, []).append(
            [event.action, event.at.astimezone(VN).strftime("%Y%m%d%H%M%S")]
        )
    return steps


def _received(simulator: PortalSimulator) -> dict[str, list[list[str]]]:
    return {
        code: [[s["NoiDungXuLy"], s["ThoiDiemXuLy"]] for s in steps] for code, steps in simulator.progress.items()
    }


def _pass_tasks() -> int:
    return DBTaskResult.objects.filter(task_path=PASS_TASK).count()


def test_every_worker_checks_each_second_whether_a_delivery_pass_is_to_be_enqueued() -> None:
    [job] = [job for job in periodic.JOBS if job.name == "integrations_deliver"]

    assert job.run is connectors_enqueue
    assert job.every <= 2


def test_nothing_is_enqueued_while_no_connected_system_is_configured(db: Any, settings: Any) -> None:
    settings.NATIONAL_PORTAL = {**settings.NATIONAL_PORTAL, "URL": ""}

    assert connectors_enqueue() is False
    assert _pass_tasks() == 0


def test_a_pass_is_enqueued_only_when_none_is_waiting_or_running_and_enqueueing_sends_nothing(
    world: Any, simulator: PortalSimulator
) -> None:
    _processed(world)

    assert connectors_enqueue() is True
    assert connectors_enqueue() is False  # one is waiting
    row = DBTaskResult.objects.get(task_path=PASS_TASK)
    assert row.queue_name == "sync"
    row.claim("a-worker")
    assert connectors_enqueue() is False  # one is running
    assert simulator.calls == []  # the upkeep thread never talks to the portal

    row.set_successful(0)
    assert connectors_enqueue() is True
    assert _pass_tasks() == 2


def test_the_pass_a_worker_runs_sends_every_step_in_order_and_the_summary_when_due(
    world: Any, simulator: PortalSimulator
) -> None:
    dossier = _processed(world)
    month = previous_month(timezone.localdate())
    rated_at = datetime(month.year, month.month, 2, 9, tzinfo=VN)
    Rating.objects.create(dossier=dossier, satisfaction=Satisfaction.SATISFIED, scores={}, rated_at=rated_at)

    connectors_enqueue()
    assert run_background_tasks() == 1

    assert simulator.rejected == []
    assert _received(simulator) == _expected()
    [summary] = simulator.summaries
    assert summary["NgayTongHop"] == f"{month.month}-{month.year}"
    assert DBTaskResult.objects.get(task_path=PASS_TASK).status == TaskResultStatus.SUCCESSFUL


def test_a_pass_forgets_the_successful_passes_of_more_than_an_hour_ago_and_keeps_failed_ones(
    world: Any, simulator: PortalSimulator
) -> None:
    old, recent, failed = (connectors_pass_task.enqueue() for _ in range(3))
    for result_id, status, age in (
        (old.id, TaskResultStatus.SUCCESSFUL, 2),
        (recent.id, TaskResultStatus.SUCCESSFUL, 0.5),
        (failed.id, TaskResultStatus.FAILED, 2),
    ):
        DBTaskResult.objects.filter(pk=result_id).update(
            status=status, finished_at=timezone.now() - timedelta(hours=age)
        )

    connectors_enqueue()
    run_background_tasks()

    kept = set(DBTaskResult.objects.filter(task_path=PASS_TASK).values_list("pk", flat=True))
    assert {str(pk) for pk in kept} >= {str(recent.id), str(failed.id)}
    assert str(old.id) not in {str(pk) for pk in kept}
    assert len(kept) == 3  # the two kept and the pass that just ran


def test_a_pass_gives_the_worker_back_once_its_time_budget_is_spent_and_the_next_goes_on(
    world: Any, simulator: PortalSimulator
) -> None:
    for minute in range(3):
        _processed(world, minute)
    simulator.delay_seconds = 0.15  # each call of the portal takes this long

    started = time.monotonic()
    [result] = connectors_pass(budget=0.3).values()
    elapsed = time.monotonic() - started

    assert 1 <= result.sent < len(DossierEvent.objects.all())
    assert elapsed < 1.5  # the budget, plus the send under way when it ran out
    drain(next(iter(_connectors())))
    assert _received(simulator) == _expected()
    assert simulator.replays == 0


def _connectors() -> list[Any]:
    from motcua.integrations import registry

    return registry.configured()


# -- two real worker processes on PostgreSQL ------------------------------------------------------

DOSSIERS = 20


def _wait(what: str, condition: Callable[[], Any], timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting until {what}.")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_deliver_every_event_to_the_portal_once_and_in_order(
    workers: Callable[[], subprocess.Popen[bytes]], monkeypatch: Any
) -> None:
    from motcua.integrations.tests.seed import seed

    simulator = PortalSimulator(unit_code="000.00.31.H99", delay_seconds=0.05)  # longer than one pass in all
    url = simulator.start()
    for name, value in {
        "URL": url,
        "USERNAME": simulator.username,
        "PASSWORD": simulator.password,
        "UNIT_CODE": simulator.unit_code,
        "TIMEOUT": "2",
        "BACKOFF_BASE": "0",
    }.items():
        monkeypatch.setenv(f"MOTCUA_NATIONAL_PORTAL_{name}", value)
    try:
        workers(), workers()
        _wait("both workers beat", lambda: WorkerHeartbeat.objects.count() == 2)
        seed(DOSSIERS)  # committed while the workers run
        for _ in range(3):  # passes that meet on purpose: the consumer's lease keeps them apart
            connectors_pass_task.enqueue()
        expected = _expected()
        total = sum(len(steps) for steps in expected.values())
        _wait("every step reached the portal", lambda: sum(len(s) for s in simulator.progress.values()) >= total)
        time.sleep(1.5)  # room for a duplicate to show up, if any
    finally:
        simulator.stop()

    assert simulator.rejected == []
    assert _received(simulator) == expected  # each step once, in order per dossier
    assert simulator.replays == 0
    assert set(simulator.dossiers) == set(expected)
    passes = DBTaskResult.objects.filter(task_path=PASS_TASK, status=TaskResultStatus.SUCCESSFUL)
    assert len({worker for row in passes for worker in row.worker_ids}) == 2  # both workers ran passes
    assert passes.count() > 3  # and the workers enqueued passes of their own
