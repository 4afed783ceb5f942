"""In headless Chromium: the procedure page a citizen reads before filing, and an e-form filled
with errors, corrected through the error summary, and filed (issue 12, items 3 and 5), with
axe-core at WCAG 2.2 AA and the 360-px check of every page.

Runs on PostgreSQL only, like the other browser tests (see test_browser.py for why).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from motcua.dossiers.models import Dossier
from motcua.portal.models import Draft
from motcua.portal.tests.test_browser import (  # noqa: F401 (fixtures, _postgres_only is autouse)
    _postgres_only,
    browser,
    check_page,
    go,
    page,
    sign_in,
)
from motcua.portal.tests.test_forms_without_help import declaration_procedure  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(tab: Any) -> str:
    return str(tab.evaluate("document.activeElement.id || document.activeElement.className"))


def test_the_procedure_page_tells_what_to_bring_when_it_would_be_ready_and_where_to_go(
    page: Any,  # noqa: F811
    world: Any,
) -> None:
    go(page, f"/thu-tuc/{world.procedure.procedure.code}/")
    assert page.inner_text("h1") == world.procedure.name
    assert "/20" in page.inner_text("[data-testid=due]")
    assert "Trung tâm Phục vụ hành chính công tỉnh" in page.inner_text("#where-title + p")
    for heading in ["Thành phần hồ sơ", "Trình tự thực hiện", "Phí, lệ phí", "Căn cứ pháp lý"]:
        assert page.locator(f"h2:has-text('{heading}')").count() == 1, heading
    check_page(page, "60-procedure-page")


def test_a_citizen_corrects_an_e_form_through_the_error_summary_and_files_it(
    page: Any,  # noqa: F811
    world: Any,
    declaration_procedure: Any,  # noqa: F811
) -> None:
    sign_in(page, "citizen")
    go(page, f"/thu-tuc/{declaration_procedure.procedure.code}/")
    page.click("button:has-text('Nộp trực tuyến')")
    page.wait_for_load_state()
    future = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")
    page.fill("#ef-ngay_sinh", future)
    page.fill("#ef-dien_thoai", "0912")
    page.click("button[value=review]")
    page.wait_for_load_state()

    # the summary is first, has the focus, and lists the three fields in page order
    assert _focused(page) == "error-summary"
    links = page.locator(".error-summary a")
    assert links.count() == 3
    assert links.nth(0).inner_text() == "Họ và tên: Nhập họ và tên."
    assert "Ngày này không được sau ngày hôm nay." in links.nth(1).inner_text()
    assert page.input_value("#ef-ngay_sinh") == future  # kept as typed
    assert page.get_attribute("#ef-ghi_chu", "aria-invalid") is None  # optional: not marked
    check_page(page, "61-eform-error-summary")

    # each link moves the focus to its field
    links.nth(1).click()
    assert _focused(page) == "ef-ngay_sinh"
    links.nth(0).click()
    assert _focused(page) == "ef-ho_ten"

    # the deletion question, then "no": back to the draft
    page.click("a:has-text('Xóa hồ sơ nháp này')")
    page.wait_for_load_state()
    check_page(page, "62-draft-delete-question")
    page.click("a:has-text('Không, quay lại hồ sơ nháp')")
    page.wait_for_load_state()

    page.fill("#ef-ho_ten", "Lê Thị Hoa")
    page.fill("#ef-ngay_sinh", "05/02/1990")
    page.fill("#ef-dien_thoai", "0912 345 678")
    page.click("button[value=review]")
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0
    assert "05/02/1990" in page.inner_text("main")
    page.click("button:has-text('Nộp hồ sơ')")
    page.wait_for_load_state()
    assert Dossier.objects.get().form_data == {
        "ho_ten": "Lê Thị Hoa",
        "ngay_sinh": "1990-02-05",
        "dien_thoai": "0912345678",
    }


def test_deleting_a_draft_asks_first_with_javascript_turned_off(
    browser: Any,  # noqa: F811
    live_server: Any,
    world: Any,
    declaration_procedure: Any,  # noqa: F811
) -> None:
    # (no axe here: axe is a script, and scripts are off; the question page is checked above)
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    tab = context.new_page()
    tab.base = live_server.url
    try:
        sign_in(tab, "citizen")
        go(tab, f"/thu-tuc/{declaration_procedure.procedure.code}/")
        tab.click("button:has-text('Nộp trực tuyến')")
        tab.click("a:has-text('Xóa hồ sơ nháp này')")
        assert tab.inner_text("h1") == "Xóa hồ sơ nháp này?"
        assert Draft.objects.exists()
        tab.click("button:has-text('Có, xóa hồ sơ nháp')")
        assert "Đã xóa hồ sơ nháp." in tab.inner_text("main")
        assert not Draft.objects.exists()
    finally:
        context.close()
