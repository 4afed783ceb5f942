"""CI smoke check of the W3 benchmark (deadline arithmetic) at a small size, without timing:
it runs, and its baseline walk computes the same due as the engine on nearly every instant
(the walk ignores swapped working Saturdays and editable overrides, so not on all)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[4] / "bench"


def test_the_w3_baseline_walk_agrees_with_the_engine_on_nearly_every_instant(db: Any) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import common
        import w3
    finally:
        sys.path.remove(str(BENCH))
    row = w3.run(common.Context(world=None), 300)
    assert set(row["variants"]) == {
        "working_days",
        "working_hours",
        "calendar_days",
        "working_days+pause",
        "working_hours+pause",
        "calendar_days+pause",
    }
    for name, variant in row["variants"].items():
        assert variant["agreement"] >= 0.95, name
        assert variant["due_instant_per_s"] > 0
        assert variant["walk_per_s"] > 0
