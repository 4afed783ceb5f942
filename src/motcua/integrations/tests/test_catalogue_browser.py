"""The administrator's journey through the national catalogue page in headless Chromium: ask for
a procedure, let the worker fetch it, read the differences, publish; axe-core and a 360-px check
on each page (PostgreSQL only, as every browser test: portal/tests/test_browser.py)."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.catalog.models import VersionStatus
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.integrations.tests.test_national_catalogue import _record
from motcua.portal.tests.test_browser import _postgres_only, browser, check_page, go, page, sign_in
from motcua.testing.tasks import run_background_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["_postgres_only", "browser", "page"]  # fixtures shared with the portal's browser tests


def test_an_administrator_imports_reviews_and_publishes_a_procedure_in_the_browser(
    page: Any, world: Any, simulator: PortalSimulator
) -> None:
    code = world.procedure.procedure.code
    simulator.catalogue[code] = _record(world, name=world.procedure.name, days="7", fee="150000")
    sign_in(page, "admin")

    go(page, "/admin/national-catalogue/")
    check_page(page, "catalogue-import")
    page.fill("#code", code)
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_load_state()
    run_background_tasks()
    go(page, "/admin/national-catalogue/")
    page.click(f"text={code}")
    page.wait_for_selector("[data-testid=differences]")
    assert "7 working_days" in page.inner_text("[data-testid=differences]")
    check_page(page, "catalogue-review")
    page.fill("#decision_number", "12/QĐ-UBND")
    page.fill("#decision_date", "2026-06-01")
    page.fill("#effective_date", "2026-06-02")
    page.click("[data-testid=publish-form] button[type=submit]")
    page.wait_for_load_state()

    assert world.procedure.procedure.versions.filter(status=VersionStatus.PUBLISHED).get().time_limit_amount == 7
