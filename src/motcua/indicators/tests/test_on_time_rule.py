"""Adopted rule 2.1, table-driven on hand-built facts (no database)."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.indicators.conf import indicator_settings
from motcua.indicators.engine import DossierFacts, Span, judge
from motcua.indicators.periods import VN_TZ, parse_period
from motcua.lib.errors import InvalidInput


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


RECEIVED = vn(2026, 3, 2, 9)
DUE = vn(2026, 3, 16, 9)  # the appointment on Form 01
MARCH = parse_period("2026-03")
LATER = vn(2026, 6, 1)


def facts(**kw: object) -> DossierFacts:
    base: dict[str, object] = {"code": "X", "agency_id": 1, "procedure_id": 1, "received_at": RECEIVED, "due": DUE}
    base.update(kw)
    return DossierFacts(**base)  # type: ignore[arg-type]


CASES = [
    # (name, facts, now, expected on_time, expected final, reason)
    ("processed before due", facts(processed_at=vn(2026, 3, 10, 9)), LATER, True, True, "processed"),
    ("processed exactly at due", facts(processed_at=DUE), LATER, True, True, "processed"),
    ("processed one minute late", facts(processed_at=vn(2026, 3, 16, 9, 1)), LATER, False, True, "processed"),
    # processed wins over an earlier-looking returned instant
    (
        "processed beats returned",
        facts(processed_at=vn(2026, 3, 17), returned_at=vn(2026, 3, 10)),
        LATER,
        False,
        True,
        "processed",
    ),
    ("returned only", facts(returned_at=vn(2026, 3, 12)), LATER, True, True, "returned"),
    ("stopped late", facts(stopped_at=vn(2026, 3, 20)), LATER, False, True, "stopped"),
    # two supplement requests: late whatever the end
    (
        "two supplements",
        facts(
            supplement_requests=2,
            spans=(Span(vn(2026, 3, 3), vn(2026, 3, 4)), Span(vn(2026, 3, 5), vn(2026, 3, 6))),
            processed_at=vn(2026, 3, 7),
        ),
        LATER,
        False,
        True,
        "more_than_one_supplement",
    ),
    # one unanswered supplement: end = its request instant (3/20 > due: late)
    (
        "unanswered supplement after due",
        facts(supplement_requests=1, spans=(Span(vn(2026, 3, 20)),)),
        LATER,
        False,
        True,
        "awaiting_supplement",
    ),
    (
        "unanswered supplement before due",
        facts(supplement_requests=1, spans=(Span(vn(2026, 3, 5)),)),
        LATER,
        True,
        True,
        "awaiting_supplement",
    ),
    # completed span of 5 days subtracted: end 3/19 9:00 − 5 d = 3/14 9:00 ≤ due
    (
        "span subtracted",
        facts(
            supplement_requests=1, spans=(Span(vn(2026, 3, 5, 9), vn(2026, 3, 10, 9)),), processed_at=vn(2026, 3, 19, 9)
        ),
        LATER,
        True,
        True,
        "processed",
    ),
    # open dossier judged at min(period end, now): now 3/10 < due → on time, not final
    ("open, now before due", facts(), vn(2026, 3, 10), True, False, "open"),
    # open at period end 3/31 23:59 > due → late
    ("open, period end after due", facts(), LATER, False, False, "open"),
]


@pytest.mark.parametrize(("name", "f", "now", "on_time", "final", "reason"), CASES, ids=[c[0] for c in CASES])
def test_it_judges_on_time_as_section_6_4_says(
    name: str, f: DossierFacts, now: datetime, on_time: bool, final: bool, reason: str
) -> None:
    verdict = judge(f, MARCH.end, now, indicator_settings())
    assert (verdict.on_time, verdict.final, verdict.reason) == (on_time, final, reason)


def test_it_does_not_subtract_a_span_that_ended_after_the_end_instant() -> None:
    # Open dossier judged for March: its supplement answered on 4/2 is after the period end,
    # so nothing is subtracted: end = 3/31 23:59:59.999999 > due → late.
    f = facts(supplement_requests=1, spans=(Span(vn(2026, 3, 20), vn(2026, 4, 2)),))
    verdict = judge(f, MARCH.end, LATER, indicator_settings())
    assert verdict.adjusted_end == MARCH.end
    assert verdict.on_time is False


def test_it_subtracts_the_span_when_judged_for_a_later_period_end() -> None:
    # Same dossier, judged at now = 4/5 with the quarter's end: end = 4/5, minus the 13-day
    # span (3/20 → 4/2) = 3/23 > due 3/16 → still late, and the adjusted end shows the subtraction.
    f = facts(supplement_requests=1, spans=(Span(vn(2026, 3, 20), vn(2026, 4, 2)),))
    verdict = judge(f, parse_period("2026-Q2").end, vn(2026, 4, 5), indicator_settings())
    assert verdict.adjusted_end == vn(2026, 3, 23)


def old_rule_adjusted_end(f: DossierFacts, end: datetime) -> datetime:
    """The rule before issue 11 item 10, kept to show the new rule differs: every completed
    span that ended before the end instant was subtracted whole, wherever it started."""
    spans = [s for s in f.spans if s.resubmitted_at is not None and s.resubmitted_at < end]
    return end - sum((s.resubmitted_at - s.requested_at for s in spans if s.resubmitted_at), start=end - end)


def test_a_span_before_receipt_does_not_extend_the_appointment() -> None:
    # Intake supplement of an online dossier (2/27 → 3/2 9:00, answered before the receipt at
    # 9:00 gave the appointment of 3/16 9:00); processed one day late on 3/17 9:00.
    f = facts(
        supplement_requests=1,
        spans=(Span(vn(2026, 2, 27, 9), vn(2026, 3, 1, 9)),),
        processed_at=vn(2026, 3, 17, 9),
    )
    verdict = judge(f, MARCH.end, LATER, indicator_settings())
    assert verdict.adjusted_end == vn(2026, 3, 17, 9)  # nothing subtracted
    assert verdict.on_time is False
    # The old rule subtracted the two days and called it on time: this test fails on it.
    assert old_rule_adjusted_end(f, vn(2026, 3, 17, 9)) == vn(2026, 3, 15, 9)


def test_only_the_part_of_a_span_after_the_receipt_is_subtracted() -> None:
    # A span from 2/28 9:00 to 3/4 9:00 straddles the receipt (3/2 9:00): 2 days count, not 4.
    f = facts(
        supplement_requests=1,
        spans=(Span(vn(2026, 2, 28, 9), vn(2026, 3, 4, 9)),),
        processed_at=vn(2026, 3, 17, 9),
    )
    verdict = judge(f, MARCH.end, LATER, indicator_settings())
    assert verdict.adjusted_end == vn(2026, 3, 15, 9)
    assert verdict.on_time is True
    assert old_rule_adjusted_end(f, vn(2026, 3, 17, 9)) == vn(2026, 3, 13, 9)


def test_the_setting_that_subtracted_spans_before_receipt_is_gone() -> None:
    with pytest.raises(InvalidInput):
        indicator_settings({"SUBTRACT_SPANS_BEFORE_RECEIPT": True})
