"""Open dossiers are judged at read time by one count against the deadline kept on their fact
(`open_deadline`), and that count agrees with rule 2.1 applied dossier by dossier."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from motcua.indicators.conf import indicator_settings
from motcua.indicators.engine import DossierFacts, Span, aggregate, judge, open_deadline
from motcua.indicators.facts import load_facts
from motcua.indicators.models import IndicatorFact
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import subtree_totals
from motcua.indicators.services import indicators_catch_up
from motcua.indicators.tests.conftest import Walker, vn

CFG = indicator_settings()
START = vn(2026, 3, 2, 9)
hours = st.integers(min_value=1, max_value=24 * 60)


@given(
    due_after=st.one_of(st.none(), hours),
    spans=st.lists(st.tuples(st.integers(min_value=-48, max_value=24 * 40), hours), max_size=1),
    judged_after=st.integers(min_value=-24, max_value=24 * 90),
)
def test_an_open_dossier_is_on_time_exactly_until_its_open_deadline(
    due_after: int | None, spans: list[tuple[int, int]], judged_after: int
) -> None:
    facts = DossierFacts(
        code="H99.01-260302-0001",
        agency_id=1,
        procedure_id=1,
        received_at=START,
        due=None if due_after is None else START + timedelta(hours=due_after),
        supplement_requests=len(spans),
        spans=tuple(
            Span(START + timedelta(hours=asked), START + timedelta(hours=asked + took)) for asked, took in spans
        ),
    )
    at = START + timedelta(hours=judged_after)
    deadline, resumed = open_deadline(facts)
    # judged at or before the last resubmission, the read judges the dossier one by one
    assume(resumed is None or at > resumed)
    verdict = judge(facts, at, at, CFG)
    assert not verdict.final
    assert verdict.on_time == (deadline is not None and at <= deadline)


def test_open_dossiers_counted_in_bulk_agree_with_the_rule_one_by_one(world: Any, walk: Walker) -> None:
    walk.to_processing(walk.counter(vn(2026, 3, 2, 9)), vn(2026, 3, 2, 10))
    paused = walk.to_processing(walk.counter(vn(2026, 3, 3, 9)), vn(2026, 3, 3, 10))
    paused = walk.supplement(paused, vn(2026, 3, 4, 9))
    walk.resubmit(paused, vn(2026, 3, 20, 9))
    walk.counter(vn(2026, 3, 5, 9))
    indicators_catch_up()
    assert IndicatorFact.objects.filter(open=True).count() == 3
    assert IndicatorFact.objects.filter(open=True, resumed_at=vn(2026, 3, 20, 9)).count() == 1
    ids = list(IndicatorFact.objects.values_list("dossier_id", flat=True))
    facts = [f for f, _, _ in load_facts(ids, CFG).values()]

    nows = [vn(2026, 3, 10, 12), vn(2026, 3, 20, 9), vn(2026, 3, 25, 9), vn(2026, 4, 15, 9), vn(2026, 6, 1)]
    checked = set()
    for label in ("2026-03", "2026-03-01..2026-03-10", "2026-Q1"):
        period = parse_period(label)
        for now in nows:
            served = subtree_totals(world.province, period, now, CFG).totals[world.province.pk]
            reference = aggregate(facts, period, now, CFG)
            overdue = sum(1 for on_time in reference.judged_open.values() if not on_time)
            assert (served.on_time, served.late, served.open_overdue) == (reference.on_time, reference.late, overdue)
            checked.add((served.open_on_time > 0, bool(served.judged_open), served.open_overdue > 0))
    # every path was taken: counted within the deadline, judged one by one, counted late
    assert any(c[0] for c in checked)
    assert any(c[1] for c in checked)
    assert any(c[2] for c in checked)
