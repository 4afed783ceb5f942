"""Parallel retries with the same `Idempotency-Key` all get the stored answer, never a 409.

Real parallel connections are needed (PostgreSQL): SQLite serialises writers, and its
append-only event trigger forbids the DELETE that flushes transactional tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from motcua.api.tests.support import session_client
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, IdempotencyRecord
from motcua.testing.world import ANY_HOUR_REASON

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Parallel requests need real parallel connections (PostgreSQL); SQLite serialises writers and "
        "its append-only event trigger forbids the DELETE that flushes transactional tests.",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 6


def _slowly(monkeypatch: Any, name: str) -> None:
    """Make a service take a moment, so that every parallel request arrives while the
    first is still working (the race is then certain, not left to luck)."""
    original = getattr(ds, name)

    def slow(**kwargs: Any) -> Any:
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(ds, name, slow)


def _in_parallel(clients: list[Client], send: Callable[[Client], Any]) -> list[tuple[int, Any]]:
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, Any]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(client: Client) -> None:
        try:
            barrier.wait(timeout=30)
            response = send(client)
            with lock:
                answers.append((response.status_code, response.json()))
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return answers


def test_parallel_retries_of_a_command_all_get_the_stored_answer(world: Any, monkeypatch: Any) -> None:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    _slowly(monkeypatch, "dossier_approve")
    clients = [session_client(world.leader) for _ in range(THREADS)]
    path = f"/api/v1/dossiers/{dossier.code}/approve"
    read_at = world.refresh(dossier).row_version

    answers = _in_parallel(
        clients,
        lambda client: client.post(
            path,
            {"note": "Đồng ý", "expected_version": read_at},
            content_type="application/json",
            headers={"Idempotency-Key": "approve-1"},
        ),
    )

    assert [status for status, _ in answers] == [200] * THREADS, answers
    assert all(body == answers[0][1] for _, body in answers)
    assert DossierEvent.objects.filter(dossier_id=dossier.pk, action="approve").count() == 1
    assert IdempotencyRecord.objects.filter(key="approve-1").count() == 1


def test_parallel_retries_of_a_filing_create_one_dossier(world: Any, monkeypatch: Any) -> None:
    _slowly(monkeypatch, "dossier_register")
    clients = [session_client(world.reception) for _ in range(THREADS)]
    body = {
        "procedure": "2.000488",
        "channel": "counter",
        "receiving_agency": "H99.01",
        "outside_hours_reason": ANY_HOUR_REASON,
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "components": [{"name": p.name, "required_document_id": p.required_document_id} for p in world.papers()],
    }

    answers = _in_parallel(
        clients,
        lambda client: client.post(
            "/api/v1/dossiers", body, content_type="application/json", headers={"Idempotency-Key": "file-1"}
        ),
    )

    assert [status for status, _ in answers] == [201] * THREADS, answers
    assert len({body["code"] for _, body in answers}) == 1
    assert Dossier.objects.count() == 1


def test_a_failed_first_request_leaves_the_key_free_for_the_retry(world: Any) -> None:
    dossier = world.register()  # received: "approve" is not allowed yet
    client = session_client(world.leader)
    path = f"/api/v1/dossiers/{dossier.code}/approve"
    headers = {"Idempotency-Key": "approve-early", "If-Match": str(dossier.row_version)}
    assert client.post(path, {}, content_type="application/json", headers=headers).status_code == 409
    assert not IdempotencyRecord.objects.filter(key="approve-early").exists()
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception)
    headers["If-Match"] = str(world.refresh(dossier).row_version)
    assert client.post(path, {}, content_type="application/json", headers=headers).status_code == 200
