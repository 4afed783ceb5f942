"""`import_dossiers --bulk`: on PostgreSQL the foreign keys of the imported tables are set aside
during the import and put back, exactly as they were and validated, at the end, whatever
happens to the import; the dossiers come out the same as with the plain import.

The PostgreSQL tests commit for real (`transaction=True`): DDL and several connections are
involved. (SQLite cannot empty an append-only events table after such a test.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from motcua.exchange.apps import foreign_keys_in_place
from motcua.exchange.bulk import (
    BulkLoadError,
    _foreign_keys,
    restore_foreign_keys,
    suspend_foreign_keys,
    unvalidated_foreign_keys,
)
from motcua.exchange.export import export_lines
from motcua.exchange.generator import generate_dossiers
from motcua.exchange.importer import IMPORTED_MODELS, Importer
from motcua.exchange.models import SuspendedConstraint
from motcua.exchange.tests.conftest import UNTIL, rolled_back
from motcua.exchange.tests.test_round_trip import _rows

TABLES = [m._meta.db_table for m in IMPORTED_MODELS]
committing = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("Foreign keys are set aside on PostgreSQL only; SQLite checks them row by row, cheaply.")
    yield
    # Never leave the test database without its keys, whatever the test did.
    restore_foreign_keys(IMPORTED_MODELS)


@pytest.fixture
def history(world: Any) -> tuple[list[str], dict[str, Any]]:
    with rolled_back():
        generate_dossiers(count=30, seed=11, until=UNTIL)
        return list(export_lines()), _rows()


def _codes(messages: list[Any]) -> list[str]:
    return [m.id for m in messages]


@committing
def test_a_bulk_import_gives_the_plain_result_and_puts_every_key_back(
    postgres: None, history: tuple[list[str], dict[str, Any]]
) -> None:
    lines, rows = history
    keys_before = _foreign_keys(TABLES)
    assert len(keys_before) >= 25
    keys_during: list[int] = []

    def progress(line: int) -> None:
        keys_during.append(len(_foreign_keys(TABLES)))

    report = Importer(batch_size=8, workers=1, bulk=True, progress=progress).run([*lines, lines[2], "{"])

    assert keys_during, "the progress was reported"
    assert set(keys_during) == {0}, "the keys were set aside while the rows went in"
    assert report.imported == 30
    assert [p.line for p in report.duplicates] == [31]
    assert [p.line for p in report.failed] == [32]
    assert report.invalid_keys == []
    assert list(export_lines()) == lines
    assert _rows() == rows
    assert _foreign_keys(TABLES) == keys_before, "every key is back, with the same definition"
    assert unvalidated_foreign_keys() == []
    assert not SuspendedConstraint.objects.exists()
    assert foreign_keys_in_place(databases=["default"]) == []


@committing
def test_a_failing_import_still_puts_the_keys_back(postgres: None, history: tuple[list[str], dict[str, Any]]) -> None:
    lines, _ = history
    keys_before = _foreign_keys(TABLES)

    def progress(line: int) -> None:
        if line > 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Importer(batch_size=8, bulk=True, progress=progress).run(lines)
    assert _foreign_keys(TABLES) == keys_before
    assert unvalidated_foreign_keys() == []
    assert not SuspendedConstraint.objects.exists()


@committing
def test_keys_left_aside_by_a_crash_are_reported_and_put_back_by_the_command(
    postgres: None, history: tuple[list[str], dict[str, Any]]
) -> None:
    lines, _ = history
    keys_before = _foreign_keys(TABLES)
    assert suspend_foreign_keys(IMPORTED_MODELS) == len(keys_before)  # and then the process died
    assert SuspendedConstraint.objects.count() == len(keys_before)
    assert _codes(foreign_keys_in_place(databases=["default"])) == ["exchange.E001"]
    with pytest.raises(BulkLoadError, match="--restore-constraints"):
        Importer(bulk=True).run(lines)

    call_command("import_dossiers", "--restore-constraints")

    assert _foreign_keys(TABLES) == keys_before
    assert foreign_keys_in_place(databases=["default"]) == []
    assert Importer(bulk=True).run(lines).imported == 30


@committing
def test_a_row_written_against_a_key_while_it_was_aside_is_reported_and_the_key_stays_in_force(
    postgres: None, history: tuple[list[str], dict[str, Any]]
) -> None:
    lines, _ = history
    Importer().run(lines[:1])
    suspend_foreign_keys(IMPORTED_MODELS)
    with connection.cursor() as cursor:  # a concurrent writer, while the keys are aside
        cursor.execute(
            "INSERT INTO payments_payment (dossier_id, amount_vnd, status, online, provider, reference, "
            "fee_data_synced, requested_at) VALUES (987654321, 1000, 'pending', false, 'counter', '', false, now())"
        )

    report = restore_foreign_keys(IMPORTED_MODELS)

    assert len(report.invalid) == 1
    assert report.invalid[0].startswith("payments_payment.")
    assert "987654321" in report.invalid[0]
    assert [t for t, _ in unvalidated_foreign_keys()] == ["payments_payment"]
    assert _codes(foreign_keys_in_place(databases=["default"])) == ["exchange.W001"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO payments_payment (dossier_id, amount_vnd, status, online, provider, reference, "
            "fee_data_synced, requested_at) VALUES (987654322, 1000, 'pending', false, 'counter', '', false, now())"
        )
        with pytest.raises(IntegrityError):  # the key is in force again for new rows
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)
    with pytest.raises(CommandError, match="not valid"):
        call_command("import_dossiers", "--restore-constraints")

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM payments_payment WHERE dossier_id = 987654321")
    call_command("import_dossiers", "--restore-constraints")
    assert unvalidated_foreign_keys() == []


def test_bulk_on_sqlite_is_the_plain_import(world: Any, history: tuple[list[str], dict[str, Any]]) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite path.")
    lines, rows = history
    assert suspend_foreign_keys(IMPORTED_MODELS) == 0
    assert Importer(batch_size=8, bulk=True).run(lines).imported == 30
    assert _rows() == rows


@committing
def test_the_command_imports_in_bulk(
    postgres: None, history: tuple[list[str], dict[str, Any]], tmp_path: Any, capsys: Any
) -> None:
    lines, rows = history
    keys_before = _foreign_keys(TABLES)
    path = tmp_path / "dossiers.jsonl"
    path.write_text("".join(lines), encoding="utf-8")

    call_command("import_dossiers", str(path), "--bulk", "--no-progress", "--batch-size", "7")

    assert "30 imported, 0 skipped (already present), 0 failed" in capsys.readouterr().out
    assert _rows() == rows
    assert _foreign_keys(TABLES) == keys_before
    assert unvalidated_foreign_keys() == []
