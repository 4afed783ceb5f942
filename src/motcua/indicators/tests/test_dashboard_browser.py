"""The manager's dashboard in headless Chromium on a 360-px phone: reached from the menu, bars
in their colours, the charts, a wrong period explained in Vietnamese, a drill-down with
names, axe-core with no violation at WCAG 2.2 AA, and no sideways scroll.

Runs on PostgreSQL only, like the other browser tests (see portal/tests/test_browser.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.indicators.tests.conftest import Walker, vn
from motcua.portal.tests.test_browser import (  # noqa: F401 (fixtures, _postgres_only is autouse)
    AXE,
    WCAG_TAGS,
    _postgres_only,
    browser,
    go,
    page,
    sign_in,
)
from motcua.testing.tasks import run_background_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def axe_violations(page: Any) -> list[dict[str, Any]]:  # noqa: F811
    """Every axe-core violation of WCAG 2.0–2.2 A and AA, whatever its impact."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def sideways_scroll(page: Any) -> int:  # noqa: F811
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_a_manager_reads_the_dashboard_on_a_phone(page: Any, world: Any) -> None:  # noqa: F811
    walk = Walker(world)
    done = walk.to_processing(walk.counter(vn(2026, 3, 2, 9)), vn(2026, 3, 2, 10))
    walk.finish(done, vn(2026, 3, 3, 9))
    walk.online(vn(2026, 3, 4, 9))
    run_background_tasks()
    page.set_viewport_size(PHONE)
    sign_in(page, "manager")
    page.click("nav a:has-text('Chỉ số')")
    page.wait_for_selector(".dashboard")
    go(page, "/indicators/H99/?period=2026-03")
    assert sideways_scroll(page) <= 0
    assert axe_violations(page) == []

    fills = page.eval_on_selector_all("svg.bar rect.fill", "els => els.map(e => getComputedStyle(e).fill)")
    assert fills
    assert "rgb(0, 0, 0)" not in fills, fills
    assert len(set(fills)) >= 3, f"the bars should show several classes, got {set(fills)}"
    tracks = page.eval_on_selector_all("svg.bar rect.track", "els => els.map(e => getComputedStyle(e).fill)")
    assert set(tracks) == {"rgb(227, 230, 234)"}
    assert page.locator("svg.trend-chart rect.fill").count() == 12
    assert page.locator("ol.ranking li").count() == 6
    assert page.locator("a:has-text('CSV')").get_attribute("href").startswith("/api/v1/indicators/open-data.csv")
    # A card of the scorecard fits the phone: no cell is narrower than half the screen.
    widths = page.eval_on_selector_all("table.scorecard td", "els => els.map(e => e.getBoundingClientRect().width)")
    assert min(w for w in widths if w) > 180, widths

    page.fill("#period", "2026-13")
    page.click(".period-form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert "không phải là một kỳ" in page.inner_text(".error-summary")
    assert page.get_attribute("#period", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")  # focus goes to the summary
    assert axe_violations(page) == []

    go(page, "/indicators/H99/?period=2026-03")
    page.click("table.scorecard a:has-text('Hồ sơ giải quyết đúng hạn')")
    page.wait_for_selector("h1:has-text('Hồ sơ giải quyết đúng hạn')")
    body = page.inner_text("main")
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in body
    assert "Sở Tư pháp" in body
    assert sideways_scroll(page) <= 0
    assert axe_violations(page) == []


def test_the_dashboard_speaks_english_when_english_is_chosen(page: Any, world: Any) -> None:  # noqa: F811
    sign_in(page, "manager")
    go(page, "/indicators/H99/")  # a page of its own, so no sign-in navigation races the switch
    page.select_option("#language", "en")
    with page.expect_navigation():
        page.click(".lang-switch button")
    page.wait_for_selector("html[lang=en]")
    go(page, "/indicators/H99/?period=soon")
    main = page.inner_text("main")
    for words in ("Trend by month", "Scorecard", "Open data of the period", "is not a period"):
        assert words in main
    for vietnamese in ("Xu hướng", "Bảng điểm", "không phải"):
        assert vietnamese not in main
    assert axe_violations(page) == []
