"""CI smoke check of the W4 benchmark paths (issue 4 item 6), at a small size and without
any timing: the synthetic file imports completely (through the parsing process, as the
benchmark runs it), and the province dashboard read from counters gives exactly what the
reference engine computes from every dossier's facts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

BENCH = Path(__file__).resolve().parents[4] / "bench"
#: Issue 4 item 6: "smaller sizes (10,000) run in CI as a smoke check without timing assertions".
N = 10_000


@pytest.fixture
def bench_modules() -> Any:
    sys.path.insert(0, str(BENCH))
    try:
        import w4_dashboard
        import w4_import

        yield w4_import, w4_dashboard
    finally:
        sys.path.remove(str(BENCH))


def test_the_w4_file_imports_completely_and_the_dashboard_equals_the_engine(
    world: Any, bench_modules: Any, tmp_path: Path
) -> None:
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.exchange.importer import Importer
    from motcua.indicators.conf import indicator_settings
    from motcua.indicators.engine import aggregate, score
    from motcua.indicators.facts import load_facts
    from motcua.indicators.selectors import catalogue_facts_for, pakn_for, province_root
    from motcua.indicators.services import indicators_rebuild

    w4_import, w4_dashboard = bench_modules
    path = w4_import.synthesise(tmp_path / "w4.jsonl", N)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == N

    report = Importer(workers=1, batch_size=128).run(path.open("rb"))

    assert (report.imported, report.skipped, report.failed) == (N, 0, [])
    assert Dossier.objects.count() == N
    assert DossierEvent.objects.count() == sum(len(r["events"]) for r in records)
    received = sum(1 for r in records if r["received_at"] is not None)
    assert indicators_rebuild() == received

    root = province_root()
    period = w4_dashboard.busiest_quarter()
    now = timezone.now()
    card, ranking, sub = w4_dashboard.dashboard(period, now)

    cfg = indicator_settings()
    facts = [f for f, _, _ in load_facts(Dossier.objects.values_list("pk", flat=True), cfg).values()]
    agencies = {a.pk: a for a in [root, *(r.agency for r in ranking)]}
    expected = score(
        aggregate(facts, period, now, cfg),
        catalogue_facts_for(agencies, period, cfg)[root.pk],
        pakn_for(agencies, period, now, cfg)[root.pk],
        cfg,
    )
    assert card.received > 0
    assert (card.received, card.on_time, card.late) == (expected.received, expected.on_time, expected.late)
    got = [(i.key, i.numerator, i.denominator, round(i.points, 9)) for g in card.groups for i in g.items]
    want = [(i.key, i.numerator, i.denominator, round(i.points, 9)) for g in expected.groups for i in g.items]
    assert got == want
    assert sorted(r.agency.code for r in ranking) == sorted(a.code for a in agencies.values() if a.pk != root.pk)
    if connection.vendor == "postgresql":
        # the benchmark's baseline (rule 2.1 in SQL over dossiers and events) agrees with the counters
        assert w4_dashboard.compare(sub, w4_dashboard.baseline(period, now)) == []
