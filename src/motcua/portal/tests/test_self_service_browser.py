"""The citizen's self-service in headless Chromium (issue 12 items 6 and 11): on their dossier page
they read what they filed, choose to receive the result by post (the counter sees it), withdraw
after confirming; after a refusal they read why and open the agency's refusal notice, with no
appointment left. axe-core at WCAG 2.2 AA (every impact) and the 360-px check on each page.

Runs on PostgreSQL only, like the other browser tests (see test_browser.py for why).
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.indicators.tests.test_dashboard_browser import axe_violations
from motcua.portal.templatetags.portal_tags import vndate
from motcua.portal.tests.test_browser import (  # noqa: F401 (fixtures, _postgres_only is autouse)
    _postgres_only,
    browser,
    check_page,
    go,
    page,
    sign_in,
    sign_out,
)
from motcua.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "12 Trần Phú, phường Ba Đình, Hà Nội"


def _processing(world: World) -> Dossier:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    return world.refresh(dossier)


def _submit(page: Any, label: str) -> None:  # noqa: F811
    """Press a button that posts a plain form and wait for the page that answers it."""
    with page.expect_navigation():
        page.click(f"button:has-text('{label}')")


def _checked(page: Any, name: str) -> None:  # noqa: F811
    assert axe_violations(page) == [], name
    check_page(page, name)


def test_a_citizen_reads_the_filing_chooses_the_post_and_withdraws_after_confirming(
    page: Any,  # noqa: F811
    world: World,
) -> None:
    dossier = _processing(world)

    sign_in(page, "citizen")
    go(page, f"/cua-toi/{dossier.code}/")
    papers = page.inner_text("[data-testid=filed-papers]")
    for name in world.procedure.documents.values_list("name", flat=True):
        assert name in papers
    _checked(page, "70-my-dossier-filed")

    page.check("input[name=delivery][value=post]")
    page.fill("textarea[name=address]", "")
    _submit(page, "Lưu hình thức nhận kết quả")
    assert "Nhập địa chỉ nhận kết quả qua bưu chính." in page.inner_text(".error-summary")
    page.fill("textarea[name=address]", ADDRESS)
    _submit(page, "Lưu hình thức nhận kết quả")
    assert page.inner_text("[data-testid=delivery]") == f"Qua dịch vụ bưu chính công ích: {ADDRESS}"
    _checked(page, "71-my-dossier-delivery-chosen")
    sign_out(page)

    sign_in(page, "reception")
    go(page, f"/can-bo/ho-so/{dossier.code}/")
    assert ADDRESS in page.inner_text("[data-testid=delivery-choice]")
    sign_out(page)

    sign_in(page, "citizen")
    go(page, f"/cua-toi/{dossier.code}/")
    page.check("input[name=kind][value=withdraw]")
    page.fill("textarea[name=reason]", "Đã nộp nhầm thủ tục")
    _submit(page, "Gửi đề nghị")
    assert page.locator("[data-testid=confirm-withdraw]").is_visible()
    assert world.refresh(dossier).status == Status.PROCESSING  # the first press changes nothing
    _checked(page, "72-withdraw-confirm")
    _submit(page, "Có, rút hồ sơ của tôi")
    assert page.inner_text("[data-testid=status]") == "Công dân rút hồ sơ"
    assert "Đã nộp nhầm thủ tục" in page.inner_text("[data-testid=ending]")
    assert page.locator("[data-testid=appointment]").count() == 0
    _checked(page, "73-my-dossier-withdrawn")
    assert world.refresh(dossier).status == Status.WITHDRAWN


def test_after_a_refusal_the_citizen_reads_why_and_opens_the_refusal_notice(
    page: Any,  # noqa: F811
    world: World,
) -> None:
    dossier = _processing(world)
    old_date = vndate(dossier.due_at)
    ds.dossier_refuse(dossier=dossier, actor=world.specialist, reason="Không đủ điều kiện cấp phiếu")

    sign_in(page, "citizen")
    go(page, f"/cua-toi/{dossier.code}/")
    ending = page.inner_text("[data-testid=ending]")
    assert "Hồ sơ của bạn bị từ chối" in ending
    assert "Không đủ điều kiện cấp phiếu" in ending
    assert old_date not in page.inner_text("main")
    _checked(page, "74-my-dossier-refused")
    with page.expect_navigation():
        page.click("a:has-text('Xem văn bản từ chối giải quyết của cơ quan')")
    assert "Không đủ điều kiện cấp phiếu" in page.inner_text("main")
    check_page(page, "75-refusal-notice")
