"""Shared set-up of the exchange tests: a generated history, exported once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest

from motcua.exchange.format import VN_OFFSET

#: The "now" of generated stories, fixed so the histories repeat.
UNTIL = datetime(2026, 1, 15, 16, 0, tzinfo=VN_OFFSET)


class Rollback(Exception):
    """Raised to undo everything done inside a savepoint."""


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint and undo all of it (the events triggers allow a rollback)."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


@pytest.fixture
def exported(world: Any) -> list[str]:
    """Lines of 25 generated dossiers; the dossiers themselves are rolled back afterwards,
    so the test database holds the world only (a clean database for the import)."""
    from motcua.exchange.export import export_lines
    from motcua.exchange.generator import generate_dossiers

    lines: list[str] = []
    with rolled_back():
        generate_dossiers(count=25, seed=7, until=UNTIL)
        lines.extend(export_lines())
    return lines
