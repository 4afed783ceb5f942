"""Group and sub-indicator points on hand-built totals (numbers computed by hand)."""

from __future__ import annotations

from collections import Counter

import pytest

from motcua.indicators.conf import indicator_settings
from motcua.indicators.engine import CatalogueFacts, PaknFacts, Totals, score


def totals(**counts: int) -> Totals:
    t = Totals()
    t.counts = Counter(counts)
    return t


CFG = indicator_settings()


def test_it_scores_progress_as_20_times_the_on_time_share() -> None:
    # 7 final on time + 1 open judged on time = 8 of 10 → 20 × 0.8 = 16
    t = totals(received=10, on_time=7, late=1, open=2)
    t.judged_open = {"A": True, "B": False}
    card = score(t, CatalogueFacts(), PaknFacts(), CFG)
    assert card.item("2.1").numerator == 8
    assert card.item("2.1").points == pytest.approx(16.0)
    assert card.late == 2


SUB_CASES = [
    # key, counts, expected numerator, denominator, points (by hand)
    ("1.4", {"received": 4, "synced": 1}, 1, 4, 1.5),  # 6 × 1/4
    ("3.0", {"received": 10, "eligible": 8, "full_online": 2}, 2, 8, 3.0),  # 12 × 2/8
    ("4.1", {"received": 10, "paper_required": 5, "e_result": 1}, 1, 5, 1.2),  # 6 × 1/5
    ("4.2", {"received": 10, "digitized": 5}, 5, 10, 2.0),  # 4 × 0.5, linear (no 80 % threshold)
    ("4.3", {"received": 10, "reused": 4}, 4, 10, 1.0),  # min(2, 2 × 0.4 / 0.8) = 1
    ("4.3", {"received": 10, "reused": 9}, 9, 10, 2.0),  # capped at 2
    ("4.4", {"received": 8, "warehouse": 2}, 2, 8, 1.0),  # 4 × 1/4
    ("4.5b", {"received": 5, "population": 5}, 5, 5, 2.0),
    ("5.A", {"received": 6, "fee_due": 4, "paid_online": 1}, 1, 4, 1.5),  # 6 × 1/4
]


@pytest.mark.parametrize(("key", "counts", "n", "d", "points"), SUB_CASES)
def test_it_scores_each_dossier_indicator(key: str, counts: dict[str, int], n: int, d: int, points: float) -> None:
    card = score(totals(**counts), CatalogueFacts(), PaknFacts(), CFG)
    item = card.item(key)
    assert (item.numerator, item.denominator) == (n, d)
    assert item.points == pytest.approx(points)


def test_it_scores_an_empty_denominator_as_zero_except_pakn() -> None:
    card = score(totals(), CatalogueFacts(), PaknFacts(), CFG)
    assert card.item("2.1").rate is None
    assert card.item("2.1").points == 0
    assert card.item("6.3").points == 0  # 0 when R is empty
    assert card.item("6.1").points == 6
    assert card.item("6.2").points == 6
    assert card.total == pytest.approx(12.0)


def test_it_scores_payment_b_and_c_per_procedure() -> None:
    # fee procedures {1, 2, 3, 4}; procedure 1 had an online payment, 1 and 2 had fee data;
    # procedure 9 is not a fee procedure. B = 1/4 → min(2, 2.5 × 0.25) = 0.625; C = 2/4 → 2.5 × 0.5 = 1.25
    t = totals(received=3, fee_due=2, paid_online=1)
    t.per_procedure = {1: Counter(paid_online=1, fee_data=1), 2: Counter(fee_data=2), 9: Counter(paid_online=1)}
    card = score(t, CatalogueFacts(fee_procedures=frozenset({1, 2, 3, 4})), PaknFacts(), CFG)
    assert card.item("5.B").points == pytest.approx(0.625)
    assert card.item("5.C").points == pytest.approx(1.25)
    assert card.item("5.A").points == pytest.approx(3.0)  # 6 × 1/2


def test_it_caps_payment_b_at_two_points() -> None:
    t = totals(received=1)
    t.per_procedure = {1: Counter(paid_online=1)}
    card = score(t, CatalogueFacts(fee_procedures=frozenset({1})), PaknFacts(), CFG)
    assert card.item("5.B").points == pytest.approx(2.0)  # min(2, 2.5)


def test_it_scores_settlement_satisfaction_with_the_90_percent_threshold() -> None:
    # 20 received, 2 late, 1 complained: rate = 1 − (0.1 + 0.05) = 0.85 → 6 × 0.85 / 0.9 = 5.6667
    t = totals(received=20, on_time=18, late=2, complained=1)
    card = score(t, CatalogueFacts(), PaknFacts(), CFG)
    assert card.item("6.3").rate == pytest.approx(0.85)
    assert card.item("6.3").points == pytest.approx(5.666666, rel=1e-5)


def test_it_floors_settlement_satisfaction_at_zero() -> None:
    t = totals(received=2, late=2, complained=2)
    assert score(t, CatalogueFacts(), PaknFacts(), CFG).item("6.3").points == 0


def test_it_scores_pakn_linearly_when_there_is_some() -> None:
    # 4 PAKN, 3 on time, 2 satisfied: 6 × 3/4 = 4.5 and 6 × 2/4 = 3
    card = score(totals(), CatalogueFacts(), PaknFacts(total=4, on_time=3, satisfied=2), CFG)
    assert card.item("6.1").points == pytest.approx(4.5)
    assert card.item("6.2").points == pytest.approx(3.0)


def test_it_scores_catalogue_indicators() -> None:
    # 1.1 3/4 → 4.5; 1.2 1/2 → 2; 1.3 1/1 → 2; e-copies 1/4 → 0.5; 4.5a: citizen {1,2}, population in 1 → 1
    t = totals(received=1, population=1)
    t.per_procedure = {1: Counter(population=1)}
    cat = CatalogueFacts(
        published_on_time=3,
        published_total=4,
        public_on_time=1,
        public_total=2,
        complete=1,
        complete_total=1,
        citizen_procedures=frozenset({1, 2}),
        communes_offering=1,
        communes=4,
    )
    card = score(t, cat, PaknFacts(), CFG)
    assert [card.item(k).points for k in ("1.1", "1.2", "1.3", "4.e", "4.5a")] == pytest.approx([4.5, 2, 2, 0.5, 1])


def test_the_maxima_sum_to_100() -> None:
    card = score(totals(), CatalogueFacts(), PaknFacts(), CFG)
    assert [g.max_points for g in card.groups] == [18, 20, 12, 10, 22, 18]
    assert sum(i.max_points for g in card.groups for i in g.items) == pytest.approx(100.5)


@pytest.mark.parametrize(
    ("total", "label"),
    [(90, "Xuất sắc"), (89.99, "Tốt"), (80, "Tốt"), (70, "Khá"), (50, "Trung bình"), (49.99, "Yếu"), (0, "Yếu")],
)
def test_it_classifies_by_the_assumed_cut_offs(total: float, label: str) -> None:
    assert CFG.classify(total) == label
