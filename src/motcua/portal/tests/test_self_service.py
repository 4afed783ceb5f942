"""The citizen's own dossier page (issue 12 item 6): what was filed, exactly as filed; how to
receive the result; withdrawal with a confirmation; after a refusal the reason and the refusal
form, never the old appointment. The officer sees the citizen's choice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.portal.services import draft_create, draft_save, draft_submit
from motcua.portal.templatetags.portal_tags import vndate
from motcua.portal.tests.conftest import current_version, pdf_upload
from motcua.testing.world import World

pytestmark = pytest.mark.django_db

ADDRESS = "12 Trần Phú, phường Ba Đình, Hà Nội"


def _filed_online(world: World, version: Any) -> Dossier:
    """A dossier filed through the portal's draft: the e-form and the birth certificate's scan."""
    draft = draft_create(owner=world.citizen_person, version=version)
    form = {"ho_ten": "Nguyễn Văn Bình", "ngay_sinh": "2026-05-20", "gioi_tinh": "Nam", "so_ban": 2}
    form["nguoi_nhan"] = {"so_dinh_danh": "001090123456"}
    slot = version.documents.get(name="Giấy chứng sinh")
    draft_save(draft=draft, form_data=form, uploads={slot: pdf_upload("giay-chung-sinh.pdf")})
    return draft_submit(draft=draft, actor=world.citizen, applicant=world.citizen_person)


def _processing(world: World) -> Dossier:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    return world.refresh(dossier)


def _page(client: Any, dossier: Dossier) -> str:
    response = client.get(reverse("portal:my-dossier", args=[dossier.code]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_citizen_reads_every_answer_and_paper_as_filed(world: World, login: Any, eform_procedure: Any) -> None:
    dossier = _filed_online(world, eform_procedure)
    page = _page(login(world.citizen), dossier)

    for label, value in [
        ("Họ và tên", "Nguyễn Văn Bình"),
        ("Ngày sinh", "20/05/2026"),
        ("Giới tính", "Nam"),
        ("Số bản", "2"),
        ("Người nhận › Số định danh", "001090123456"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page, label
    scan = dossier.components.get(name="Giấy chứng sinh")
    link = reverse("portal:component-file", args=[dossier.code, scan.pk])
    assert f'<a href="{link}">giay-chung-sinh.pdf' in page
    assert "khai trực tuyến: xem tờ khai ở trên" in page  # the declaration is the e-form itself
    assert login(world.citizen).get(link).status_code == 200
    # the file is the applicant's: another citizen gets nothing, not even its existence
    assert login(world.other_citizen).get(link).status_code == 404


def test_the_citizen_chooses_the_post_and_the_officer_sees_it(world: World, login: Any) -> None:
    dossier = _processing(world)
    citizen = login(world.citizen)
    url = reverse("portal:my-delivery", args=[dossier.code])
    assert f'action="{url}"' in _page(citizen, dossier)

    refused = citizen.post(url, {"version": current_version(dossier), "delivery": "post", "address": " "})
    assert refused.status_code == 422
    assert "Nhập địa chỉ nhận kết quả qua bưu chính." in refused.content.decode()
    assert not DossierEvent.objects.filter(dossier=dossier, action="choose_delivery").exists()

    done = citizen.post(url, {"version": current_version(dossier), "delivery": "post", "address": ADDRESS})
    assert done.status_code == 302
    assert ADDRESS in _page(citizen, dossier)

    officer = login(world.reception).get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    assert f"Qua dịch vụ bưu chính công ích: {ADDRESS}" in officer
    ds.dossier_finish(dossier=world.refresh(dossier), actor=world.leader)
    officer = login(world.reception).get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    # the return form starts from the applicant's choice
    assert 'value="post" selected' in officer


def test_the_choice_is_closed_once_the_result_is_returned(world: World, login: Any) -> None:
    dossier = _processing(world)
    ds.dossier_finish(dossier=dossier, actor=world.leader)
    ds.dossier_return_result(dossier=world.refresh(dossier), actor=world.reception)
    citizen = login(world.citizen)
    url = reverse("portal:my-delivery", args=[dossier.code])
    assert f'action="{url}"' not in _page(citizen, dossier)

    answer = citizen.post(url, {"version": current_version(dossier), "delivery": "in_person"}, follow=True)
    assert "Kết quả đã được trả" in answer.content.decode()
    assert not DossierEvent.objects.filter(dossier=dossier, action="choose_delivery").exists()


def test_withdrawing_asks_first_then_withdraws(world: World, login: Any) -> None:
    dossier = _processing(world)
    citizen = login(world.citizen)
    url = reverse("portal:my-request", args=[dossier.code])
    asked = {"version": current_version(dossier), "kind": "withdraw", "reason": "Đã nộp nhầm thủ tục"}

    question = citizen.post(url, asked)
    assert question.status_code == 200
    assert 'data-testid="confirm-withdraw"' in question.content.decode()
    assert world.refresh(dossier).status == Status.PROCESSING

    done = citizen.post(url, {**asked, "confirmed": "1"}, follow=True)
    assert "Hồ sơ của bạn đã được rút." in done.content.decode()
    assert world.refresh(dossier).status == Status.WITHDRAWN
    assert DossierEvent.objects.get(dossier=dossier, action="withdraw").reason == "Đã nộp nhầm thủ tục"


def test_a_dossier_not_yet_received_can_only_be_withdrawn(world: World, login: Any) -> None:
    dossier = world.submit()
    page = _page(login(world.citizen), dossier)
    assert 'name="kind" value="withdraw"' in page
    assert 'name="kind" value="stop"' not in page


def test_after_a_refusal_during_processing_the_citizen_reads_why_and_the_notice_not_the_old_date(
    world: World, login: Any
) -> None:
    dossier = _processing(world)
    appointment = vndate(dossier.due_at)
    assert appointment in _page(login(world.citizen), dossier)
    event = ds.dossier_refuse(dossier=dossier, actor=world.specialist, reason="Không đủ điều kiện cấp phiếu")

    page = _page(login(world.citizen), dossier)
    assert 'data-testid="ending"' in page
    assert "Lý do: Không đủ điều kiện cấp phiếu" in page
    assert reverse("portal:form-print", args=[dossier.code, event.seq]) in page
    assert reverse("portal:form-pdf", args=[dossier.code, "TC"]) in page
    assert 'data-testid="appointment"' not in page
    assert appointment not in page
    tracked = login(world.citizen).get(reverse("portal:track-code", args=[dossier.code])).content.decode()
    assert appointment not in tracked
    assert "Không có: hồ sơ đã kết thúc mà không có kết quả" in tracked


def test_after_a_refusal_at_intake_the_citizen_reads_form_03(world: World, login: Any) -> None:
    dossier = world.submit()
    event = ds.dossier_refuse(dossier=dossier, actor=world.reception, reason="Không thuộc thẩm quyền")
    page = _page(login(world.citizen), dossier)
    assert "Lý do: Không thuộc thẩm quyền" in page
    assert reverse("portal:form-pdf", args=[dossier.code, "03"]) + f"?seq={event.seq}" in page
    printed = login(world.citizen).get(reverse("portal:form-print", args=[dossier.code, event.seq]))
    assert printed.status_code == 200
    assert "Không thuộc thẩm quyền" in printed.content.decode()


def test_after_an_apology_and_a_refusal_no_date_is_promised(world: World, login: Any) -> None:
    dossier = _processing(world)
    assert dossier.due_at is not None
    new_due = dossier.due_at + timedelta(days=10)
    ds.dossier_apologise(dossier=dossier, actor=world.leader, reason="Chờ xác minh", new_due_at=new_due)
    ds.dossier_refuse(dossier=world.refresh(dossier), actor=world.specialist, reason="Xác minh không đạt")
    page = _page(login(world.citizen), dossier)
    assert vndate(new_due) not in page
    assert "Xác minh không đạt" in page
