"""Publicity 1.1–1.3, PAKN, and periods, on hand-built records (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from motcua.calendars.worktime import WorkCalendar
from motcua.indicators.catalogue import (
    FeedbackFacts,
    VersionFacts,
    complete_share,
    made_public_on_time,
    pakn_facts,
    published_on_time,
)
from motcua.indicators.conf import indicator_settings
from motcua.indicators.periods import VN_TZ, parse_period
from motcua.lib.errors import InvalidInput

CFG = indicator_settings()
# Monday–Friday, no holidays: easy to count working days by hand.
CAL = WorkCalendar(days_off={})


def v(
    pid: int, decision: date, legal: date | None, public: datetime | None = None, status: str = "published"
) -> VersionFacts:
    return VersionFacts(pid, status, decision, legal, decision, public, True, False, True)


def test_it_judges_publication_five_working_days_before_the_legal_basis() -> None:
    # legal basis effective Mon 16/3/2026: −5 working days = Mon 9/3.
    versions = [
        v(1, date(2026, 3, 9), date(2026, 3, 16)),  # on time (equal)
        v(2, date(2026, 3, 10), date(2026, 3, 16)),  # late by one day
        v(3, date(2026, 3, 2), date(2026, 3, 16)),  # on time
        v(3, date(2026, 3, 12), date(2026, 3, 16)),  # same procedure, late: the whole procedure is late
        v(4, date(2026, 2, 2), date(2026, 3, 16)),  # decision outside March: not counted
    ]
    assert published_on_time(versions, parse_period("2026-03"), CAL, CFG) == (1, 3)


def test_it_judges_made_public_within_five_working_days() -> None:
    # decision Mon 2/3 → due Mon 9/3.
    march = parse_period("2026-03")
    versions = [
        v(1, date(2026, 3, 2), None, datetime(2026, 3, 9, 16, tzinfo=VN_TZ)),  # on time
        v(2, date(2026, 3, 2), None, datetime(2026, 3, 10, 8, tzinfo=VN_TZ)),  # late
        v(3, date(2026, 3, 2), None, None),  # never made public, due 9/3 ≤ 31/3: counted, not on time
        v(4, date(2026, 3, 30), None, None),  # due 6/4 after the period: not counted yet
    ]
    assert made_public_on_time(versions, march, CAL, CFG) == (1, 3)


def test_it_counts_complete_procedures_in_force() -> None:
    a = v(1, date(2026, 1, 1), None)
    b = VersionFacts(2, "published", None, None, None, None, False, False, False)
    old = VersionFacts(3, "superseded", None, None, None, None, False, False, False)
    assert complete_share([a, b, old]) == (1, 2)


def test_it_judges_pakn_deadlines() -> None:
    march = parse_period("2026-03")
    received = datetime(2026, 3, 2, 9, tzinfo=VN_TZ)

    def due(start: datetime, n: int) -> datetime:
        return start + timedelta(days=n)  # a stand-in calendar: n days

    items = [
        FeedbackFacts("handled", received, handled_at=received + timedelta(days=15)),  # on time
        FeedbackFacts("handled", received, handled_at=received + timedelta(days=16), likes=5),  # overdue
        FeedbackFacts("refused", received, refused_at=received + timedelta(days=3)),  # overdue (2)
        FeedbackFacts("open", received),  # open at 31/3 > 17/3: overdue
        FeedbackFacts("handled", received, handled_at=received, dislikes=2, likes=1),  # on time, disliked
        FeedbackFacts("handled", received, handled_at=received, repeated=True),  # on time, repeated
        FeedbackFacts("handled", received - timedelta(days=40), handled_at=received),  # not in March
    ]
    facts = pakn_facts(items, march, datetime(2026, 4, 10, tzinfo=VN_TZ), due, CFG)
    # 6 PAKN; on time: 1st, 5th, 6th = 3; satisfied: only the 1st (others overdue, disliked or repeated)
    assert (facts.total, facts.on_time, facts.satisfied) == (6, 3, 1)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2026-01-15..2026-03-10", date(2026, 1, 15), date(2026, 3, 10)),
    ],
)
def test_it_parses_periods(text: str, first: date, last: date) -> None:
    p = parse_period(text)
    assert (p.first, p.last) == (first, last)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "2026-03-10..2026-03-01", "last month"])
def test_it_refuses_a_bad_period(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_period(text)


def test_a_custom_range_splits_into_full_and_partial_months() -> None:
    p = parse_period("2026-01-15..2026-03-10")
    assert p.full_months() == [date(2026, 2, 1)]
    assert p.partial_ranges() == [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 3, 1), date(2026, 3, 10))]


def test_receipt_day_is_taken_in_vietnam_time() -> None:
    march = parse_period("2026-03")
    # 31/3 17:30 UTC is 1/4 00:30 in Hà Nội: April, not March.
    assert not march.contains(datetime(2026, 3, 31, 17, 30, tzinfo=UTC))
    assert march.contains(datetime(2026, 3, 31, 23, 59, tzinfo=VN_TZ))
    assert march.end.tzinfo == VN_TZ
