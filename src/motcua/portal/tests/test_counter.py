"""One-stop counter pages: walk-in reception with Form 01, online reception, supplement, refusal, return."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.people.models import Person
from motcua.portal.tests.conftest import current_version, pdf_upload
from motcua.testing.world import ANY_HOUR_REASON

pytestmark = pytest.mark.django_db


def _intake(world: Any, **overrides: Any) -> dict[str, Any]:
    docs = list(world.procedure.documents.all())
    data: dict[str, Any] = {
        "procedure": "2.000488",
        "id_number": "001190000123",
        "full_name": "Lò Thị Mai",
        "address": "Bản Mòng",
        "phone": "0987654321",
        "email": "",
        "channel": "counter",
        "sets": "1",
        "component": [str(d.pk) for d in docs],
        f"scan-{docs[1].pk}": pdf_upload("cccd.pdf"),
        "outside_hours_reason": ANY_HOUR_REASON,  # the suite may run outside working hours
    }
    data.update(overrides)
    return data


def test_counter_pages_are_for_officers_only(world: Any, login: Any) -> None:
    assert Client().get(reverse("portal:counter")).status_code == 302
    assert login(world.citizen).get(reverse("portal:counter")).status_code == 403
    assert login(world.reception).get(reverse("portal:counter")).status_code == 200
    assert login(world.specialist).get(reverse("portal:counter-new")).status_code == 403


def test_a_walk_in_dossier_is_received_and_the_receipt_printed(world: Any, login: Any) -> None:
    client = login(world.reception)
    picked = client.get(reverse("portal:counter-new"), {"procedure": "2.000488"})
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in picked.content.decode()
    response = client.post(reverse("portal:counter-new"), _intake(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED
    assert dossier.applicant == Person.objects.get(id_number="001190000123")
    assert dossier.components.count() == 2
    assert dossier.components.exclude(file="").count() == 1
    receipt = client.get(response["Location"], follow=True)
    html = receipt.content.decode()
    assert receipt.status_code == 200
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
    assert dossier.code in html
    assert "Lò Thị Mai" in html
    assert reverse("portal:qr", args=[dossier.code]) in html
    assert dossier.appointment_at is not None
    local = dossier.appointment_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh"))
    assert local.strftime("%d/%m/%Y") in html


def test_it_refuses_an_invalid_personal_id_with_a_message(world: Any, login: Any) -> None:
    response = login(world.reception).post(reverse("portal:counter-new"), _intake(world, id_number="12345"))
    assert response.status_code == 422
    assert "Số định danh cá nhân gồm 12 chữ số" in response.content.decode()
    assert not Dossier.objects.exists()


def test_it_will_not_receive_with_an_unchecked_component(world: Any, login: Any) -> None:
    docs = list(world.procedure.documents.all())
    response = login(world.reception).post(reverse("portal:counter-new"), _intake(world, component=[str(docs[0].pk)]))
    assert response.status_code == 422
    assert "nếu thiếu thì chưa tiếp nhận được hồ sơ" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_counter_queue_lists_online_dossiers_to_check(world: Any, login: Any) -> None:
    online = world.submit()
    html = login(world.reception).get(reverse("portal:counter")).content.decode()
    assert online.code in html
    assert "Hồ sơ trực tuyến chờ tiếp nhận" in html


def test_an_online_dossier_is_checked_and_received_with_every_component_ticked(world: Any, login: Any) -> None:
    dossier = world.submit()
    client = login(world.reception)
    page = client.get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    assert 'data-action="receive"' in page
    assert 'data-action="return_for_completion"' in page
    assert 'data-action="refuse"' in page
    assert 'data-action="request_supplement"' not in page  # the agency's, during processing
    unticked = client.post(
        reverse("portal:office-act", args=[dossier.code, "receive"]), {"version": current_version(dossier)}
    )
    assert unticked.status_code == 422
    assert "Đánh dấu từng thành phần" in unticked.content.decode()
    papers = ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp giấy tờ tùy thân"]
    done = client.post(
        reverse("portal:office-act", args=[dossier.code, "receive"]),
        {
            "version": current_version(dossier),
            "receive-checked": papers,
            "receive-outside_hours_reason": ANY_HOUR_REASON,
        },
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    follow = client.get(done["Location"]).content.decode()
    assert "In mẫu vừa lập" in follow


def test_an_online_dossier_returned_for_completion_prints_form_02_and_is_not_received(world: Any, login: Any) -> None:
    dossier = world.submit()
    client = login(world.reception)
    url = reverse("portal:office-act", args=[dossier.code, "return_for_completion"])
    done = client.post(
        url,
        {
            "version": current_version(dossier),
            "return_for_completion-items": ["Bản chụp giấy tờ tùy thân"],
            "return_for_completion-reason": "Ảnh mờ",
        },
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.received_at, dossier.due_at) == (Status.RETURNED_FOR_COMPLETION, None, None)
    event = dossier.events.get(action="return_for_completion")
    printed = client.get(reverse("portal:form-print", args=[dossier.code, event.seq])).content.decode()
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in printed
    assert "Bản chụp giấy tờ tùy thân" in printed
    again = client.post(
        url, {"version": current_version(dossier), "return_for_completion-other": "Lần hai"}, follow=True
    )
    assert "không thực hiện được thao tác này" in again.content.decode()


def test_a_return_for_completion_without_items_is_refused_with_the_form_02_rule(world: Any, login: Any) -> None:
    dossier = world.submit()
    client = login(world.reception)
    url = reverse("portal:office-act", args=[dossier.code, "return_for_completion"])

    page = client.post(
        url, {"version": current_version(dossier), "return_for_completion-reason": "Ảnh mờ"}, follow=True
    )

    assert "chọn hoặc ghi ít nhất một mục" in page.content.decode()
    assert world.refresh(dossier).status == Status.SUBMITTED


def test_a_refusal_is_confirmed_before_it_records_its_reasons(world: Any, login: Any) -> None:
    dossier = world.submit()
    client = login(world.reception)
    url = reverse("portal:office-act", args=[dossier.code, "refuse"])
    first = client.post(url, {"version": current_version(dossier), "refuse-reason": "Không thuộc thẩm quyền"})
    # The first press only shows what Form 03 will say and asks to confirm; nothing changes.
    assert first.status_code == 200
    assert 'data-testid="confirm-refuse"' in first.content.decode()
    assert world.refresh(dossier).status == Status.SUBMITTED
    response = client.post(
        url, {"version": current_version(dossier), "refuse-reason": "Không thuộc thẩm quyền", "confirmed": "1"}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.received_at) == (Status.REFUSED, None)
    assert "Không thuộc thẩm quyền" in client.get(response["Location"]).content.decode()


def test_the_result_is_returned_recording_the_collector_and_how(world: Any, login: Any) -> None:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    dossier = world.refresh(dossier)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve")
    dossier = world.refresh(dossier)
    ds.dossier_finish(dossier=dossier, actor=world.leader)
    client = login(world.reception)
    assert dossier.code in client.get(reverse("portal:counter")).content.decode()
    response = client.post(
        reverse("portal:office-act", args=[dossier.code, "return_result"]),
        {
            "version": current_version(dossier),
            "return_result-delivery": "post",
            "return_result-collected_by": "Bưu điện An Bình",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.result_delivery == "post"
    assert dossier.result_collected_by == "Bưu điện An Bình"


def test_the_counter_records_a_supplement_handed_in_on_paper_and_an_officer_accepts_it(world: Any, login: Any) -> None:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    ds.dossier_request_supplement(
        dossier=world.refresh(dossier), actor=world.specialist, reason="Thiếu", items=["Giấy A"]
    )
    client = login(world.reception)
    response = client.post(
        reverse("portal:office-act", args=[dossier.code, "resubmit"]),
        {
            "version": current_version(dossier),
            "resubmit-scans": [pdf_upload("giay-a.pdf")],
            "resubmit-note": "Nộp tại quầy",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_SUBMITTED  # never received by itself
    assert dossier.components.filter(name="giay-a.pdf").exists()
    assert dossier.code in client.get(reverse("portal:counter")).content.decode()
    accepted = client.post(
        reverse("portal:office-act", args=[dossier.code, "accept_supplement"]),
        # A receipt (a new Form 01): the suite may run outside working hours.
        {"version": current_version(dossier), "accept_supplement-outside_hours_reason": ANY_HOUR_REASON},
    )
    assert accepted.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    receipt = dossier.events.get(action="accept_supplement")
    printed = client.get(reverse("portal:form-print", args=[dossier.code, receipt.seq])).content.decode()
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in printed
    assert world.reception.name in printed


def test_a_dossier_refused_at_the_counter_leaves_no_new_applicant_behind(world: Any, login: Any) -> None:
    type(world.procedure).objects.filter(pk=world.procedure.pk).update(postal_allowed=False)
    before = Person.objects.count()
    response = login(world.reception).post(reverse("portal:counter-new"), _intake(world, channel="post"))
    assert response.status_code == 422
    assert not Dossier.objects.exists()
    assert Person.objects.count() == before
