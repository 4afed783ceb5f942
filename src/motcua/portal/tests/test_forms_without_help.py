"""Forms a citizen fills without help (issue 12, item 5; the GOV.UK / USWDS error pattern):
one error summary linking to each field, a message next to the field saying what is wrong,
no red border on optional fields, dates typed dd/mm/yyyy, birth dates not in the future,
valid e-mail and Vietnamese phone numbers, and a confirmation before deleting a draft."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from motcua.catalog.services import DocumentSpec
from motcua.codelists.formats import parse_day, past_date, phone, phone_number
from motcua.dossiers.models import Dossier
from motcua.people.models import Person
from motcua.portal.inputs import CounterIntakeForm
from motcua.portal.models import Draft
from motcua.portal.tests.conftest import published_eform_procedure
from motcua.portal.tests.test_counter import _intake

pytestmark = pytest.mark.django_db

DECLARATION = {
    "type": "object",
    "title": "Tờ khai",
    "required": ["ho_ten", "ngay_sinh", "dien_thoai"],
    "properties": {
        "ho_ten": {"title": "Họ và tên", "type": "string", "minLength": 2, "maxLength": 100},
        "ngay_sinh": past_date("Ngày sinh"),
        "dien_thoai": phone("Số điện thoại"),
        "email": {"title": "Thư điện tử", "type": "string", "format": "email", "maxLength": 254},
        "ghi_chu": {"title": "Ghi chú", "type": "string", "maxLength": 200},
    },
}


@pytest.fixture
def declaration_procedure(world: Any) -> Any:
    return published_eform_procedure(
        world,
        code="1.000123",
        name="Xác nhận thông tin cư trú",
        field=("CT", "Cư trú", "Residence"),
        schema=DECLARATION,
        legal_basis="Luật Cư trú 2020",
        documents=[DocumentSpec(name="Tờ khai", e_form=True)],
        decision="12/QĐ",
    )


def _draft(login: Any, world: Any, version: Any) -> tuple[Client, Draft]:
    client = login(world.citizen)
    client.post(reverse("portal:apply", args=[version.procedure.code]))
    return client, Draft.objects.get(owner=world.citizen_person, version=version)


def test_vietnamese_phone_numbers_are_read_whatever_their_spacing() -> None:
    assert phone_number("0912 345 678") == "0912345678"
    assert phone_number("+84 912.345.678") == "0912345678"
    assert phone_number("84912345678") == "0912345678"
    assert phone_number("(024) 3825 1234") == "02438251234"  # a Hà Nội landline
    for wrong in ["0112345678", "091234567", "09123456789", "12", "0912abc678", ""]:
        assert phone_number(wrong) is None, wrong


def test_days_are_typed_day_first() -> None:
    assert parse_day("05/02/2026") == date(2026, 2, 5)
    assert parse_day("5/2/2026") == date(2026, 2, 5)
    assert parse_day("2026-02-05") == date(2026, 2, 5)  # what older pages and the API send
    for wrong in ["31/02/2024", "02/13/2026", "5 tháng 2", "2026/02/05", ""]:
        assert parse_day(wrong) is None, wrong


def test_the_e_form_asks_for_dates_as_dd_mm_yyyy_in_a_text_input_and_stores_iso(
    world: Any, login: Any, declaration_procedure: Any
) -> None:
    client, draft = _draft(login, world, declaration_procedure)
    html = client.get(reverse("portal:draft", args=[draft.pk])).content.decode()
    assert 'type="date"' not in html
    assert re.search(r'id="ef-ngay_sinh" name="ef.ngay_sinh" type="text"[^>]*pattern=', html)
    assert "Ví dụ: 27/03/1990 (ngày/tháng/năm)." in html
    assert 'id="ef-dien_thoai" name="ef.dien_thoai" type="tel"' in html
    url = reverse("portal:draft", args=[draft.pk])
    client.post(url, {"ef.ho_ten": "Lê Văn Tám", "ef.ngay_sinh": "27/03/1990", "ef.dien_thoai": "+84 912 345 678"})
    draft.refresh_from_db()
    assert draft.form_data == {"ho_ten": "Lê Văn Tám", "ngay_sinh": "1990-03-27", "dien_thoai": "0912345678"}
    assert 'value="27/03/1990"' in client.get(url).content.decode()


def test_one_error_summary_links_to_each_wrong_field_and_each_message_says_what_is_wrong(
    world: Any, login: Any, declaration_procedure: Any
) -> None:
    client, draft = _draft(login, world, declaration_procedure)
    tomorrow = (date.today() + timedelta(days=2)).strftime("%d/%m/%Y")
    bad = {"ef.ho_ten": "", "ef.ngay_sinh": tomorrow, "ef.dien_thoai": "12345", "ef.email": "an@", "next": "review"}
    response = client.post(reverse("portal:draft", args=[draft.pk]), bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count('class="error-summary"') == 1
    summary = html[html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))]
    assert re.search(r'class="error-summary" role="alert" tabindex="-1" autofocus', html)
    assert re.findall(r'<a href="#([\w-]+)">', summary) == ["ef-ho_ten", "ef-ngay_sinh", "ef-dien_thoai", "ef-email"]
    assert "Họ và tên: Nhập họ và tên." in summary
    assert "Ngày sinh: Ngày này không được sau ngày hôm nay." in summary
    assert "bắt đầu bằng 03, 05, 07, 08 hoặc 09" in summary
    assert "Thư điện tử: Nhập địa chỉ thư điện tử đúng dạng, ví dụ ten@example.com." in summary
    assert "Vui lòng sửa các trường được đánh dấu" not in html  # the summary replaces the old banner
    # each message sits next to its field, and only the fields in error are marked invalid
    assert re.search(r'id="ef-ngay_sinh-error"><span class="visually-hidden">Lỗi: </span>Ngày này không được sau', html)
    assert len(re.findall(r'aria-invalid="true"', html)) == 4
    assert not re.search(r'id="ef-ghi_chu"[^>]*aria-invalid', html)  # the optional note stays plain
    assert f'value="{tomorrow}"' in html  # what was typed is kept


def test_what_could_not_be_read_is_shown_again_as_typed(world: Any, login: Any, declaration_procedure: Any) -> None:
    client, draft = _draft(login, world, declaration_procedure)
    response = client.post(reverse("portal:draft", args=[draft.pk]), {"ef.ngay_sinh": "31/02/1990", "next": "save"})
    html = response.content.decode()
    assert 'value="31/02/1990"' in html
    assert "Nhập một ngày có thật theo dạng ngày/tháng/năm, ví dụ 27/03/1990." in html
    assert '<a href="#ef-ngay_sinh">' in html


def test_the_stylesheet_outlines_only_the_inputs_in_error() -> None:
    css = (Path(settings.BASE_DIR) / "src/motcua/portal/static/portal/css/portal.css").read_text(encoding="utf-8")
    assert ".has-error input" not in css  # would outline the optional inputs of a group in error
    assert '[aria-invalid="true"] { border: 2px solid var(--err)' in css


def test_deleting_a_draft_asks_first_and_works_without_javascript(
    world: Any, login: Any, declaration_procedure: Any
) -> None:
    client, draft = _draft(login, world, declaration_procedure)
    page = client.get(reverse("portal:draft", args=[draft.pk])).content.decode()
    delete_url = reverse("portal:draft-delete", args=[draft.pk])
    assert f'<a href="{delete_url}">Xóa hồ sơ nháp</a>' in page or f'href="{delete_url}"' in page
    question = client.get(delete_url)
    assert question.status_code == 200
    assert "Xóa hồ sơ nháp này?" in question.content.decode()
    assert 'name="confirm" value="yes"' in question.content.decode()
    assert Draft.objects.filter(pk=draft.pk).exists()
    client.post(delete_url)  # a post without the confirmation only asks
    assert Draft.objects.filter(pk=draft.pk).exists()
    done = client.post(delete_url, {"confirm": "yes"})
    assert done.status_code == 302
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert login(world.specialist).post(delete_url, {"confirm": "yes"}).status_code == 404


def test_the_counter_refuses_a_wrong_phone_or_e_mail_with_a_summary_and_keeps_a_good_phone_as_digits(
    world: Any, login: Any
) -> None:
    client = login(world.reception)
    response = client.post(reverse("portal:counter-new"), _intake(world, phone="0912 34", email="mai@"))
    assert response.status_code == 422
    html = response.content.decode()
    assert '<a href="#id_phone">Điện thoại: Nhập số điện thoại Việt Nam' in html
    assert '<a href="#id_email">Thư điện tử: Nhập địa chỉ thư điện tử đúng dạng' in html
    phone_input = re.findall(r'<input[^>]*id="id_phone"[^>]*>', html)[0]
    assert 'aria-invalid="true" aria-describedby="id_phone_helptext id_phone_error"' in phone_input
    assert not Dossier.objects.exists()
    ok = client.post(reverse("portal:counter-new"), _intake(world, phone="+84 987 654 321"))
    assert ok.status_code == 302, ok.content.decode()[:3000]
    assert Person.objects.get(id_number="001190000123").phone == "0987654321"


def test_a_blank_required_field_of_a_page_form_says_what_to_enter() -> None:
    form = CounterIntakeForm({"channel": "counter", "sets": "1"})
    assert not form.is_valid()
    assert form.errors["full_name"] == ["Nhập họ và tên."]
    assert form.errors["id_number"] == ["Nhập số định danh cá nhân."]


def test_a_citizen_keeps_their_details_with_the_same_error_pattern(world: Any, login: Any) -> None:
    client = login(world.citizen)
    url = reverse("portal:profile")
    assert 'href="/tai-khoan/"' in client.get(reverse("portal:my")).content.decode()
    future = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")
    wrong = client.post(url, {"birth_date": future, "phone": "123", "email": "an@", "address": "Phường An Bình"})
    assert wrong.status_code == 422
    html = wrong.content.decode()
    summary = html[html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))]
    assert re.findall(r'<a href="#([\w-]+)">', summary) == ["id_birth_date", "id_phone", "id_email"]
    assert "Ngày sinh: Ngày này không được sau ngày hôm nay." in summary
    assert not re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_address"', html)  # optional and right
    person = Person.objects.get(pk=world.citizen_person.pk)
    saved = client.post(
        url, {"birth_date": "5/2/1990", "phone": "0912.345.678", "email": "an@example.com", "address": "Phường An Bình"}
    )
    assert saved.status_code == 302
    person.refresh_from_db()
    assert (person.birth_date, person.phone, person.email) == (date(1990, 2, 5), "0912345678", "an@example.com")
    assert 'value="05/02/1990"' in client.get(url).content.decode()
    assert login(world.reception).get(url).status_code == 404  # an officer has no applicant record
