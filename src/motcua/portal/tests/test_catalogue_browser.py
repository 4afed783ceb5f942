"""The catalogue editor in headless Chromium: a catalogue manager creates a procedure, fills its
draft, previews it and publishes it; then builds an e-form with the live preview, publishes it,
and a citizen files a dossier with that form. axe-core and 360 px checks on every page.

Runs on PostgreSQL only, like the other browser tests (see test_browser.py for why).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from motcua.catalog.models import ChangeAction, ProcedureVersion, VersionStatus
from motcua.dossiers.models import Dossier
from motcua.organizations.services import membership_grant, user_set_full_name
from motcua.portal.tests import test_browser as shared

# The browser fixtures of the portal's browser tests (_postgres_only is autouse).
_postgres_only = shared._postgres_only
browser = shared.browser
page = shared.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(page: Any, values: dict[str, str]) -> None:
    for selector, value in values.items():
        page.fill(selector, value)


def _press(page: Any, label: str) -> None:
    page.click(f"button:has-text('{label}')")
    page.wait_for_load_state()


def _publish(page: Any, number: str) -> None:
    """Fill in the publishing decision on a draft's page and publish."""
    _fill(page, {"#id_pub-decision_number": number, "#id_pub-decision_date": "01/12/2026"})
    page.fill("#id_pub-effective_date", "01/12/2026")
    _press(page, "Công bố phiên bản này")


@pytest.fixture
def editor(world: Any) -> Any:
    user = get_user_model().objects.create_user(username="catalogue", password=shared.PASSWORD)
    user_set_full_name(user=user, full_name="Trịnh Thu Trang")
    membership_grant(user=user, agency=world.province, role="catalogue")
    return user


def test_a_catalogue_manager_creates_and_publishes_a_procedure(page: Any, world: Any, editor: Any) -> None:
    shared.sign_in(page, "catalogue")
    page.click("nav a:has-text('Danh mục')")
    page.wait_for_load_state()
    shared.check_page(page, "60-catalogue-list")
    page.click("a:has-text('Thêm thủ tục')")
    page.fill("#id_code", "2.000635")
    page.fill("#id_name", "Cấp bản sao trích lục hộ tịch")
    page.select_option("#id_field", label="Lý lịch tư pháp")
    page.select_option("#id_competent_agency", str(world.justice.pk))
    page.fill("#id_time_limit_amount", "3")
    page.select_option("#id_online_level", "full")
    page.fill("#id_legal_basis", "Nghị định 123/2015/NĐ-CP, Điều 64")
    shared.check_page(page, "61-catalogue-new")
    page.click("button:has-text('Tạo bản nháp')")
    page.wait_for_load_state()
    assert page.locator(".message.success").count() == 1

    _fill(page, {"#id_fee-0-name": "Lệ phí cấp bản sao", "#id_fee-0-amount_vnd": "8000"})
    _press(page, "Lưu phí, lệ phí")
    page.fill("#id_doc-0-name", "Tờ khai yêu cầu cấp bản sao trích lục")
    page.check("#id_doc-0-e_form")
    _press(page, "Lưu thành phần hồ sơ")
    _fill(page, {"#id_step-0-key": "review", "#id_step-0-name": "Thẩm định, ký", "#id_step-0-budget_amount": "2"})
    page.select_option("#id_step-0-actor_role", "specialist")
    _press(page, "Lưu quy trình")
    shared.check_page(page, "62-catalogue-draft")

    page.click("a:has-text('Xem trước như người dân')")
    page.wait_for_load_state()
    assert "8.000" in page.inner_text("main")
    assert page.locator("button:has-text('Nộp trực tuyến')").count() == 0
    shared.check_page(page, "63-catalogue-preview")
    page.click("a:has-text('Quay lại trang biên tập')")
    page.wait_for_load_state()

    _publish(page, "45/QĐ-UBND")
    assert "Đã công bố" in page.inner_text("main")
    assert "Quyết định số 45/QĐ-UBND ngày 01/12/2026" in page.inner_text("#changes")
    shared.check_page(page, "64-catalogue-published")

    version = ProcedureVersion.objects.get(procedure__code="2.000635")
    assert version.status == VersionStatus.PUBLISHED
    assert set(version.changes.values_list("actor_name", flat=True)) == {"Trịnh Thu Trang"}
    shared.go(page, "/thu-tuc/2.000635/")
    assert "Cấp bản sao trích lục hộ tịch" in page.inner_text("h1")


def _fill_row(page: Any, index: int, key: str, title: str, kind: str, required: bool = True) -> None:
    page.fill(f"#r-{index}-key", key)
    page.fill(f"#r-{index}-title", title)
    page.select_option(f"#r-{index}-kind", kind)
    if required:
        page.check(f"#r-{index}-required")


def test_an_e_form_built_in_the_editor_is_filled_in_by_a_citizen(
    page: Any,
    world: Any,
    editor: Any,
    tmp_path: Path,
) -> None:
    code = world.procedure.procedure.code
    shared.sign_in(page, "catalogue")
    shared.go(page, f"/danh-muc/{code}/{world.procedure.number}/")
    page.click("button:has-text('Tạo bản nháp mới từ phiên bản này')")
    page.wait_for_load_state()
    draft = ProcedureVersion.objects.get(procedure__code=code, status=VersionStatus.DRAFT)
    page.click("a:has-text('Sửa biểu mẫu điện tử')")
    page.wait_for_load_state()

    page.click("button:has-text('Thêm trường')")
    page.wait_for_load_state()
    _fill_row(page, 0, "ho_ten", "Họ và tên người yêu cầu", "text")
    page.locator("#eform-preview #ef-ho_ten").wait_for()  # the live preview (HTMX) shows the new field
    page.click("button:has-text('Thêm trường')")
    page.wait_for_load_state()
    _fill_row(page, 1, "dan_toc", "Dân tộc", "ethnicity")
    page.fill("#r-1-help", "Theo danh mục 54 dân tộc")
    page.locator("#eform-preview #ef-dan_toc option:has-text('Kinh')").wait_for(state="attached")
    shared.check_page(page, "65-eform-builder")
    page.click("button:has-text('Lưu biểu mẫu')")
    page.wait_for_load_state()
    assert page.locator(".message.success").count() == 1
    draft.refresh_from_db()
    assert list(draft.e_form_schema["properties"]) == ["ho_ten", "dan_toc"]

    page.click("a:has-text('Xem dạng JSON')")
    page.wait_for_load_state()
    assert '"dm_dan_toc"' in page.input_value("#schema")
    shared.check_page(page, "66-eform-json")

    shared.go(page, f"/danh-muc/{code}/{draft.number}/")
    _publish(page, "46/QĐ-UBND")
    assert draft.changes.filter(action=ChangeAction.PUBLISHED).exists()
    shared.sign_out(page)

    shared.sign_in(page, "citizen")
    shared.go(page, f"/thu-tuc/{code}/")
    page.click("button:has-text('Nộp trực tuyến')")
    page.wait_for_load_state()
    page.fill("#ef-ho_ten", "Nguyễn Văn An")
    page.select_option("#ef-dan_toc", "Kinh")
    slot = draft.documents.get(e_form=False)
    page.set_input_files(f"#doc-{slot.pk}", shared.a_pdf(tmp_path, "cccd.pdf"))
    shared.check_page(page, "67-eform-citizen-draft")
    with page.expect_navigation(url=re.compile(r"/xem-lai/$")):
        page.click("button[value=review]")
    with page.expect_navigation(url=re.compile(r"/da-nop/")):
        page.click("button:has-text('Nộp hồ sơ')")
    dossier = Dossier.objects.get()
    assert dossier.procedure_version_id == draft.pk
    assert dossier.form_data == {"ho_ten": "Nguyễn Văn An", "dan_toc": "Kinh"}

    # The citizen reads their filing back as filed: the answers under the form's own labels.
    shared.go(page, f"/cua-toi/{dossier.code}/")
    filed = page.inner_text("[data-testid=filed-form]")
    assert "Họ và tên người yêu cầu" in filed
    assert "Nguyễn Văn An" in filed
    assert "Kinh" in filed
    assert "cccd.pdf" in page.inner_text("[data-testid=filed-papers]")
    shared.check_page(page, "68-my-dossier-eform-answers")
