"""Fixtures of the HTTP-level tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def in_process_wsgi(world: Any) -> Iterator[Any]:
    """Let WSGI calls share the test's database transaction.

    Django's handler closes "old" connections at the start and end of every request, which
    inside the test transaction would throw the test data away; its test client disconnects
    the same signal handlers.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield world
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
