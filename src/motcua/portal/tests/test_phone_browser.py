"""Lists on a 360-px phone (issue 12 item 9) in headless Chromium: the officer's queue, the
counter's lists and the citizen's dossiers become stacked cards, no word is broken letter by
letter, no page scrolls sideways, the header keeps to a fifth of the screen; axe-core finds no
violation at WCAG 2.2 AA.

Runs on PostgreSQL only, like the other browser tests (see test_browser.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from motcua.dossiers import services as ds
from motcua.indicators.tests.test_dashboard_browser import PHONE, axe_violations, sideways_scroll
from motcua.portal.tests.test_browser import (  # noqa: F401 (fixtures, _postgres_only is autouse)
    _postgres_only,
    browser,
    go,
    page,
    sign_in,
    sign_out,
)
from motcua.testing.world import ANY_HOUR_REASON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The narrowest a line of a card may be: a cell squeezed to a few letters is what the cards prevent.
NARROWEST_CELL = 200


def assert_cards(page: Any, selector: str, name: str) -> None:  # noqa: F811
    """Each row of the table is a card as wide as the screen allows, its cells labelled."""
    rows = page.locator(f"{selector} tbody tr")
    assert rows.count() > 0, f"{name}: no row"
    assert rows.first.evaluate("e => getComputedStyle(e).display") == "block", f"{name}: still a table row"
    widths = page.eval_on_selector_all(f"{selector} tbody td", "els => els.map(e => e.getBoundingClientRect().width)")
    assert min(w for w in widths if w) >= NARROWEST_CELL, f"{name}: cells {widths}"
    labels = page.eval_on_selector_all(
        f"{selector} tbody td[data-label]", "els => els.map(e => getComputedStyle(e, '::before').content)"
    )
    assert labels, f"{name}: no labelled cell"
    assert all(label not in {"none", "normal", '""'} for label in labels), f"{name}: {labels}"
    assert sideways_scroll(page) <= 0, f"{name}: scrolls sideways"
    header = page.eval_on_selector("header.site-header", "e => e.getBoundingClientRect().height")
    assert header <= PHONE["height"] / 5, f"{name}: the header takes {header}px"
    assert axe_violations(page) == [], name


def test_queues_and_lists_become_cards_on_a_phone(page: Any, world: Any) -> None:  # noqa: F811
    now = timezone.now()
    # an instant taken from the clock, at whatever hour the suite runs
    late = world.register(at=now - timedelta(days=40), outside_hours_reason=ANY_HOUR_REASON)
    ds.dossier_start_processing(dossier=late, actor=world.reception, at=now - timedelta(days=40))
    world.submit()
    stale = world.submit(at=now - timedelta(days=15))  # past 8 working hours, even across Tết
    page.set_viewport_size(PHONE)

    sign_in(page, "leader")
    go(page, "/can-bo/?queue=overdue")
    assert_cards(page, "#table table", "queue")
    card = page.locator(f"#table tbody tr:has-text('{late.code}')")
    assert card.evaluate("e => getComputedStyle(e).borderLeftWidth") != "0px"  # overdue stays marked
    sign_out(page)

    sign_in(page, "reception")
    go(page, "/mot-cua/")
    assert_cards(page, "main section table", "counter")
    go(page, "/can-bo/?queue=reception_late")
    assert_cards(page, "#table table", "reception queue")
    flagged = page.locator(f"#table tbody tr:has-text('{stale.code}') [data-reception-wait]")
    assert flagged.get_attribute("data-reception-wait") == "overdue"
    sign_out(page)

    sign_in(page, "citizen")
    go(page, "/cua-toi/")
    assert_cards(page, "main table", "my dossiers")
    icon = page.eval_on_selector("link[rel=icon]", "e => e.href")
    assert page.request.get(icon).ok
