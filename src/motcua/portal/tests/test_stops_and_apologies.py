"""The pages of stopping and withdrawal (Circular 03/2025 Art. 7), of the late apology (Form 04)
and of receipts outside working hours: the citizen's dossier page, the officer's dossier page
and the counter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from motcua.calendars.worktime import VN_TZ
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.portal.tests.conftest import current_version
from motcua.portal.tests.test_counter import _intake
from motcua.testing.world import World

pytestmark = pytest.mark.django_db

#: Monday 01/6/2026 09:00; a 10-working-day dossier received then is due Monday 15/6 09:00.
MONDAY = datetime(2026, 6, 1, 9, 0, tzinfo=VN_TZ)


def _vn(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=VN_TZ)


def _processing(world: World) -> Dossier:
    dossier = world.register(at=MONDAY)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=_vn(1, 10))
    return world.refresh(dossier)


def test_the_citizen_asks_to_stop_and_the_one_stop_unit_issues_form_05(world: World, login: Any) -> None:
    dossier = _processing(world)
    citizen, reception = login(world.citizen), login(world.reception)
    own_page = reverse("portal:my-dossier", args=[dossier.code])
    assert 'action="/cua-toi/' in citizen.get(own_page).content.decode()

    with time_machine.travel(_vn(2, 20), tick=False):
        sent = citizen.post(
            reverse("portal:my-request", args=[dossier.code]),
            {"version": current_version(dossier), "kind": "stop", "reason": "Không còn nhu cầu"},
            follow=True,
        )
    assert 'data-testid="stop-requested"' in sent.content.decode()
    assert world.refresh(dossier).status == Status.PROCESSING

    officer_page = reception.get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    assert 'data-testid="stop-request"' in officer_page
    assert "02/06/2026" in officer_page
    # The request is recorded: the stop form asks for nothing more than the confirmation.
    assert 'name="stop-channel"' not in officer_page
    with time_machine.travel(_vn(3, 9), tick=False):
        done = reception.post(
            reverse("portal:office-act", args=[dossier.code, "stop"]), {"version": current_version(dossier)}
        )
    assert done.status_code == 302
    assert world.refresh(dossier).status == Status.STOPPED

    final = citizen.get(own_page).content.decode()
    event = DossierEvent.objects.get(dossier=dossier, action="stop")
    assert reverse("portal:form-print", args=[dossier.code, event.seq]) in final
    printed = citizen.get(reverse("portal:form-print", args=[dossier.code, event.seq])).content.decode()
    assert "Ngày 02/06/2026, Ông/Bà/Tổ chức đề nghị dừng giải quyết hồ sơ nêu trên (trực tuyến)." in printed
    assert world.citizen_person.id_number in printed


def test_the_officer_records_a_postal_withdrawal_with_its_date(world: World, login: Any) -> None:
    dossier = _processing(world)
    url = reverse("portal:office-act", args=[dossier.code, "withdraw"])
    version = current_version(dossier)

    missing = login(world.reception).post(url, {"version": version, "withdraw-reason": "Đơn rút"})
    done = login(world.reception).post(
        url,
        {
            "version": version,
            "withdraw-reason": "Đơn rút",
            "withdraw-channel": "post",
            "withdraw-requested_on": "2026-06-02",
        },
    )

    assert missing.status_code == 422
    assert done.status_code == 302
    event = DossierEvent.objects.get(dossier=dossier, action="withdraw")
    assert event.data["request"] == {"channel": "post", "requested_at": "2026-06-02T00:00:00+07:00"}


def test_a_citizen_cannot_withdraw_once_the_result_exists_and_is_told_why(world: World, login: Any) -> None:
    dossier = _processing(world)
    ds.dossier_finish(dossier=dossier, actor=world.leader, at=_vn(2, 9))
    citizen = login(world.citizen)

    assert (
        'action="/cua-toi/' + dossier.code + '/de-nghi-dung/"'
        not in citizen.get(reverse("portal:my-dossier", args=[dossier.code])).content.decode()
    )
    answer = citizen.post(
        reverse("portal:my-request", args=[dossier.code]),
        {"version": current_version(dossier), "kind": "withdraw", "reason": "Không cần nữa"},
        follow=True,
    )

    assert "không thể dừng hoặc rút" in answer.content.decode()
    assert world.refresh(dossier).status == Status.PROCESSED


@pytest.mark.parametrize(("at", "late"), [(_vn(12, 9), False), (_vn(16, 9), True)], ids=["in-time", "overdue"])
def test_an_apology_is_accepted_even_overdue_and_the_late_one_is_marked(
    world: World, login: Any, at: datetime, late: bool
) -> None:
    dossier = _processing(world)
    with time_machine.travel(at, tick=False):
        response = login(world.leader).post(
            reverse("portal:office-act", args=[dossier.code, "apologise"]),
            {
                "version": current_version(dossier),
                "apologise-reason": "Chờ kết quả xác minh",
                "apologise-new_date": "2026-06-22",
                "apologise-new_time": "16:00",
            },
        )
        officer_page = login(world.leader).get(reverse("portal:office-dossier", args=[dossier.code]))
    citizen_page = login(world.citizen).get(reverse("portal:my-dossier", args=[dossier.code])).content.decode()

    assert response.status_code == 302
    assert ('data-testid="late-apology"' in officer_page.content.decode()) is late
    # Until notifications exist, the applicant reads the apology on their dossier page.
    assert "Chờ kết quả xác minh" in citizen_page
    assert "16:00 ngày 22/06/2026" in citizen_page


def test_the_counter_asks_for_a_reason_outside_working_hours(world: World, login: Any) -> None:
    client = login(world.reception)
    without = {**_intake(world), "outside_hours_reason": ""}

    with time_machine.travel(_vn(6, 9), tick=False):  # a Saturday
        form = client.get(reverse("portal:counter-new"), {"procedure": "2.000488"}).content.decode()
        refused = client.post(reverse("portal:counter-new"), without)
        taken = client.post(
            reverse("portal:counter-new"), {**_intake(world), "outside_hours_reason": "Tiếp nhận phục vụ ngày thứ Bảy"}
        )

    assert 'name="outside_hours_reason"' in form
    assert refused.status_code == 422
    assert "ngoài giờ làm việc" in refused.content.decode()
    assert taken.status_code == 302
    event = DossierEvent.objects.get(action="receive")
    assert event.data["outside_hours_reason"] == "Tiếp nhận phục vụ ngày thứ Bảy"
