"""A repeating group in headless Chromium: add a row, correct it, submit; axe-core and 360 px checks.

Runs on PostgreSQL only, like the other browser tests (see test_browser.py for why).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers.models import Dossier
from motcua.portal.tests.test_browser import (  # noqa: F401 (fixtures, _postgres_only is autouse)
    _postgres_only,
    a_pdf,
    browser,
    check_page,
    go,
    page,
    sign_in,
)
from motcua.portal.tests.test_eform_arrays import household_procedure  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_enters_household_members_row_by_row(
    page: Any,  # noqa: F811
    world: Any,
    household_procedure: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    sign_in(page, "citizen")
    go(page, f"/thu-tuc/{household_procedure.procedure.code}/")
    page.click("button:has-text('Nộp trực tuyến')")
    page.wait_for_load_state()
    check_page(page, "41-eform-array-draft")

    page.fill("#ef-ho_ten", "Nguyễn Văn An")
    page.fill("#ef-thanh_vien-0-ho_ten", "Trần Thị Bình")
    page.fill("#ef-thanh_vien-0-ngay_sinh", "02/04/1990")
    page.select_option("#ef-thanh_vien-0-quan_he", "Vợ")
    page.click("button[name=efadd][value=thanh_vien]")
    page.wait_for_load_state()
    assert page.input_value("#ef-thanh_vien-0-ho_ten") == "Trần Thị Bình"
    assert page.evaluate("document.activeElement.id") == "ef-thanh_vien-1-ho_ten"

    page.fill("#ef-thanh_vien-1-ho_ten", "Nguyễn Minh Khang")
    page.select_option("#ef-thanh_vien-1-quan_he", "Con")
    page.click("button[value=review]")
    page.wait_for_load_state()
    message = " ".join(page.inner_text("#ef-thanh_vien-1-ngay_sinh-error").split())  # "Lỗi:" is for screen readers
    assert message == "Lỗi: Dòng 2, Ngày sinh: Nhập ngày sinh."
    check_page(page, "42-eform-array-errors")

    page.fill("#ef-thanh_vien-1-ngay_sinh", "30/11/2020")
    slot = household_procedure.documents.get(name="Sổ hộ khẩu cũ")
    page.set_input_files(f"#doc-{slot.pk}", a_pdf(tmp_path, "so.pdf"))
    page.click("button[value=review]")
    page.wait_for_load_state()
    line = page.inner_text("dt:has-text('Dòng 2') + dd")
    assert {"Họ tên: Nguyễn Minh Khang", "Ngày sinh: 30/11/2020", "Quan hệ: Con"} <= set(line.split("; "))
    check_page(page, "43-eform-array-review")
    page.click("button:has-text('Nộp hồ sơ')")
    page.wait_for_load_state()
    members = Dossier.objects.get().form_data["thanh_vien"]
    assert [m["ho_ten"] for m in members] == ["Trần Thị Bình", "Nguyễn Minh Khang"]
