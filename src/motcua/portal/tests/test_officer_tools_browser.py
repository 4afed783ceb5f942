"""Officer tools in headless Chromium: a leader assigns a dossier to a specialist, the
specialist finds it in "Assigned to me" by searching, and the leader approves and finishes it
on a 360-px phone; axe-core (WCAG 2.2 AA) and the 360-px check on each page.

Runs on PostgreSQL only, like the other browser tests (see test_browser.py for why).
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_assigns_the_specialist_finds_it_by_searching_and_the_leader_approves_on_a_phone(
    page: Any,  # noqa: F811
    world: Any,
) -> None:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    other = world.register()
    ds.dossier_start_processing(dossier=other, actor=world.reception)

    sign_in(page, "leader")
    go(page, f"/can-bo/ho-so/{dossier.code}/")
    act(page, "assign", {"#id_assign-assignee": "specialist", "#id_assign-note": "Anh Đức xử lý"})
    assert "Phạm Minh Đức" in page.inner_text("[data-testid=assignment]")
    check_page(page, "51-assigned")
    sign_out(page)

    sign_in(page, "specialist")
    go(page, "/can-bo/?queue=assigned")
    page.fill("#id_q", dossier.applicant.full_name)
    page.click("form.filters button[type=submit]")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q')")
    page.wait_for_selector(f"#table a:has-text('{dossier.code}')")
    table = page.inner_text("#table")
    assert other.code not in table  # the same applicant, but not assigned to this specialist
    assert "Đúng hạn" in table  # the deadline badge says it in words
    check_page(page, "52-assigned-to-me")
    page.click(f"#table a:has-text('{dossier.code}')")
    page.wait_for_selector("h1 .code")
    sign_out(page)

    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "leader")
    go(page, f"/can-bo/ho-so/{dossier.code}/")
    shortcut = page.locator(".to-actions a")
    assert shortcut.is_visible()
    shortcut.click()
    act(page, "approve", {"#id_approve-note": "Đồng ý"})
    button = page.locator("#action-finish summary")
    box = button.bounding_box()
    assert box is not None
    assert box["width"] >= 280  # nearly the whole screen wide
    assert box["height"] >= 44  # a thumb high
    act(page, "finish")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSED
    check_page(page, "53-approved-on-a-phone")


def test_the_counter_picker_narrows_the_procedures_as_the_officer_types(
    page: Any,  # noqa: F811
    world: Any,
) -> None:
    sign_in(page, "reception")
    go(page, "/mot-cua/tiep-nhan/")
    assert page.locator("#procedure-pick option").count() == 3  # "—" and the two procedures
    page.fill("#procedure-find", "zzqq")
    page.wait_for_function("() => document.querySelectorAll('#procedure-pick option').length === 1")
    assert "0" in page.inner_text("[data-testid=picker-count]")
    page.fill("#procedure-find", "ly lich tu phap")  # without diacritics, as typed at a counter
    page.wait_for_function("() => document.querySelectorAll('#procedure-pick option').length > 1")
    first = page.locator("#procedure-pick option").nth(1).inner_text()
    assert "lý lịch tư pháp" in first, first
    page.select_option("#procedure-pick", world.procedure.procedure.code)
    check_page(page, "54-counter-picker")
    page.click("button:has-text('Chọn')")
    page.wait_for_selector("#applicant-title")
