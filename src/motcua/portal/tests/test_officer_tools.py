"""Officer tools on the pages: assignment from the dossier page to an "Assigned to me" queue,
search and deadline badges on the queues and the counter, the counter's procedure picker."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from motcua.calendars.worktime import VN_TZ
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.testing.world import World

pytestmark = pytest.mark.django_db

MONDAY = datetime(2025, 12, 1, 9, 0, tzinfo=VN_TZ)


def _processing(world: World) -> Dossier:
    dossier = world.register(at=MONDAY)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=MONDAY)
    return world.refresh(dossier)


def _queue(client: Any, **params: str) -> str:
    return str(client.get(reverse("portal:queue"), params).content.decode())


def test_a_leader_assigns_on_the_dossier_page_and_the_specialist_finds_it_assigned(world: Any, login: Any) -> None:
    dossier = _processing(world)
    other = _processing(world)
    leader = login(world.leader)
    page = leader.get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    assert 'value="specialist"' in page
    assert "Phạm Minh Đức" in page

    url = reverse("portal:office-act", args=[dossier.code, "assign"])
    empty = leader.post(url, {"version": dossier.row_version, "assign-assignee": "", "assign-unit": ""})
    assert empty.status_code == 422
    assert world.refresh(dossier).assignee_id is None
    done = leader.post(url, {"version": dossier.row_version, "assign-assignee": "specialist"}, follow=True)

    assert world.refresh(dossier).assignee_id == world.specialist.user_id
    assert 'data-testid="assignment"' in done.content.decode()
    mine = _queue(login(world.specialist), queue="assigned")
    assert dossier.code in mine
    assert other.code not in mine
    assert dossier.code not in _queue(leader, queue="assigned")


def test_the_specialist_cannot_assign_from_the_page(world: Any, login: Any) -> None:
    dossier = _processing(world)
    url = reverse("portal:office-act", args=[dossier.code, "assign"])
    login(world.specialist).post(url, {"version": dossier.row_version, "assign-assignee": "specialist"})
    assert world.refresh(dossier).assignee_id is None


def test_the_queue_searches_by_applicant_name_id_procedure_and_code(world: Any, login: Any) -> None:
    dossier = _processing(world)
    client = login(world.specialist)
    applicant = dossier.applicant
    for text in (applicant.full_name, applicant.full_name.split()[-1], applicant.id_number, dossier.code[-6:]):
        assert dossier.code in _queue(client, q=text), text
    assert dossier.code in _queue(client, q=dossier.procedure_version.name[:12])
    assert dossier.code not in _queue(client, q="Không có ai tên này")


def test_queue_rows_carry_a_deadline_badge_with_words(world: Any, login: Any) -> None:
    _processing(world)
    with time_machine.travel(MONDAY, tick=False):
        fresh = _queue(login(world.specialist))
    assert 'data-deadline="ok"' in fresh
    assert "Đúng hạn" in fresh


@pytest.mark.parametrize(
    ("left", "state", "words"),
    [
        (timedelta(hours=-1), "overdue", "Quá hạn"),
        (timedelta(0), "soon", "Sắp đến hạn"),
        (timedelta(hours=16), "soon", "Sắp đến hạn"),
        (timedelta(hours=17), "ok", "Đúng hạn"),
    ],
)
def test_the_deadline_badge_is_red_amber_or_green_with_its_words(left: timedelta, state: str, words: str) -> None:
    with translation.override("vi"):
        html = Template("{% load portal_tags %}{% deadline left %}").render(Context({"left": left}))
    assert f'class="deadline deadline-{state}"' in html
    assert words in html
    assert Template("{% load portal_tags %}{% deadline left %}").render(Context({"left": None})).strip() == "—"


def test_the_counter_lists_search_and_show_deadlines(world: Any, login: Any) -> None:
    dossier = world.register(at=MONDAY)
    client = login(world.reception)
    page = client.get(reverse("portal:counter")).content.decode()
    assert dossier.code in page
    assert "data-deadline=" in page
    assert dossier.code in client.get(reverse("portal:counter"), {"q": dossier.applicant.id_number}).content.decode()
    assert dossier.code not in client.get(reverse("portal:counter"), {"q": "Không có ai tên này"}).content.decode()


def test_the_counter_picker_searches_procedures_with_and_without_javascript(world: Any, login: Any) -> None:
    client = login(world.reception)
    name = world.procedure.name
    words = name.split()[-2:]
    plain = client.get(reverse("portal:counter-new"), {"find": " ".join(words), "list": "1"}).content.decode()
    assert "<form" in plain
    assert f'value="{world.procedure.procedure.code}"' in plain
    as_typed = client.get(reverse("portal:counter-new"), {"find": "xyzxyz"}, headers={"HX-Request": "true"})
    html = as_typed.content.decode()
    assert html.strip().startswith('<div id="procedure-options">')
    assert html.count("<option") == 1  # only the empty choice: nothing matches
    found = client.get(reverse("portal:counter-new"), {"find": words[-1]}, headers={"HX-Request": "true"})
    assert f'value="{world.procedure.procedure.code}"' in found.content.decode()
    assert "<html" not in found.content.decode()
