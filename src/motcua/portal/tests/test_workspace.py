"""Officer workspace: queues, the dossier page with only the allowed actions, Forms 04, 06 and 07."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.calendars.worktime import VN_TZ
from motcua.catalog.models import Field
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.portal.tests.conftest import current_version
from motcua.testing.world import World

pytestmark = pytest.mark.django_db

MONDAY = datetime(2025, 12, 1, 9, 0, tzinfo=VN_TZ)


def _processing(world: World, at: datetime | None = None) -> Dossier:
    dossier = world.register(at=at)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=at)
    return world.refresh(dossier)


def _actions(client: Client, dossier: Dossier) -> set[str]:
    html = client.get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    return {part.split('"')[0] for part in html.split('data-action="')[1:]}


def test_each_persona_sees_only_the_actions_the_table_allows(world: Any, login: Any) -> None:
    dossier = _processing(world)
    assert _actions(login(world.specialist), dossier) == {
        "hand_over",
        "request_supplement",
        "request_payment",
        "finish",
        "refuse",
    }
    assert _actions(login(world.leader), dossier) == {
        "hand_over",
        "request_supplement",
        "request_payment",
        "finish",
        "refuse",
        "approve",
        "apologise",
        "assign",
    }
    assert _actions(login(world.reception), dossier) == {"request_stop", "stop", "withdraw", "choose_delivery"}
    assert _actions(login(world.tax_specialist), dossier) == set()


def test_an_officer_of_another_unit_cannot_open_the_dossier(world: Any, login: Any) -> None:
    dossier = _processing(world)
    response = login(world.outsider).get(reverse("portal:office-dossier", args=[dossier.code]))
    assert response.status_code == 404
    forged = login(world.outsider).post(reverse("portal:office-act", args=[dossier.code, "finish"]))
    assert forged.status_code == 404
    assert world.refresh(dossier).status == Status.PROCESSING


def test_an_action_not_allowed_to_the_officer_is_refused_with_a_message(world: Any, login: Any) -> None:
    dossier = _processing(world)
    response = login(world.specialist).post(
        reverse("portal:office-act", args=[dossier.code, "approve"]), {"version": current_version(dossier)}, follow=True
    )
    assert "không thực hiện được thao tác này" in response.content.decode()
    assert world.refresh(dossier).approved_at is None


def test_the_dossier_page_shows_timeline_documents_and_the_current_step(world: Any, login: Any) -> None:
    dossier = _processing(world)
    html = login(world.specialist).get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    assert 'class="current" aria-current="step"' in html
    current = html.split('aria-current="step"')[1][:200]
    assert "Thẩm định" in current
    assert "Tiếp nhận (Mẫu 01)" in html
    assert "Chuyển xử lý" in html
    assert "Tờ khai" in html


def test_the_specialist_hands_over_and_a_domain_rule_shows_as_a_message(world: Any, login: Any) -> None:
    dossier = _processing(world)
    client = login(world.specialist)
    refused = client.post(
        reverse("portal:office-act", args=[dossier.code, "finish"]),
        {"version": current_version(dossier), "finish-note": ""},
        follow=True,
    )
    assert "Lãnh đạo phải phê duyệt trước khi chuyên viên hoàn thành xử lý." in refused.content.decode()
    empty = client.post(
        reverse("portal:office-act", args=[dossier.code, "hand_over"]),
        {"version": current_version(dossier)},
        follow=True,
    )
    assert "Hãy chọn bước tiếp theo hoặc cơ quan nhận." in empty.content.decode()
    done = client.post(
        reverse("portal:office-act", args=[dossier.code, "hand_over"]),
        {"version": current_version(dossier), "hand_over-to_step": "approve", "hand_over-note": "Đủ điều kiện"},
    )
    assert done.status_code == 302
    dossier = world.refresh(dossier)
    assert dossier.current_step.key == "approve"


def test_the_leader_approves_and_finishes(world: Any, login: Any) -> None:
    dossier = _processing(world)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve")
    client = login(world.leader)
    assert (
        client.post(
            reverse("portal:office-act", args=[dossier.code, "approve"]), {"version": current_version(dossier)}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("portal:office-act", args=[dossier.code, "finish"]), {"version": current_version(dossier)}
        ).status_code
        == 302
    )
    assert world.refresh(dossier).status == Status.PROCESSED


def test_an_action_posted_with_htmx_returns_the_page_for_swapping(world: Any, login: Any) -> None:
    dossier = _processing(world)
    response = login(world.leader).post(
        reverse("portal:office-act", args=[dossier.code, "apologise"]),
        {"version": current_version(dossier)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="dossier"' in response.content.decode()
    assert 'class="error"' in response.content.decode()


def test_the_leader_apologises_with_a_new_date_form_04(world: Any, login: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        dossier = _processing(world, at=MONDAY)
        client = login(world.leader)
        assert dossier.due_at is not None
        new_day = (dossier.due_at + timedelta(days=7)).astimezone(VN_TZ).date()
        response = client.post(
            reverse("portal:office-act", args=[dossier.code, "apologise"]),
            {
                "version": current_version(dossier),
                "apologise-reason": "Chờ xác minh",
                "apologise-new_date": new_day.isoformat(),
                "apologise-new_time": "16:00",
            },
        )
        assert response.status_code == 302
        dossier = world.refresh(dossier)
        assert dossier.reappointment_count == 1
        assert dossier.due_at.astimezone(VN_TZ).date() == new_day
        event = dossier.events.get(action="apologise")
        printed = client.get(reverse("portal:form-print", args=[dossier.code, event.seq])).content.decode()
        assert "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" in printed
        assert new_day.strftime("%d/%m/%Y") in printed
        twice = client.post(
            reverse("portal:office-act", args=[dossier.code, "apologise"]),
            {
                "version": current_version(dossier),
                "apologise-reason": "Lại",
                "apologise-new_date": new_day.isoformat(),
                "apologise-new_time": "17:00",
            },
            follow=True,
        )
        assert "Chỉ được hẹn lại một lần." in twice.content.decode()


def test_queues_split_due_today_soon_overdue_and_waiting(world: Any, login: Any) -> None:
    old = _processing(world, at=MONDAY - timedelta(days=40))
    fresh = _processing(world, at=MONDAY)
    waiting = _processing(world, at=MONDAY)
    ds.dossier_request_supplement(
        items=["Tờ khai có chữ ký"], dossier=waiting, actor=world.specialist, reason="Thiếu", at=MONDAY
    )
    client = login(world.specialist)
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        overdue = client.get(reverse("portal:queue"), {"queue": "overdue"}).content.decode()
        assert old.code in overdue
        assert fresh.code not in overdue
        assert "quá hạn" in overdue
        waiting_html = client.get(reverse("portal:queue"), {"queue": "waiting"}).content.decode()
        assert waiting.code in waiting_html
        assert fresh.code not in waiting_html
        all_html = client.get(reverse("portal:queue"), {"sort": "-received_at"}).content.decode()
        assert all_html.index(fresh.code) < all_html.index(old.code)
        assert "ngày làm việc" in all_html
        soon = client.get(reverse("portal:queue"), {"queue": "due_soon"}).content.decode()
        assert fresh.code not in soon  # ten working days away
    day_before_due = world.refresh(fresh).due_at - timedelta(hours=20)
    with time_machine.travel(day_before_due, tick=False):
        client = login(world.specialist)  # days later: the idle session has ended, the officer signs in again
        assert fresh.code in client.get(reverse("portal:queue"), {"queue": "due_soon"}).content.decode()


def test_the_queue_answers_htmx_with_the_table_only_and_handed_dossiers_show_for_the_sender(
    world: Any, login: Any
) -> None:
    dossier = _processing(world)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="tax")
    fragment = login(world.specialist).get(reverse("portal:queue"), {"queue": "handed"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html
    assert 'id="table"' in html
    assert dossier.code in html
    assert dossier.code in login(world.tax_specialist).get(reverse("portal:queue")).content.decode()


def test_citizens_cannot_open_the_workspace(world: Any, login: Any) -> None:
    assert login(world.citizen).get(reverse("portal:queue")).status_code == 403


def test_the_control_sheet_form_06_lists_each_hand_over(world: Any, login: Any) -> None:
    dossier = _processing(world)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="tax", note="Xác định thuế")
    html = login(world.specialist).get(reverse("portal:control-sheet", args=[dossier.code])).content.decode()
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in html
    assert "Xác định thuế" in html
    assert world.tax.name in html
    assert "Trước hạn" in html or "Đúng hạn" in html


def test_the_tracking_book_form_07_lists_the_period_and_links_the_excel_export(world: Any, login: Any) -> None:
    dossier = world.register(at=MONDAY)
    client = login(world.reception)
    params = {"agency": "H99.01", "start": "2025-12-01", "end": "2025-12-31"}
    html = client.get(reverse("portal:book"), params).content.decode()
    assert dossier.code in html
    assert reverse("portal:book-xlsx") in html
    assert (
        dossier.code
        not in client.get(
            reverse("portal:book"), {**params, "start": "2025-11-01", "end": "2025-11-30"}
        ).content.decode()
    )
    bad = client.get(reverse("portal:book"), {**params, "end": "2025-11-01"})
    assert "Ngày kết thúc trước ngày bắt đầu." in bad.content.decode()
    export = client.get(reverse("portal:book-xlsx"), params)
    assert export.status_code == 200
    assert export.content[:2] == b"PK"
    assert client.get(reverse("portal:book-xlsx"), {"agency": "H99.01"}).status_code == 400


def test_the_tracking_book_downloads_as_pdf_and_filters_by_field(world: Any, login: Any) -> None:
    dossier = world.register(at=MONDAY)
    client = login(world.reception)
    params = {"agency": "H99.01", "start": "2025-12-01", "end": "2025-12-31"}

    page = client.get(reverse("portal:book"), params).content.decode()
    pdf = client.get(reverse("portal:book-pdf"), params)
    Field.objects.create(code="XD", name="Xây dựng", name_en="Construction")
    other = client.get(reverse("portal:book"), {**params, "field": "XD"}).content.decode()
    same = client.get(reverse("portal:book"), {**params, "field": "LLTP"}).content.decode()

    assert reverse("portal:book-pdf") in page
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert "Không có hồ sơ tiếp nhận trong kỳ." in other
    assert dossier.code not in other
    assert dossier.code in same


def test_dates_are_written_dd_mm_yyyy_in_vietnam_time(world: Any, login: Any) -> None:
    late_evening_utc = datetime(2025, 12, 1, 16, 30, tzinfo=__import__("zoneinfo").ZoneInfo("UTC"))
    dossier = world.register(at=late_evening_utc, outside_hours_reason="Trực đêm")  # 23:30 on 01/12 in Hà Nội
    html = login(world.reception).get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    assert "23:30 ngày 01/12/2025" in html
    assert date(2025, 12, 2).strftime("%d/%m/%Y") not in html.split("23:30")[0][-50:]


def test_the_my_step_queue_holds_the_dossiers_at_a_step_for_the_officers_role(world: Any, login: Any) -> None:
    dossier = _processing(world)  # at "Thẩm định", a specialist's step
    specialist, leader = login(world.specialist), login(world.leader)
    assert dossier.code in specialist.get(reverse("portal:queue"), {"queue": "my_step"}).content.decode()
    assert dossier.code not in leader.get(reverse("portal:queue"), {"queue": "my_step"}).content.decode()
    ds.dossier_hand_over(dossier=world.refresh(dossier), actor=world.specialist, to_step="approve")
    assert dossier.code not in specialist.get(reverse("portal:queue"), {"queue": "my_step"}).content.decode()
    assert dossier.code in leader.get(reverse("portal:queue"), {"queue": "my_step"}).content.decode()
    # The leader of the department still sees it in the agency's queue of all open dossiers.
    assert dossier.code in leader.get(reverse("portal:queue")).content.decode()
