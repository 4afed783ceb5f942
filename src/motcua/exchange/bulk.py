"""Bulk loading on PostgreSQL: the foreign keys of the imported tables checked once, at the end
(`manage.py import_dossiers --bulk`).

PostgreSQL checks a foreign key row by row, with one look-up and one row lock in the
referenced table per key (at COMMIT, since Django makes them deferrable). A dossier brings
about 57 of them (its own 7, three per event, six per hand-over, …), and they were 58 % of
the server's CPU in an import (20,000 dossiers: 0.655 ms per dossier with them, 0.272 without).
Only a superuser may switch those checks off, and a province's application account is not one.

So a bulk import does what `pg_restore` does: the data first, the keys after.

1. `suspend_foreign_keys`: in one transaction, each foreign key of the imported tables is
   recorded (`SuspendedConstraint`: table, name, definition) and dropped.
2. The importer writes. Every value of a key column comes from a row it read itself (the
   agencies, procedure versions, steps and documents loaded at the start, people and user
   accounts looked up per batch, the dossiers it has just written), so nothing it writes
   can break a key; only a concurrent delete of a referenced row could.
3. `restore_foreign_keys` (also when the import fails or is interrupted): in one transaction,
   each key is added back exactly as it was, `NOT VALID` (brief locks; from then on every new
   row is checked again), and its record deleted; then each is validated (`VALIDATE
   CONSTRAINT`: one scan of the table, which does not block reads or writes). A key that does
   not validate stays in force, `NOT VALID`, and is reported with the rows that break it.

If the process dies between 1 and 3, the records stay: `manage.py import_dossiers
--restore-constraints` adds the keys back, a new bulk import refuses to start before that,
and `manage.py check --database default` reports it. SQLite checks keys row by row, in
process, at little cost: there the option changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, connections, models, transaction

from motcua.exchange.models import SuspendedConstraint

#: How long the DDL may wait for its locks. A DROP/ADD CONSTRAINT locks both tables for a few
#: milliseconds, but waiting for them blocks every query queued behind it: give up early.
LOCK_TIMEOUT = "5s"


class BulkLoadError(Exception):
    """Why the foreign keys could not be set aside or put back."""


@dataclass
class RestoreReport:
    restored: list[str] = field(default_factory=list)  # "table.constraint", validated
    invalid: list[str] = field(default_factory=list)  # why a key is in force but NOT VALID
    put_back: int = 0  # keys added back from their records


def applies() -> bool:
    return connection.vendor == "postgresql"


def suspended() -> list[SuspendedConstraint]:
    """The keys a bulk import has set aside and not put back."""
    return list(SuspendedConstraint.objects.all())


def _foreign_keys(tables: Iterable[str] | None = None) -> list[tuple[str, str, str, bool]]:
    """(table, constraint, definition, validated) of the foreign keys of these tables (all: None)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid), c.convalidated FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE c.contype = 'f' AND n.nspname = current_schema() AND (%s::text[] IS NULL OR t.relname = ANY(%s)) "
            "ORDER BY t.relname, c.conname",
            [None if tables is None else list(tables)] * 2,
        )
        return [(row[0], row[1], row[2], row[3]) for row in cursor.fetchall()]


def unvalidated_foreign_keys(tables: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(table, constraint) of the keys in force but not validated (a restore that found bad rows)."""
    return [(table, name) for table, name, _, validated in _foreign_keys(tables) if not validated]


def suspend_foreign_keys(models_: Iterable[type[models.Model]]) -> int:
    """Record and drop the foreign keys of these models' tables; returns how many."""
    if not applies():
        return 0
    if connection.in_atomic_block:
        raise BulkLoadError("A bulk import runs its own transactions; it cannot run inside another one.")
    if SuspendedConstraint.objects.exists():
        raise BulkLoadError(
            "An earlier bulk import did not put its foreign keys back: "
            "run `manage.py import_dossiers --restore-constraints` first."
        )
    tables = [m._meta.db_table for m in models_]
    quote = connection.ops.quote_name
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            keys = _foreign_keys(tables)
            SuspendedConstraint.objects.bulk_create(
                SuspendedConstraint(table=table, name=name, definition=definition)
                for table, name, definition, _ in keys
            )
            for table, name, *_ in keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    except DatabaseError as exc:
        raise BulkLoadError(f"Could not set the foreign keys aside (nothing was changed): {exc}".strip()) from exc
    return len(keys)


def restore_foreign_keys(models_: Iterable[type[models.Model]] = (), parallel: int = 2) -> RestoreReport:
    """Add back every suspended key (NOT VALID, then VALIDATE), and validate any key of these
    models' tables that an earlier restore left NOT VALID; see the module docstring."""
    report = RestoreReport()
    if not applies():
        return report
    records = suspended()
    quote = connection.ops.quote_name
    if records:
        present = {(table, name) for table, name, _, _ in _foreign_keys({r.table for r in records})}
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                for r in records:
                    if (r.table, r.name) not in present:
                        cursor.execute(
                            f"ALTER TABLE {quote(r.table)} ADD CONSTRAINT {quote(r.name)} {r.definition} NOT VALID"
                        )
                SuspendedConstraint.objects.filter(pk__in=[r.pk for r in records]).delete()
            report.put_back = len(records)
        except DatabaseError as exc:
            raise BulkLoadError(
                f"Could not put the foreign keys back ({exc}".strip()
                + "); they are still recorded: run `manage.py import_dossiers --restore-constraints` again."
            ) from exc
    # Validate what is NOT VALID among these tables (and what an earlier restore left so).
    pending = unvalidated_foreign_keys({r.table for r in records} | {m._meta.db_table for m in models_})
    by_table: dict[str, list[str]] = {}
    for table, name in pending:
        by_table.setdefault(table, []).append(name)
    # VALIDATE locks its table against another VALIDATE, not against reads or writes: the
    # tables are validated side by side, each on its own connection.
    with ThreadPoolExecutor(max(1, parallel), thread_name_prefix="validate-keys") as pool:
        results = list(pool.map(_validate_table, by_table.items()))
    for restored, invalid in results:
        report.restored += restored
        report.invalid += invalid
    return report


def _validate_table(item: tuple[str, list[str]]) -> tuple[list[str], list[str]]:
    table, names = item
    quote = connection.ops.quote_name
    restored: list[str] = []
    invalid: list[str] = []
    try:
        for name in names:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"ALTER TABLE {quote(table)} VALIDATE CONSTRAINT {quote(name)}")
                restored.append(f"{table}.{name}")
            except DatabaseError as exc:
                invalid.append(f"{table}.{name}: {exc}".strip())
    finally:
        connections.close_all()  # this thread's connection
    return restored, invalid
