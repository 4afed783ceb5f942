"""How long an online dossier has waited for reception (`dossiers.selectors.reception_waits`)
and the queue's condition for those past the limit (`reception_overdue`) agree, to the
microsecond, for any instant: the condition is SQL with one comparison per agency."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from motcua.calendars.services import calendar_for
from motcua.calendars.worktime import subtract_working_time
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import RECEPTION_WAIT_COLUMNS, reception_overdue, reception_wait, reception_waits
from motcua.dossiers.tests.states import vn
from motcua.testing.world import World

FILED = [vn(2026, 5, 29, h, m) for h, m in ((7, 0), (8, 0), (10, 30), (12, 15), (16, 59))] + [
    vn(2026, 6, 1, h) for h in (8, 9, 12, 15)
]
NOWS = [vn(2026, 6, 1, 8, 30), vn(2026, 6, 1, 12, 30), vn(2026, 6, 1, 16, 59), vn(2026, 6, 2, 8), vn(2026, 6, 3, 11)]


def _flags(now: datetime) -> tuple[set[int], set[int]]:
    """The dossiers flagged past the limit at `now`: by the arithmetic, by the SQL condition."""
    rows = list(Dossier.objects.values(*RECEPTION_WAIT_COLUMNS))
    by_python = {pk for pk, wait in reception_waits(rows, now).items() if wait.overdue}
    agencies = {row["receiving_agency_id"] for row in rows}
    by_sql = set(Dossier.objects.filter(reception_overdue(agencies, now)).values_list("pk", flat=True))
    return by_python, by_sql


@pytest.mark.parametrize("now", NOWS)
@pytest.mark.parametrize("hours", [1, 8, 9])
def test_the_queue_condition_flags_exactly_the_dossiers_waiting_past_the_limit(
    world: World, settings: Any, now: datetime, hours: int
) -> None:
    settings.RECEPTION_WAIT_LIMIT_WORKING_HOURS = hours
    for at in FILED:
        if at <= now:
            world.submit(at=at)
    # One filed exactly at the boundary: the limit and no more is not past it.
    cal = calendar_for(world.centre.pk)
    boundary = subtract_working_time(now, timedelta(hours=hours), cal)
    exact = world.submit(at=boundary)

    by_python, by_sql = _flags(now)

    assert by_python == by_sql
    assert exact.pk not in by_sql
    assert reception_wait(world.refresh(exact), now).waited == timedelta(hours=hours)  # type: ignore[union-attr]


def test_a_dossier_completed_after_a_return_waits_from_its_completion(world: World) -> None:
    dossier = world.submit(at=vn(2026, 5, 28, 8))
    ds.dossier_return_for_completion(dossier=dossier, actor=world.reception, items=["CCCD"], at=vn(2026, 5, 28, 9))
    ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen, at=vn(2026, 6, 1, 9))

    for now, overdue in ((vn(2026, 6, 1, 17), False), (vn(2026, 6, 2, 11), True)):
        wait = reception_wait(world.refresh(dossier), now)
        assert wait is not None
        assert wait.since == vn(2026, 6, 1, 9)
        assert wait.overdue is overdue
        assert (dossier.pk in _flags(now)[1]) is overdue


def test_only_a_dossier_waiting_for_reception_has_a_wait(world: World) -> None:
    received = world.register(at=vn(2026, 6, 1, 9))
    returned = world.submit(at=vn(2026, 6, 1, 8))
    ds.dossier_return_for_completion(dossier=returned, actor=world.reception, items=["CCCD"], at=vn(2026, 6, 1, 9))

    assert reception_wait(received, vn(2026, 6, 3, 9)) is None
    assert world.refresh(returned).status == Status.RETURNED_FOR_COMPLETION
    assert reception_wait(world.refresh(returned), vn(2026, 6, 3, 9)) is None  # the applicant has it
