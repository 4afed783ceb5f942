"""What every MotCua benchmark workload shares: Django set-up, statement counting, the raw
baseline transaction, machine facts and the results file.

The numbers are only comparable within one run on one machine, which is why each workload
also measures the bare database transaction on the same connection (issue 2, item 9) and
reports the ratio rather than an absolute rate.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
BENCH_DATA = ROOT / "data" / "bench"
#: Where `make bench` keeps its figures; MOTCUA_BENCH_RESULTS moves them (the runner's smoke test does).
RESULTS = Path(os.environ.get("MOTCUA_BENCH_RESULTS") or Path(__file__).resolve().parent / "results" / "latest.json")

#: The outside test of issue 2 judges W1 by this on PostgreSQL.
W1_TARGET = "ratio_to_raw >= 0.5 on PostgreSQL (raw: the bare two-statement transaction)"


def setup_django() -> None:
    """Configure Django from the environment (DATABASE_URL chooses the database).

    MOTCUA_DEBUG=1 only lets the settings load without a secret key; the workloads are
    measured with `settings.DEBUG` switched off again, as in production, because Django's
    debug cursor records every statement and would slow the engine and the baseline alike.
    """
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    os.environ.setdefault("MOTCUA_DEBUG", "1")
    os.environ.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    # The bench database is thrown away: fast password hashing keeps `build_world` quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # One citizen files every dossier of a workload: the daily abuse limit would stop it at 20
    # (the check itself still runs and is measured).
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "MAX_SUBMISSIONS_PER_DAY": 100_000_000}
    # W5 requests the public tracking and search pages 53 times a minute from one address:
    # the per-address limits (30 and 60 a minute) would answer 429 (the count still runs).
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, 1000000)


def existing_world() -> Any:
    """The test province of a database kept from an earlier run (`run.py --reuse`): the parts
    of `motcua.testing.world.World` the loading workloads read (agencies, procedure, citizen)."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from motcua.catalog.models import ProcedureVersion
    from motcua.organizations.actors import actor_for
    from motcua.organizations.models import Agency

    codes = {"province": "H99", "centre": "H99.01", "justice": "H99.10", "construction": "H99.11"}
    codes |= {"tax": "H99.30", "commune": "H99.50", "commune_centre": "H99.50.01"}
    agencies = {name: Agency.objects.get(code=code) for name, code in codes.items()}
    version = ProcedureVersion.objects.filter(procedure__code="2.000488").order_by("id").first()
    citizen = actor_for(get_user_model().objects.get(username="citizen"))
    return SimpleNamespace(**agencies, procedure=version, citizen=citizen)


@dataclass
class Context:
    """What the runner hands each workload's `run(ctx, n)`."""

    world: Any  # motcua.testing.world.World, built once per database
    trace: bool = False  # print the SQL of one dossier's transitions
    profile: Path | None = None  # write cProfile stats of the measured loop here


# ---------------------------------------------------------------- counting statements


@dataclass
class StatementLog:
    """Statements sent through Django's cursor, counted by the label in force when sent.

    `label` is switched by the workload before each service call, so the counts say which
    transition issued which statements. With `capture` the SQL text is kept as well.
    BEGIN on SQLite and SAVEPOINTs are statements Django sends and are counted; on
    PostgreSQL the driver sends BEGIN and COMMIT itself, so they are not (the raw baseline
    is counted the same way).
    """

    label: str = ""
    capture: bool = False
    total: int = 0
    by_label: Counter[str] = field(default_factory=Counter)
    sql: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.total += 1
        self.by_label[self.label] += 1
        if self.capture:
            self.sql.append((self.label, sql))
        return execute(sql, params, many, context)


@contextmanager
def counting(log: StatementLog) -> Iterator[StatementLog]:
    from django.db import connection

    with connection.execute_wrapper(log):
        yield log


# ---------------------------------------------------------------- the raw baseline


def raw_transitions(dossier_ids: list[int], count: int, *, first_seq: int = 1000) -> tuple[float, int]:
    """Run `count` bare transactions and return (wall seconds, statements counted).

    Each is what a transition must do at the very least, with the same driver and
    connection as the engine: BEGIN; UPDATE one dossier row (status, updated_at);
    INSERT one event row with every NOT NULL column filled; COMMIT. The dossiers are
    cycled through and keep their status; `seq` starts at `first_seq`, far above any
    sequence a workload reaches, so the append-only events table takes the rows as new.
    """
    from baselines import extra_event_columns
    from django.db import connection, transaction
    from django.utils import timezone

    from motcua.dossiers.models import Dossier, DossierEvent

    if not dossier_ids:
        raise ValueError("The raw baseline needs at least one dossier.")
    statuses = dict(Dossier.objects.filter(pk__in=dossier_ids).values_list("pk", "status"))
    quote = connection.ops.quote_name
    update = (
        f"UPDATE {quote(Dossier._meta.db_table)} SET {quote('status')} = %s, {quote('updated_at')} = %s "
        f"WHERE {quote('id')} = %s"
    )
    columns = ["dossier_id", "seq", "action", "from_status", "to_status", "at", "actor_name", "actor_role"]
    columns += ["reason", "form", "data"]
    extra = extra_event_columns(columns)
    columns += [column for column, _ in extra]
    insert = (
        f"INSERT INTO {quote(DossierEvent._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    at_field = DossierEvent._meta.get_field("at")
    data_field = DossierEvent._meta.get_field("data")
    updated_field = Dossier._meta.get_field("updated_at")
    empty_data = data_field.get_db_prep_save({}, connection)
    log = StatementLog()
    size = len(dossier_ids)
    with counting(log):
        started = time.perf_counter()
        for k in range(count):
            dossier_id = dossier_ids[k % size]
            status = statuses[dossier_id]
            now = timezone.now()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(update, [status, updated_field.get_db_prep_save(now, connection), dossier_id])
                cursor.execute(
                    insert,
                    [
                        dossier_id,
                        first_seq + k // size,
                        "bench_raw",
                        status,
                        status,
                        at_field.get_db_prep_save(now, connection),
                        "bench",
                        "system",
                        "",
                        "",
                        empty_data,
                        *[value for _, value in extra],
                    ],
                )
        wall = time.perf_counter() - started
    return wall, log.total


# ---------------------------------------------------------------- facts about the run


def machine_info() -> dict[str, Any]:
    from django.db import connection

    if connection.vendor == "postgresql":
        server = f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"  # type: ignore[attr-defined]
    else:
        import sqlite3

        server = f"SQLite {sqlite3.sqlite_version}"
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "database_server": server,
    }


def row_facts() -> dict[str, Any]:
    import django

    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": machine_info(),
    }


def database_name() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


# ---------------------------------------------------------------- the results file


def load_results(path: Path = RESULTS) -> list[dict[str, Any]]:
    if not path.exists() or not path.read_text().strip():
        return []
    data = json.loads(path.read_text())
    if not isinstance(data, list):
        raise ValueError(f"{path} should hold a list of result objects.")
    return data


def merge_results(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replace the rows of the (workload, database) pairs just measured; keep all others
    (other workloads, or a database skipped this time: its row keeps its `measured_at`)."""
    fresh = {(row["workload"], row["database"]) for row in new}
    kept = [row for row in old if (row.get("workload"), row.get("database")) not in fresh]
    return sorted([*kept, *new], key=lambda row: (row["workload"], row["database"]))


def write_results(rows: list[dict[str, Any]], path: Path = RESULTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


COLUMNS = (
    ("workload", "workload", "{}"),
    ("database", "database", "{}"),
    ("n", "n", "{:,}"),
    ("wall_s", "wall s", "{:.2f}"),
    ("dossiers_per_s", "dossiers/s", "{:,.1f}"),
    ("transitions_per_s", "transitions/s", "{:,.1f}"),
    ("statements_per_dossier", "stmts/dossier", "{:.1f}"),
    ("raw_transitions_per_s", "raw tx/s", "{:,.1f}"),
    ("ratio_to_raw", "ratio", "{:.3f}"),
)


def format_table(rows: list[dict[str, Any]]) -> str:
    """A plain text table of the result rows (missing values shown as '-')."""
    cells = [[title for _, title, _ in COLUMNS]]
    for row in rows:
        line = []
        for key, _, fmt in COLUMNS:
            value = row.get(key)
            line.append("-" if value is None else fmt.format(value))
        cells.append(line)
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    out = []
    for index, line in enumerate(cells):
        out.append(
            "  ".join(
                cell.rjust(width) if i > 1 else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)
