"""A late apology (Form 04) through the API: accepted, and marked late for the reports (Lai Châu
Decision 88/2025/QĐ-UBND Art. 3.6; docs/legal-basis.md#late-results-and-the-new-date)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from motcua.api.tests.support import session_client
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import late_apologies
from motcua.dossiers.tests.states import T0, vn
from motcua.testing.world import World


def _processing(world: World) -> Dossier:
    dossier = world.register(at=T0)  # due Monday 15/6/2026 09:00
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=vn(2026, 6, 1, 10))
    return world.refresh(dossier)


@pytest.mark.parametrize(("at", "late"), [(vn(2026, 6, 11, 9), False), (vn(2026, 6, 15, 10), True)])
def test_the_api_accepts_an_apology_and_says_whether_it_was_late(world: World, at: datetime, late: bool) -> None:
    dossier = _processing(world)
    body = {
        "reason": "Chờ kết quả xác minh",
        "new_due_at": "2026-06-22T16:00:00+07:00",
        "expected_version": dossier.row_version,
    }
    client = session_client(world.leader)

    with time_machine.travel(at, tick=False):
        response = client.post(f"/api/v1/dossiers/{dossier.code}/apologise", body, content_type="application/json")
        assert response.status_code == 200, response.content
        again = client.post(
            f"/api/v1/dossiers/{dossier.code}/apologise",
            {**body, "new_due_at": "2026-06-29T16:00:00+07:00", "expected_version": response.json()["version"]},
            content_type="application/json",
        )
        detail = client.get(f"/api/v1/dossiers/{dossier.code}").json()  # in the session's lifetime

    assert response.json()["event"]["data"]["late"] is late
    assert detail["apology_late"] is late
    assert (again.status_code, again.json()["code"]) == (409, "already_reappointed")
    assert late_apologies().filter(pk=dossier.pk).exists() is late
