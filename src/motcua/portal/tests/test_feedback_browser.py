"""Feedback (PAKN) in headless Chromium: a signed-in citizen sends feedback about their dossier,
the department's specialist answers it and publishes the answer, and the public answers page
shows it without the sender's name; axe-core (WCAG 2.2 AA, no violation at all) and 360 px
checks on every page of the journey.

Runs on PostgreSQL only, like the other browser tests (see test_browser.py for why).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from motcua.portal.tests.test_browser import (  # noqa: F401 (fixtures, _postgres_only is autouse)
    AXE,
    WCAG_TAGS,
    _postgres_only,
    browser,
    check_page,
    go,
    page,
    sign_in,
    sign_out,
)
from motcua.ratings.models import Feedback, FeedbackStatus
from motcua.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_strictly(page: Any, name: str) -> None:  # noqa: F811
    """`check_page` (serious and critical violations, 360 px, screenshots), then no axe
    violation of any impact on the page."""
    check_page(page, name)
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    found = [{"id": v["id"], "impact": v["impact"]} for v in result["violations"]]
    assert not found, f"{name}: accessibility violations {json.dumps(found, ensure_ascii=False)}"


def test_a_citizen_files_feedback_an_officer_answers_and_the_public_reads_it(
    page: Any,  # noqa: F811
    world: World,
) -> None:
    dossier = world.register()

    sign_in(page, "citizen")
    go(page, f"/cua-toi/{dossier.code}/")
    with page.expect_navigation():
        page.click("[data-testid=feedback-link]")
    check_strictly(page, "60-feedback-form")
    with page.expect_navigation():
        page.click("form[data-testid=feedback-form] button[type=submit]")
    assert page.locator(".error-summary").count() == 1  # nothing chosen: the summary says what
    check_strictly(page, "61-feedback-form-errors")
    page.check("input[name=kind][value=settlement]")
    page.fill("textarea[name=content]", "Hồ sơ đã quá hẹn nhưng chưa được thông báo lý do.")
    with page.expect_navigation():
        page.click("form[data-testid=feedback-form] button[type=submit]")
    assert re.search(r"/phan-anh/ma/PAKN-[A-Z0-9]{8}/$", page.url)
    code = page.inner_text("[data-testid=feedback-code]").strip()
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", page.inner_text("[data-testid=feedback-due]").strip())
    check_strictly(page, "62-feedback-sent")
    sign_out(page)

    sign_in(page, "specialist")
    go(page, "/can-bo/phan-anh/")
    assert page.locator("[data-testid=feedback-row]").count() == 1
    check_strictly(page, "63-feedback-queue")
    with page.expect_navigation():
        page.click(f"a:has-text('{code}')")
    check_strictly(page, "64-feedback-officer")
    page.click("#action-answer summary")
    page.fill("textarea[name=answer-answer]", "Hồ sơ chờ xác minh của cơ quan công an; Sở đã gửi thư xin lỗi.")
    with page.expect_navigation():
        page.click("button[data-action=answer]")
    assert page.inner_text("[data-testid=status]") == "Đã xử lý"
    page.click("#action-publish summary")
    with page.expect_navigation():
        page.click("button[data-action=publish]")
    assert page.inner_text("[data-testid=status]") == "Đã công khai trả lời"
    sign_out(page)

    go(page, "/phan-anh/")
    answer = page.locator("[data-testid=answer]")
    assert answer.count() == 1
    assert "chờ xác minh" in answer.inner_text()
    assert "Nguyễn Văn An" not in page.content()
    assert "N. V. A." in answer.inner_text()
    with page.expect_navigation():
        answer.locator("[data-testid=like]").click()
    check_strictly(page, "65-feedback-answers")
    stored = Feedback.objects.get()
    assert (stored.status, stored.likes, stored.dossier_id) == (FeedbackStatus.PUBLISHED, 1, dossier.pk)
