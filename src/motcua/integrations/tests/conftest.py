"""Fixtures of the connected systems' tests: the national portal simulator on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

# `manage.py run_worker` processes on the test database (PostgreSQL), for the delivery tests.
from motcua.background.tests.test_worker_process import workers  # noqa: F401
from motcua.integrations.national_portal.conf import load
from motcua.integrations.national_portal.connector import NationalPortalConnector
from motcua.integrations.national_portal.simulator import PortalSimulator


@pytest.fixture
def simulator(settings: Any) -> Iterator[PortalSimulator]:
    sim = PortalSimulator(username="motcua", password="s3cret", unit_code="000.00.31.H99", stall_seconds=1.0)
    url = sim.start()
    settings.NATIONAL_PORTAL = {
        "URL": url,
        "USERNAME": "motcua",
        "PASSWORD": "s3cret",
        "UNIT_CODE": "000.00.31.H99",
        "TIMEOUT": 0.4,
        "BACKOFF_BASE": 0.0,
        "BACKOFF_CAP": 0.0,
        "MAX_ATTEMPTS": 4,
    }
    yield sim
    sim.stop()


@pytest.fixture
def connector(simulator: PortalSimulator) -> NationalPortalConnector:
    return NationalPortalConnector(load())


def drain(connector: Any, passes: int = 50) -> None:
    """Run passes until nothing is left to send (or `passes` runs out)."""
    from motcua.integrations import backbone

    for _ in range(passes):
        result = backbone.run_pass(connector, owner="test")
        if not (result.derived or result.sent or result.failed):
            return
