"""Citizen portal pages: search, procedure, online filing with drafts, tracking, answering, rating."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.portal.models import Draft, DraftFile
from motcua.portal.tests.conftest import current_version, pdf_upload
from motcua.ratings.models import Rating
from motcua.testing.world import World

pytestmark = pytest.mark.django_db


def test_the_home_page_offers_search_and_tracking_in_vietnamese(world: Any) -> None:
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Tra cứu hồ sơ" in html
    assert 'href="#main"' in html


def test_it_serves_english_when_the_language_is_switched(world: Any) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Track a dossier" in html


def test_search_finds_a_procedure_without_diacritics(world: Any) -> None:
    response = Client().get(reverse("portal:search"), {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.content.decode()
    assert "Cấp Phiếu lý lịch" not in response.content.decode()


def test_search_filters_by_level_and_returns_a_fragment_to_htmx(world: Any) -> None:
    response = Client().get(reverse("portal:search"), {"level": "commune"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="results"' in html
    assert "Đăng ký khai sinh" in html
    assert "lý lịch tư pháp" not in html


def test_the_procedure_page_shows_documents_fees_and_the_appointment_if_submitted_now(world: Any) -> None:
    response = Client().get(reverse("portal:procedure", args=["2.000488"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bản chụp giấy tờ tùy thân" in html
    assert "200.000 ₫" in html
    assert "Nếu nộp ngay bây giờ" in html
    assert "/20" in html  # a dd/mm/yyyy date


def test_an_unknown_procedure_is_a_404_page_with_a_message(world: Any) -> None:
    response = Client().get(reverse("portal:procedure", args=["9.999999"]))
    assert response.status_code == 404
    assert "không có phiên bản" in response.content.decode() or "no version" in response.content.decode()


def test_applying_needs_sign_in(world: Any) -> None:
    response = Client().post(reverse("portal:apply", args=["2.000488"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _draft(login: Any, world: Any, version: Any) -> tuple[Client, Draft]:
    client = login(world.citizen)
    response = client.post(reverse("portal:apply", args=[version.procedure.code]))
    assert response.status_code == 302
    return client, Draft.objects.get(owner=world.citizen_person, version=version)


VALID = {
    "ef.ho_ten": "Nguyễn Văn Bé",
    "ef.ngay_sinh": "2025-10-01",
    "ef.gioi_tinh": "Nam",
    "ef.so_ban": "2",
    "ef.cam_doan": "on",
    "ef.nguoi_nhan.so_dinh_danh": "001090123456",
}


def test_the_e_form_shows_vietnamese_messages_next_to_each_wrong_field(
    world: Any, login: Any, eform_procedure: Any
) -> None:
    client, draft = _draft(login, world, eform_procedure)
    page = client.get(reverse("portal:draft", args=[draft.pk]))
    assert 'name="ef.nguoi_nhan.so_dinh_danh"' in page.content.decode()
    bad = {**VALID, "ef.ho_ten": "", "ef.so_ban": "nhiều", "ef.nguoi_nhan.so_dinh_danh": "123", "next": "review"}
    response = client.post(reverse("portal:draft", args=[draft.pk]), bad)
    html = response.content.decode()
    assert response.status_code == 422
    hidden = '<span class="visually-hidden">Lỗi: </span>'
    assert f'id="ef-ho_ten-error">{hidden}Nhập họ và tên.' in html
    assert f'id="ef-so_ban-error">{hidden}Hãy nhập một số nguyên.' in html
    assert f'id="ef-nguoi_nhan-so_dinh_danh-error">{hidden}Giá trị không đúng định dạng yêu cầu.' in html
    assert "Hãy tải lên giấy tờ này." in html  # the birth certificate is missing


def test_a_draft_is_saved_and_resumed_then_reviewed_and_submitted(world: Any, login: Any, eform_procedure: Any) -> None:
    client, draft = _draft(login, world, eform_procedure)
    saved = client.post(reverse("portal:draft", args=[draft.pk]), {**VALID, "next": "save"})
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data["nguoi_nhan"] == {"so_dinh_danh": "001090123456"}
    assert draft.form_data["so_ban"] == 2
    # another device: a fresh sign-in finds the same draft
    other_device = login(world.citizen)
    again = other_device.post(reverse("portal:apply", args=[eform_procedure.procedure.code]))
    assert again["Location"] == reverse("portal:draft", args=[draft.pk])
    assert "Nguyễn Văn Bé" in other_device.get(again["Location"]).content.decode()
    slot = eform_procedure.documents.get(name="Giấy chứng sinh")
    to_review = other_device.post(
        reverse("portal:draft", args=[draft.pk]), {**VALID, "next": "review", f"doc-{slot.pk}": pdf_upload()}
    )
    assert to_review.status_code == 302
    review = other_device.get(to_review["Location"])
    assert "Nguyễn Văn Bé" in review.content.decode()
    assert "01/10/2025" in review.content.decode()
    done = other_device.post(reverse("portal:draft-review", args=[draft.pk]))
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert done["Location"] == reverse("portal:submitted", args=[dossier.code])
    assert dossier.status == Status.SUBMITTED
    assert dossier.form_data["ho_ten"] == "Nguyễn Văn Bé"
    assert {c.name for c in dossier.components.all()} == {"Tờ khai", "Giấy chứng sinh"}
    assert dossier.components.get(name="Giấy chứng sinh").file
    assert not Draft.objects.exists()
    assert not DraftFile.objects.exists()
    page = other_device.get(done["Location"])
    assert dossier.code in page.content.decode()
    assert reverse("portal:qr", args=[dossier.code]) in page.content.decode()


def test_it_refuses_an_upload_that_is_not_pdf_or_image(world: Any, login: Any, eform_procedure: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, draft = _draft(login, world, eform_procedure)
    slot = eform_procedure.documents.get(name="Giấy chứng sinh")
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
    response = client.post(reverse("portal:draft", args=[draft.pk]), {**VALID, "next": "save", f"doc-{slot.pk}": bad})
    assert response.status_code == 200
    assert "tải lên tệp PDF, JPEG hoặc PNG." in response.content.decode()
    assert not DraftFile.objects.exists()


def test_another_citizen_cannot_open_my_draft(world: Any, login: Any, eform_procedure: Any) -> None:
    _client, draft = _draft(login, world, eform_procedure)
    assert login(world.other_citizen).get(reverse("portal:draft", args=[draft.pk])).status_code == 404


def test_public_tracking_shows_status_appointment_and_agency_but_nothing_personal(world: Any) -> None:
    dossier = world.register()
    response = Client().get(reverse("portal:track-code", args=[dossier.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận" in html
    assert world.centre.name in html
    assert world.citizen_person.full_name not in html
    assert world.citizen_person.id_number not in html


def test_tracking_an_unknown_code_says_so(world: Any) -> None:
    response = Client().get(reverse("portal:track"), {"code": "H99.01-000000-0000"})
    assert response.status_code == 404
    assert "error" in response.content.decode()


def test_my_dossiers_lists_only_my_own(world: Any, login: Any) -> None:
    mine = world.register()
    assert mine.code in login(world.citizen).get(reverse("portal:my")).content.decode()
    assert mine.code not in login(world.other_citizen).get(reverse("portal:my")).content.decode()
    assert login(world.other_citizen).get(reverse("portal:my-dossier", args=[mine.code])).status_code == 404


def test_the_citizen_answers_a_supplement_request_with_files(world: Any, login: Any) -> None:
    dossier = world.submit()
    ds.dossier_return_for_completion(dossier=dossier, actor=world.reception, reason="Thiếu bản chụp", items=["CCCD"])
    client = login(world.citizen)
    page = client.get(reverse("portal:my-dossier", args=[dossier.code]))
    assert "Thiếu bản chụp" in page.content.decode()
    assert 'name="file-0"' in page.content.decode()
    empty = client.post(
        reverse("portal:my-resubmit", args=[dossier.code]),
        {"version": current_version(dossier), "name-0": "CCCD"},
        follow=True,
    )
    assert "Hãy đính kèm ít nhất một tệp" in empty.content.decode()
    response = client.post(
        reverse("portal:my-resubmit", args=[dossier.code]),
        {"version": current_version(dossier), "name-0": "CCCD", "file-0": pdf_upload("cccd.pdf")},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    # Completed, it waits for the reception officer again: never received by itself.
    assert (dossier.status, dossier.received_at) == (Status.SUBMITTED, None)
    assert dossier.components.filter(name="CCCD").exists()


def _returned(world: World) -> Dossier:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    dossier = world.refresh(dossier)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve")
    dossier = world.refresh(dossier)
    ds.dossier_finish(dossier=dossier, actor=world.leader)
    dossier = world.refresh(dossier)
    ds.dossier_return_result(dossier=dossier, actor=world.reception)
    return world.refresh(dossier)


def _rating_post(**overrides: str) -> dict[str, str]:
    from motcua.ratings.models import CRITERIA

    data = {f"score_{key}": "2" for key in CRITERIA}
    data.update(satisfaction="very_satisfied", comment="Nhanh")
    data.update(overrides)
    return data


def test_the_citizen_rates_the_service_after_the_result_once(world: Any, login: Any) -> None:
    dossier = _returned(world)
    client = login(world.citizen)
    assert "Đánh giá dịch vụ" in client.get(reverse("portal:my-dossier", args=[dossier.code])).content.decode()
    response = client.post(reverse("portal:my-rate", args=[dossier.code]), _rating_post())
    assert response.status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert rating.scores["staff_attitude"] == 2
    assert rating.satisfaction == "very_satisfied"
    again = client.post(reverse("portal:my-rate", args=[dossier.code]), _rating_post(), follow=True)
    assert "đã được đánh giá" in again.content.decode()
    assert Rating.objects.count() == 1


def test_an_incomplete_rating_is_refused_with_a_message(world: Any, login: Any) -> None:
    dossier = _returned(world)
    response = login(world.citizen).post(
        reverse("portal:my-rate", args=[dossier.code]), _rating_post(score_contacts="")
    )
    assert response.status_code == 422
    assert not Rating.objects.exists()


def test_rating_before_the_result_is_refused(world: Any, login: Any) -> None:
    dossier = world.register()
    response = login(world.citizen).post(reverse("portal:my-rate", args=[dossier.code]), _rating_post())
    assert response.status_code == 422
    assert "khi có kết quả" in response.content.decode()


def test_the_qr_and_pdf_links_answer_with_the_documents(world: Any, login: Any) -> None:
    dossier = world.register()
    qr = Client().get(reverse("portal:qr", args=[dossier.code]))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    pdf = login(world.citizen).get(reverse("portal:form-pdf", args=[dossier.code, "01"]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert login(world.other_citizen).get(reverse("portal:form-pdf", args=[dossier.code, "01"])).status_code == 404
    assert login(world.citizen).get(reverse("portal:form-pdf", args=[dossier.code, "99"])).status_code == 404


def test_a_tracking_code_is_found_in_any_case_and_with_stray_spaces(world: Any) -> None:
    dossier = world.register()
    typed = "  " + dossier.code.lower().replace("-", " - ", 1) + " "
    response = Client().get(reverse("portal:track"), {"code": typed})
    assert response.status_code == 200
    assert dossier.code in response.content.decode()
