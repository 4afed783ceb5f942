"""CI smoke check of the W2 benchmark (the HTTP lifecycle) at a tiny size, without timing: a
real gunicorn process with the production settings serves the API on the test database, the
clients carry every dossier to its end through it (one in ten refused), and the server counts
the statements of every command. Speed is measured by `make bench`, never asserted here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier, Status

BENCH = Path(__file__).resolve().parents[4] / "bench"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="W2 runs a separate server process on the test database: it needs a database server "
        "(PostgreSQL), not an in-memory SQLite file, and the benchmark is defined on PostgreSQL.",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_w2_carries_every_dossier_to_its_end_through_a_real_server(world: Any, settings: Any) -> None:
    # One citizen files every dossier (the engine's part of the run): lift the daily limit.
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "MAX_SUBMISSIONS_PER_DAY": 10**8}
    sys.path.insert(0, str(BENCH))
    try:
        import common
        import w2_http
    finally:
        sys.path.remove(str(BENCH))

    row = w2_http.run(common.Context(world=world), 10)

    for clients in ("1", "4"):
        figures = row["clients"][clients]
        assert figures["non_2xx"] == 0
        assert set(figures["commands"]) == {
            "create",
            "receive",
            "refuse",
            "start_processing",
            "finish",
            "return_result",
        }
        for command, counts in figures["commands"].items():
            assert counts["statements"] > 0, command
    assert set(row["engine_statements_per_command"]) == set(w2_http.ENGINE_LABEL.values()) | {
        "receive",
        "refuse",
        "start_processing",
        "finish",
        "return_result",
    }
    # The floor: every round's health checks answered (`floor` raises on any other answer), and
    # the ceiling computed from them (a ratio, never above 1).
    assert row["floor"]["requests"] == w2_http.ROUNDS * w2_http.FLOOR_REQUESTS
    assert row["floor"]["requests_per_dossier"] == 4.7  # 5 requests a dossier, 2 for the one in 10 refused
    assert 0 < row["ratio_ceiling"] < 1
    # Warm-up (8) and 1 and 4 clients (10 each) through HTTP, and the engine's W1 runs: every
    # dossier is filed by the national portal's connector, both ways.
    portal = Dossier.objects.filter(online_source="national_portal")
    assert (portal.count(), portal.filter(status=Status.REFUSED).count()) == (48, 4)
    assert portal.exclude(status__in=[Status.REFUSED, Status.RETURNED]).count() == 0
