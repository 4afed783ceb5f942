"""The bare baselines W1 is measured against, outside Django.

* **two statements**: BEGIN; UPDATE one dossier row (status, updated_at); INSERT one event row
  with every NOT NULL column filled; COMMIT — what a transition must do at the very least, sent
  on a bare driver connection (psycopg or sqlite3, no Django cursor wrappers) with the same
  durability settings as the engine's (PostgreSQL's default `synchronous_commit = on`;
  SQLite in WAL with `synchronous=NORMAL`, `BEGIN IMMEDIATE`).
* **one statement** (PostgreSQL only): the same UPDATE and INSERT as one
  `WITH u AS (UPDATE … RETURNING id) INSERT … SELECT … FROM u`, the form the engine itself uses.
* **pgbench** (PostgreSQL, when `pgbench` is installed): the two-statement transaction run by
  PostgreSQL's own benchmark client, one client, the same number of transactions.

The dossiers are cycled through and keep their status; event `seq` values start far above any
sequence a workload reaches, so the append-only events table takes the rows as new ones.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EVENT_COLUMNS = ["dossier_id", "seq", "action", "from_status", "to_status", "at", "actor_name", "actor_role"]
EVENT_COLUMNS += ["reason", "form", "data"]


@dataclass
class Bare:
    """A bare driver connection to the benchmark database and the baselines' SQL."""

    vendor: str
    conn: Any
    dossier_table: str
    event_table: str
    statuses: dict[int, str]
    next_seq: dict[int, int] = field(default_factory=dict)
    extra_event_columns: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def mark(self) -> str:
        return "%s" if self.vendor == "postgresql" else "?"

    def _columns(self) -> list[str]:
        return EVENT_COLUMNS + [name for name, _ in self.extra_event_columns]

    def _event_values(self, dossier_id: int, now: Any) -> list[Any]:
        status = self.statuses[dossier_id]
        seq = self.next_seq[dossier_id]
        self.next_seq[dossier_id] = seq + 1
        data: Any = "{}"
        if self.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            data = Jsonb({})
        values = [dossier_id, seq, "bench_raw", status, status, now, "bench", "system", "", "", data]
        return values + [value for _, value in self.extra_event_columns]

    def _now(self) -> Any:
        now = datetime.now(UTC)
        return now if self.vendor == "postgresql" else now.isoformat(" ")

    def two_statements(self, dossier_ids: list[int], count: int) -> float:
        """Run `count` two-statement transactions; the wall seconds they took."""
        m = self.mark
        update = f'UPDATE "{self.dossier_table}" SET "status" = {m}, "updated_at" = {m} WHERE "id" = {m}'
        columns = self._columns()
        names = ", ".join(f'"{c}"' for c in columns)
        insert = f'INSERT INTO "{self.event_table}" ({names}) VALUES ({", ".join([m] * len(columns))})'
        size = len(dossier_ids)
        conn = self.conn
        started = time.perf_counter()
        for k in range(count):
            dossier_id = dossier_ids[k % size]
            now = self._now()
            if self.vendor == "postgresql":
                with conn.cursor() as cursor:
                    cursor.execute(update, [self.statuses[dossier_id], now, dossier_id])
                    cursor.execute(insert, self._event_values(dossier_id, now))
                conn.commit()
            else:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(update, [self.statuses[dossier_id], now, dossier_id])
                conn.execute(insert, self._event_values(dossier_id, now))
                conn.execute("COMMIT")
        return time.perf_counter() - started

    def one_statement(self, dossier_ids: list[int], count: int) -> float:
        """Run `count` single-statement (CTE) transactions on PostgreSQL; the wall seconds."""
        columns = self._columns()
        names = ", ".join(f'"{c}"' for c in columns)
        sql = (
            f'WITH u AS (UPDATE "{self.dossier_table}" SET "status" = %s, "updated_at" = %s '
            f'WHERE "id" = %s RETURNING id) '
            f'INSERT INTO "{self.event_table}" ({names}) '
            f"SELECT u.id, {', '.join(['%s'] * (len(columns) - 1))} FROM u"
        )
        size = len(dossier_ids)
        started = time.perf_counter()
        for k in range(count):
            dossier_id = dossier_ids[k % size]
            now = self._now()
            with self.conn.cursor() as cursor:
                cursor.execute(
                    sql, [self.statuses[dossier_id], now, dossier_id, *self._event_values(dossier_id, now)[1:]]
                )
            self.conn.commit()
        return time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()


def open_bare(dossier_ids: list[int], *, first_seq: int = 1000) -> Bare:
    """A bare connection to the database Django is configured for, with the dossiers' state."""
    from django.db import connection

    from motcua.dossiers.models import Dossier, DossierEvent

    statuses = dict(Dossier.objects.filter(pk__in=dossier_ids).values_list("pk", "status"))
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        conn: Any = psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            user=settings["USER"] or None,
            password=settings["PASSWORD"] or None,
            dbname=settings["NAME"],
        )
    else:
        import sqlite3

        conn = sqlite3.connect(settings["NAME"], isolation_level=None, timeout=30)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
    bare = Bare(
        vendor=connection.vendor,
        conn=conn,
        dossier_table=Dossier._meta.db_table,
        event_table=DossierEvent._meta.db_table,
        statuses=statuses,
        next_seq=dict.fromkeys(statuses, first_seq),
    )
    # Columns a later version of the events table requires beyond the ones above.
    for model_field in DossierEvent._meta.concrete_fields:
        column = str(model_field.column)
        if column in EVENT_COLUMNS or column == "id" or model_field.null:
            continue
        default = model_field.get_default()
        bare.extra_event_columns.append((column, default if default is not None else ""))
    return bare


def pgbench(dossier_ids: list[int], count: int, *, first_seq: int) -> tuple[float | None, str]:
    """(transactions per second, "") from pgbench running the two-statement transaction, or
    (None, why it did not run)."""
    from django.db import connection

    from motcua.dossiers.models import Dossier, DossierEvent

    if connection.vendor != "postgresql":
        return None, "PostgreSQL only"
    program = shutil.which("pgbench")
    if program is None:
        return None, "pgbench is not installed"
    low, high = min(dossier_ids), max(dossier_ids)
    if high - low + 1 != len(dossier_ids):
        return None, "the dossiers' ids are not contiguous"
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("DROP SEQUENCE IF EXISTS motcua_bench_seq")
        cursor.execute(f"CREATE SEQUENCE motcua_bench_seq START {first_seq}")
    dossier_table, event_table = Dossier._meta.db_table, DossierEvent._meta.db_table
    columns = ", ".join(f'"{c}"' for c in EVENT_COLUMNS)
    script = (
        f"\\set id random({low}, {high})\n"
        "BEGIN;\n"
        f'UPDATE "{dossier_table}" SET "status" = "status", "updated_at" = now() WHERE "id" = :id;\n'
        f'INSERT INTO "{event_table}" ({columns}) VALUES '
        "(:id, nextval('motcua_bench_seq'), 'bench_raw', '', '', now(), 'bench', 'system', '', '', '{}');\n"
        "END;\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "transition.sql"
        path.write_text(script)
        command = [program, "-n", "-c", "1", "-j", "1", "-t", str(count), "-f", str(path), settings["NAME"]]
        for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
            if settings[key]:
                command += [flag, str(settings[key])]
        env = {"PGPASSWORD": str(settings["PASSWORD"] or "")}
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)  # noqa: S603
    with connection.cursor() as cursor:
        cursor.execute("DROP SEQUENCE IF EXISTS motcua_bench_seq")
    found = re.search(r"tps = ([0-9.]+)", result.stdout)
    if result.returncode != 0 or found is None:
        return None, f"pgbench failed: {(result.stderr or result.stdout).strip()[:200]}"
    return float(found.group(1)), ""
