"""PAKN counters (6.1, 6.2) agree with the PAKN-by-PAKN computation; reads that find nothing
new take no lock; the per-process catalogue facts follow publication changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.services import procedure_abolish
from motcua.indicators.conf import indicator_settings
from motcua.indicators.models import PaknCounter, PaknFact
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import pakn_for, pakn_from_counters, scorecard, subtree_agencies
from motcua.indicators.services import indicator_facts_refresh, indicators_catch_up, indicators_rebuild
from motcua.indicators.tests.conftest import Walker, vn
from motcua.ratings.models import Feedback

STATUSES = ("open", "handled", "refused", "supplement_requested", "published")
PERIODS = ("2026-03", "2026-Q1", "2026-03-10..2026-04-07", "2026-04")
NOWS = (vn(2026, 3, 12), vn(2026, 3, 25, 17), vn(2026, 4, 3), vn(2026, 7, 1))


def _snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    counters = sorted(
        row
        for row in PaknCounter.objects.values_list("agency_id", "month", "received", "on_time", "satisfied", "open")
        if any(row[2:])
    )
    facts = sorted(
        PaknFact.objects.values_list("feedback_id", "handle_due", "final", "on_time", "satisfied", "objected")
    )
    return counters, facts


def _assert_counters_equal_the_reference(world: Any) -> None:
    cfg = indicator_settings()
    agencies = subtree_agencies(world.province)
    for label in PERIODS:
        period = parse_period(label)
        for now in NOWS:
            assert pakn_from_counters(agencies, period, now, cfg=cfg) == pakn_for(agencies, period, now, cfg), (
                label,
                now,
            )


feedback_rows = st.lists(
    st.tuples(
        st.sampled_from(["justice", "tax", "commune", "commune_centre", "province"]),
        st.integers(min_value=0, max_value=50 * 24),  # receipt, hours after 1/3/2026 00:00
        st.sampled_from(STATUSES),
        st.integers(min_value=0, max_value=30 * 24),  # outcome, hours after the receipt
        st.booleans(),  # outcome instant recorded
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=3),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=feedback_rows, handle_later=st.lists(st.integers(min_value=0, max_value=11), max_size=4))
def test_pakn_counters_equal_the_pakn_by_pakn_computation(world: Any, rows: list[Any], handle_later: list[int]) -> None:
    created = []
    for agency, hours, status, after, recorded, likes, dislikes, repeated in rows:
        received = vn(2026, 3, 1) + timedelta(hours=hours)
        outcome = received + timedelta(hours=after) if recorded else None
        created.append(
            Feedback.objects.create(
                agency=getattr(world, agency),
                content="Phản ánh",
                status=status,
                received_at=received,
                handled_at=outcome if status in {"handled", "published"} else None,
                refused_at=outcome if status == "refused" else None,
                supplement_requested_at=outcome if status == "supplement_requested" else None,
                published_at=outcome + timedelta(hours=30) if outcome and status == "published" else None,
                likes=likes,
                dislikes=dislikes,
                repeated=repeated,
            )
        )
    indicators_catch_up()
    _assert_counters_equal_the_reference(world)

    # A PAKN handled (or liked) later changes no id: its service refreshes it explicitly.
    changed = {created[i % len(created)].pk for i in handle_later}
    for pk in changed:
        f = Feedback.objects.get(pk=pk)
        Feedback.objects.filter(pk=pk).update(
            status="handled", handled_at=f.received_at + timedelta(days=4), likes=f.likes + 1
        )
    indicator_facts_refresh(feedback_ids=changed)
    _assert_counters_equal_the_reference(world)

    incremental = _snapshot()
    indicators_rebuild()
    assert _snapshot() == incremental


def test_an_open_pakn_is_on_time_until_its_fifteenth_working_day(world: Any) -> None:
    Feedback.objects.create(agency=world.justice, content="PAKN", received_at=vn(2026, 3, 2, 9))
    indicators_catch_up()
    agencies = subtree_agencies(world.province)
    march = parse_period("2026-03")
    early = pakn_from_counters(agencies, march, vn(2026, 3, 10))[world.province.pk]
    late = pakn_from_counters(agencies, march, vn(2026, 6, 1))[world.province.pk]
    assert (early.total, early.on_time, early.satisfied) == (1, 1, 1)
    assert (late.total, late.on_time, late.satisfied) == (1, 0, 0)  # judged at 31/3, past 20/3


def test_a_read_that_finds_nothing_new_takes_no_lock_and_sends_one_query(world: Any, walk: Walker) -> None:
    walk.counter(vn(2026, 3, 2, 9))
    assert indicators_catch_up() == 1
    with CaptureQueriesContext(connection) as queries:
        assert indicators_catch_up() == 0
    assert len(queries.captured_queries) == 1
    assert "FOR UPDATE" not in queries.captured_queries[0]["sql"].upper()

    walk.counter(vn(2026, 3, 3, 9))  # a new event: the next read folds it
    assert indicators_catch_up() == 1
    assert scorecard(world.province, parse_period("2026-03"), now=vn(2026, 3, 4)).received == 2


def test_the_catalogue_facts_follow_an_abolished_procedure(world: Any) -> None:
    march = parse_period("2026-03")
    before = scorecard(world.province, march, now=vn(2026, 3, 4)).item("1.3").denominator
    procedure_abolish(
        procedure=world.procedure.procedure, decision_number="12/QĐ-UBND", decision_date=vn(2026, 3, 3).date()
    )
    after = scorecard(world.province, march, now=vn(2026, 3, 4)).item("1.3").denominator
    assert after == before - 1
