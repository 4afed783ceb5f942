"""The SQL of a transition (`workflow.transition` is its only caller: `write_new`, `write_change`).

A transition is the product's hottest write. Its SQL is written here once, with the column
lists taken from the models, so that a transition costs what the bare database work costs.
On PostgreSQL every transition is one statement: a data-modifying CTE inserts or updates the
dossier row, appends the event and inserts the rows that belong to the change (hand-over,
clock pause, the papers of a new dossier), all reading the dossier's id from the first part.
On SQLite the same rows are written by one plain INSERT or UPDATE each, in one transaction.

The values are the ORM's: each field's `pre_save` and `get_db_prep_save`, so `auto_now`
columns, JSON and file names are stored as `Model.save()` stores them. For the plain values
a transition mostly writes (None, a string in a text column, a bool, an int, an aware
instant) the preparation those methods would do is done directly (`_prepare`; a test holds
both equal); only the statement is written by hand, which spares the ORM's query compilation
on every transition. No `pre_save`/`post_save` signal is sent for these rows: nothing in
MotCua listens to them for dossiers, events, hand-overs, pauses or papers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.fields import AutoFieldMixin

from motcua.dossiers.models import Dossier, DossierEvent

# ---------------------------------------------------------------- preparing values

_TEXT = (models.CharField, models.TextField)
_INTEGERS = (
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


@dataclass(frozen=True)
class Column:
    """One column of a row a transition writes, and how its value is prepared."""

    field: Field[Any, Any]
    quoted: str
    kind: str  # "text", "bool", "int", "fk", "instant", or "" (the field's own methods only)
    internal_type: str
    own_pre_save: bool  # the field computes its value (auto_now, a file): call its pre_save


def _kind(f: Field[Any, Any]) -> str:
    """Exact field classes only: a subclass may prepare its values otherwise."""
    kind = type(f)
    if kind in _TEXT:
        return "text"
    if kind is models.BooleanField:
        return "bool"
    if kind in _INTEGERS:
        return "int"
    if kind is models.DateTimeField:
        return "instant"
    if kind is models.ForeignKey and isinstance(f, models.ForeignKey) and isinstance(f.target_field, AutoFieldMixin):
        return "fk"
    return ""


def _column(f: Field[Any, Any], conn: BaseDatabaseWrapper) -> Column:
    return Column(
        field=f,
        quoted=conn.ops.quote_name(str(f.column)),
        kind=_kind(f),
        internal_type=f.get_internal_type(),
        own_pre_save=type(f).pre_save is not Field.pre_save,
    )


def _prepare(column: Column, value: Any, conn: BaseDatabaseWrapper) -> Any:
    """`column.field.get_db_prep_save(value, conn)`, directly for the plain values: None is
    NULL for each of these kinds, a string is kept by a text column, a bool by a boolean
    column, an id by a foreign key to an automatic id, an int by an integer column after the
    backend's adaptation, an aware instant after the backend's adaptation."""
    kind = column.kind
    if kind:
        if value is None:
            return None
        if kind == "text" and isinstance(value, str):
            return value
        if kind == "instant" and type(value) is datetime and value.utcoffset() is not None:
            return conn.ops.adapt_datetimefield_value(value)
        if kind == "fk" and type(value) is int:
            return value
        if kind == "int" and type(value) is int:
            return conn.ops.adapt_integerfield_value(value, column.internal_type)
        if kind == "bool" and type(value) is bool:
            return value
    return column.field.get_db_prep_save(value, conn)


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Table:
    """What an INSERT into one model's table needs, computed once per model and database."""

    name: str  # quoted table name
    columns: tuple[Column, ...]  # concrete columns but the primary key, in model order
    names: str  # their quoted names, comma-separated
    dossier_index: int | None  # the position of the dossier's foreign key among `columns`


_TABLES: dict[tuple[str, type[Model]], Table] = {}


def _conn() -> BaseDatabaseWrapper:
    """The connection itself (not the `django.db.connection` proxy, which looks it up on every
    attribute read)."""
    return connections[DEFAULT_DB_ALIAS]


#: A transition's statement is prepared once a connection has sent it this many times (a
#: statement sent once, such as a dossier with an unusual number of papers, is not kept).
PREPARE_AFTER = 5


def _statement_cursor(conn: BaseDatabaseWrapper) -> Any:
    """The cursor a transition's statement goes through. On PostgreSQL it sends the values
    apart from the statement (server-side binding) and prepares a statement once this
    connection has sent it `PREPARE_AFTER` times, so the server stops parsing and planning it
    on every transition; Django's own cursors bind on the client and never prepare, so this
    setting of the connection concerns only these statements. `MOTCUA_DB_PREPARED_WRITES`
    off keeps the server-side binding but prepares nothing (a pooler that loses them)."""
    if conn.vendor != "postgresql":
        return conn.cursor()
    import psycopg

    conn.ensure_connection()
    raw = conn.connection
    wanted = PREPARE_AFTER if settings.MOTCUA["DB_PREPARED_WRITES"] else None
    if raw.prepare_threshold != wanted:
        raw.prepare_threshold = wanted
    # Django's execute wrappers (statement counts) and debug log still see the statement.
    return conn._prepare_cursor(psycopg.Cursor(raw))  # type: ignore[attr-defined]


def table(model: type[Model], conn: BaseDatabaseWrapper) -> Table:
    found = _TABLES.get((conn.vendor, model))
    if found is None:
        columns = tuple(_column(f, conn) for f in model._meta.concrete_fields if not f.primary_key)
        index = next(
            (
                i
                for i, c in enumerate(columns)
                if c.field.is_relation and c.field.related_model is Dossier and model is not Dossier
            ),
            None,
        )
        found = Table(
            name=conn.ops.quote_name(model._meta.db_table),
            columns=columns,
            names=", ".join(c.quoted for c in columns),
            dossier_index=index,
        )
        _TABLES[(conn.vendor, model)] = found
    return found


def values(obj: Model, spec: Table, conn: BaseDatabaseWrapper) -> list[Any]:
    """The row's values as the ORM sends them on an INSERT."""
    return [
        _prepare(c, c.field.pre_save(obj, True) if c.own_pre_save else getattr(obj, c.field.attname), conn)
        for c in spec.columns
    ]


# ---------------------------------------------------------------- statements


def _mark_saved(obj: Model, pk: int, conn: BaseDatabaseWrapper) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = conn.alias


def _select_from(obj: Model, source: str, after: str, conn: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
    """`INSERT INTO t (…) SELECT <source>.id, %s, … FROM <source>[, <after>]`: a row of the
    dossier whose id the CTE `source` returns, inserted after the row of the CTE `after`."""
    spec = table(type(obj), conn)
    assert spec.dossier_index is not None, type(obj)
    params = values(obj, spec, conn)
    marks = ["%s"] * len(params)
    marks[spec.dossier_index] = f"{source}.id"
    del params[spec.dossier_index]
    tables = f"{source}, {after}" if after else source
    return f"INSERT INTO {spec.name} ({spec.names}) SELECT {', '.join(marks)} FROM {tables} RETURNING id", params


def _insert(cursor: Any, obj: Model, conn: BaseDatabaseWrapper, *, returning: bool = False) -> int | None:
    spec = table(type(obj), conn)
    sql = f"INSERT INTO {spec.name} ({spec.names}) VALUES ({', '.join(['%s'] * len(spec.columns))})"
    cursor.execute(sql + (" RETURNING id" if returning else ""), values(obj, spec, conn))
    if not returning:
        return None
    row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _with_rows(
    head: str, head_params: list[Any], source: str, event: DossierEvent, rows: list[Model], conn: BaseDatabaseWrapper
) -> tuple[str, list[Any]]:
    """One statement: the CTE `source` (the dossier's INSERT or UPDATE, returning its id),
    then the event (`r0`) and every row of the change read the id from it. Each row's part
    also reads the part before it: PostgreSQL runs the parts of a WITH in no set order, and
    this keeps the rows' ids in the order given (a dossier's papers are listed by id)."""
    parts = [f"{source} AS ({head})"]
    params = list(head_params)
    for k, obj in enumerate([event, *rows]):
        sql, row_params = _select_from(obj, source, f"r{k - 1}" if k else "", conn)
        parts.append(f"r{k} AS ({sql})")
        params += row_params
    return "WITH " + ", ".join(parts), params


def write_new(dossier: Dossier, event: DossierEvent, rows: list[Model]) -> None:
    """INSERT the new dossier, its first event and `rows` (inside the caller's transaction,
    which also took the dossier's code)."""
    conn = _conn()
    spec = table(Dossier, conn)
    dossier_values = values(dossier, spec, conn)
    insert = f"INSERT INTO {spec.name} ({spec.names}) VALUES ({', '.join(['%s'] * len(spec.columns))})"
    with _statement_cursor(conn) as cursor:
        if conn.vendor == "postgresql":
            sql, params = _with_rows(insert + " RETURNING id", dossier_values, "d", event, rows, conn)
            cursor.execute(sql + " SELECT d.id, r0.id FROM d, r0", params)
            found = cursor.fetchone()
            assert found is not None
            dossier_id, event_id = int(found[0]), int(found[1])
        else:
            cursor.execute(insert + " RETURNING id", dossier_values)
            found = cursor.fetchone()
            assert found is not None
            dossier_id = int(found[0])
            event.dossier_id = dossier_id
            event_id = _insert(cursor, event, conn, returning=True) or 0
            for obj in rows:
                obj.dossier_id = dossier_id  # type: ignore[attr-defined]
                _insert(cursor, obj, conn)
    _mark_saved(dossier, dossier_id, conn)
    event.dossier_id = dossier_id
    for obj in rows:
        obj.dossier_id = dossier_id  # type: ignore[attr-defined]
    _mark_saved(event, event_id, conn)


@dataclass(frozen=True)
class _Assignment:
    sql: str  # '"column" = %s'
    column: Column


_ASSIGNMENTS: dict[tuple[str, str], _Assignment] = {}


def _set_clause(fields: dict[str, Any], conn: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
    parts = []
    params: list[Any] = []
    for name, value in fields.items():
        assignment = _ASSIGNMENTS.get((conn.vendor, name))
        if assignment is None:
            model_field = Dossier._meta.get_field(name)
            # Only concrete columns of the dossier row are written here.
            assert isinstance(model_field, Field), name
            assert model_field.column is not None, name
            column = _column(model_field, conn)
            assignment = _Assignment(f"{column.quoted} = %s", column)
            _ASSIGNMENTS[(conn.vendor, name)] = assignment
        if assignment.column.field.is_relation and value is not None and hasattr(value, "pk"):
            value = value.pk
        parts.append(assignment.sql)
        params.append(_prepare(assignment.column, value, conn))
    parts.append("row_version = row_version + 1")
    return ", ".join(parts), params


def write_change(dossier: Dossier, fields: dict[str, Any], event: DossierEvent, rows: list[Model]) -> bool:
    """UPDATE … WHERE id = %s AND row_version = %s (the row lock and the check in one
    statement, docs/architecture.md#the-write-path), then INSERT the event (seq = the new row
    version) and `rows`; False, with nothing written, when the dossier changed since it was read."""
    conn = _conn()
    spec = table(Dossier, conn)
    set_clause, params = _set_clause(fields, conn)
    params += [dossier.pk, dossier.row_version]
    sql = f"UPDATE {spec.name} SET {set_clause} WHERE id = %s AND row_version = %s"
    event.dossier_id = dossier.pk
    for obj in rows:
        obj.dossier_id = dossier.pk  # type: ignore[attr-defined]
    if conn.vendor == "postgresql":
        statement, all_params = _with_rows(sql + " RETURNING id", params, "u", event, rows, conn)
        with _statement_cursor(conn) as cursor:
            cursor.execute(statement + " SELECT id FROM r0", all_params)
            found = cursor.fetchone()
        if found is None:
            return False
        _mark_saved(event, int(found[0]), conn)
        return True
    with transaction.atomic(), conn.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount != 1:
            return False
        _mark_saved(event, _insert(cursor, event, conn, returning=True) or 0, conn)
        for obj in rows:
            _insert(cursor, obj, conn)
    return True
