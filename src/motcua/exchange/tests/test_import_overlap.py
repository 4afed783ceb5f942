"""The two-writer import (PostgreSQL, the path `manage.py import_dossiers` takes) gives exactly
what the one-connection path gives: same dossiers, same rows, same report, same lines out; and
so do two parsing processes taking the chunks of lines in turn.

The other import tests run inside the test's transaction, where the importer writes on one
connection; this one lets it commit for real, so it runs with `transaction=True`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from motcua.exchange.export import export_lines
from motcua.exchange.generator import generate_dossiers
from motcua.exchange.importer import Importer
from motcua.exchange.tests.conftest import UNTIL, rolled_back
from motcua.exchange.tests.test_round_trip import _rows


@pytest.mark.django_db(transaction=True)
def test_two_writer_connections_give_the_serial_result(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The two-writer import is for PostgreSQL; SQLite has one writer at a time.")
    with rolled_back():
        generate_dossiers(count=60, seed=5, until=UNTIL)
        first = list(export_lines())
        rows_before = _rows()
    # A duplicate in a later batch than its original, and a broken line at the end.
    lines = [*first[:20], first[3], *first[20:], "{not json"]

    importer = Importer(batch_size=8, workers=1, overlap=True)
    report = importer.run(lines)

    assert importer._turn >= 7, "the batches went through the two writer connections"
    assert report.imported == 60
    assert [p.line for p in report.duplicates] == [21]
    assert [p.line for p in report.failed] == [62]
    assert list(export_lines()) == first
    assert _rows() == rows_before


@pytest.mark.parametrize("workers", [0, 2])
def test_two_parsing_processes_give_the_serial_result(world: Any, workers: int) -> None:
    with rolled_back():
        generate_dossiers(count=30, seed=6, until=UNTIL)
        first = list(export_lines())
        rows_before = _rows()
    # Chunks of 8 lines (the batch size), so each process gets several, in turn; a duplicate
    # and a broken line fall in chunks other than their neighbours'.
    lines = [*first[:10], "{not json", *first[10:], first[2]]

    report = Importer(batch_size=8, workers=workers).run(lines)

    assert report.imported == 30
    assert [p.line for p in report.failed] == [11]
    assert [p.line for p in report.duplicates] == [32]
    assert list(export_lines()) == first
    assert _rows() == rows_before


def test_a_large_import_refreshes_the_planner_statistics(world: Any, exported: list[str], monkeypatch: Any) -> None:
    from motcua.exchange import importer as module

    monkeypatch.setattr(module, "ANALYZE_AFTER", len(exported))
    report = Importer(batch_size=8).run(exported)
    assert report.imported == len(exported)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'dossiers_dossierevent'")
            (tuples,) = cursor.fetchone()
        assert tuples > 0  # never analysed: -1
