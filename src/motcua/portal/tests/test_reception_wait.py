"""The officer's queue and the dossier page show how long an online dossier has waited for
reception, in the receiving agency's working time, and flag it past
`MOTCUA_RECEPTION_WAIT_LIMIT_WORKING_HOURS`; a queue lists those waiting, another those past
the limit, with no query per row."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers import services as ds
from motcua.dossiers.tests.states import vn
from motcua.testing.world import World

pytestmark = pytest.mark.django_db

#: Monday 01/6/2026 16:00, when the officer opens the queue.
NOW = vn(2026, 6, 1, 16)


def _row(html: str, code: str) -> str:
    """The table row of dossier `code`."""
    at = html.index(f">{code}</a>")
    return html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]


def _queue(client: Any, **params: str) -> str:
    with time_machine.travel(NOW, tick=False):
        return str(client.get(reverse("portal:queue"), params).content.decode())


def _dossiers(world: World) -> dict[str, Any]:
    fresh = world.submit(at=vn(2026, 6, 1, 15))  # an hour ago
    old = world.submit(at=vn(2026, 5, 29, 8))  # Friday morning: well past 8 working hours
    # Filed on Friday, returned for completion, completed an hour ago: it waits since then.
    completed = world.submit(at=vn(2026, 5, 29, 8))
    ds.dossier_return_for_completion(dossier=completed, actor=world.reception, items=["CCCD"], at=vn(2026, 5, 29, 9))
    ds.dossier_resubmit(dossier=world.refresh(completed), actor=world.citizen, at=vn(2026, 6, 1, 15))
    received = world.register(at=vn(2026, 6, 1, 9))
    return {"fresh": fresh.code, "old": old.code, "completed": completed.code, "received": received.code}


def test_the_queue_shows_each_online_dossiers_wait_for_reception_and_flags_the_one_past_the_limit(
    world: World, login: Any
) -> None:
    codes = _dossiers(world)

    html = _queue(login(world.reception))

    fresh, old, completed = (_row(html, codes[k]) for k in ("fresh", "old", "completed"))
    assert 'data-reception-wait="waiting"' in fresh
    assert "Chờ tiếp nhận · 1 giờ" in fresh
    assert 'data-reception-wait="overdue"' in old
    assert 'class="overdue"' in old
    assert "Chờ tiếp nhận quá giới hạn" in old
    assert 'data-reception-wait="waiting"' in completed  # counted from its completion
    assert "data-reception-wait" not in _row(html, codes["received"])  # received: its deadline instead
    assert "data-deadline=" in _row(html, codes["received"])


def test_the_reception_queues_list_those_waiting_the_longest_first_and_those_past_the_limit(
    world: World, login: Any
) -> None:
    codes = _dossiers(world)
    client = login(world.reception)

    waiting = _queue(client, queue="reception")
    late = _queue(client, queue="reception_late")

    assert codes["received"] not in waiting
    assert waiting.index(codes["old"]) < waiting.index(codes["fresh"])  # filed first, listed first
    assert codes["old"] in late
    for code in (codes["fresh"], codes["completed"], codes["received"]):
        assert code not in late


def test_the_limit_is_a_setting(world: World, login: Any, settings: Any) -> None:
    codes = _dossiers(world)
    settings.RECEPTION_WAIT_LIMIT_WORKING_HOURS = 40
    client = login(world.reception)

    html = _queue(client)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("portal:office-dossier", args=[codes["old"]])).content.decode()

    assert 'data-reception-wait="waiting"' in _row(html, codes["old"])
    assert codes["old"] not in _queue(client, queue="reception_late")
    assert 'data-testid="reception-wait">' in page  # shown, not flagged


def test_the_dossier_page_flags_a_wait_past_the_limit_in_words(world: World, login: Any) -> None:
    codes = _dossiers(world)
    client = login(world.reception)

    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("portal:office-dossier", args=[codes["old"]])).content.decode()

    assert 'data-testid="reception-wait" class="overdue-text" data-overdue="1"' in page
    assert "quá giới hạn 1 ngày làm việc" in page


def test_the_wait_costs_no_query_per_row(world: World, login: Any) -> None:
    _dossiers(world)
    client = login(world.reception)
    _queue(client)  # the agency's calendar is read once, then kept

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _queue(client)
        return len(captured)

    few = queries()
    for hour in range(8, 12):
        world.submit(at=vn(2026, 5, 28, hour))
    completed = world.submit(at=vn(2026, 5, 28, 8))
    ds.dossier_return_for_completion(dossier=completed, actor=world.reception, items=["CCCD"], at=vn(2026, 5, 28, 9))
    ds.dossier_resubmit(dossier=world.refresh(completed), actor=world.citizen, at=vn(2026, 5, 29, 9))

    assert queries() == few


def test_the_counters_list_of_online_dossiers_shows_their_wait_too(world: World, login: Any) -> None:
    codes = _dossiers(world)

    with time_machine.travel(NOW, tick=False):
        html = login(world.reception).get(reverse("portal:counter")).content.decode()

    assert 'data-reception-wait="overdue"' in _row(html, codes["old"])
    assert 'class="overdue"' in _row(html, codes["old"])
    assert 'data-reception-wait="waiting"' in _row(html, codes["fresh"])
