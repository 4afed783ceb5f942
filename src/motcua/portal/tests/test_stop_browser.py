"""Asking to stop a dossier in headless Chromium: the citizen sends the request from their dossier
page, the reception officer issues the stop notice (Form 05); axe-core and 360 px checks.

Runs on PostgreSQL only, like the other browser tests (see test_browser.py for why).
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers import services as ds
from motcua.dossiers.models import Status
from motcua.portal.tests.test_browser import (  # noqa: F401 (fixtures, _postgres_only is autouse)
    _postgres_only,
    act,
    browser,
    check_page,
    go,
    page,
    sign_in,
    sign_out,
)
from motcua.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_asks_to_stop_and_the_counter_issues_the_stop_notice(
    page: Any,  # noqa: F811
    world: World,
) -> None:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)

    sign_in(page, "citizen")
    go(page, f"/cua-toi/{dossier.code}/")
    check_page(page, "51-my-dossier-stop-request")
    page.check("input[name=kind][value=stop]")
    page.fill("textarea[name=reason]", "Không còn nhu cầu")
    page.click("button:has-text('Gửi đề nghị')")
    page.wait_for_load_state()
    assert page.locator("[data-testid=stop-requested]").count() == 1
    check_page(page, "52-my-dossier-stop-requested")
    sign_out(page)

    sign_in(page, "reception")
    go(page, f"/can-bo/ho-so/{dossier.code}/")
    assert "Không còn nhu cầu" in page.inner_text("[data-testid=stop-request]")
    act(page, "stop")
    assert page.inner_text("[data-testid=status]") == "Dừng xử lý"
    page.click("a:has-text('In mẫu vừa lập')")
    page.wait_for_load_state()
    assert page.inner_text("#form-title").upper() == "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
    check_page(page, "53-stop-notice-form-05")
    assert world.refresh(dossier).status == Status.STOPPED
