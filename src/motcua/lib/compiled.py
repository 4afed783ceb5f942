"""A read the ORM would compile on every call, compiled once per database connection.

Django compiles a queryset's SQL each time it runs; for a `select_related` over several
tables that costs more CPU than the database's work. `CompiledQuery(build)` asks `build` for
the queryset once, with a marker where the looked-up value goes (`.filter(code=marker)`;
`INTEGER_MARKER` for an integer column),
compiles it on a connection and keeps the SQL, its parameters and the compiler's plan of the
row (columns, converters, related objects, annotations) on that connection. `fetch(value)`
then sends the same SQL with the value in the marker's place and builds the instances as
iterating the queryset would: each value through the same converters, the model with
`from_db`, the related objects with Django's own populators, annotations as attributes.

The plan is kept on the connection object (one per thread), so the converters always run
with the connection that read the row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

#: Stand for the looked-up value while the query is compiled (a text and an integer column's);
#: never sent to the database.
MARKER = "motcua:compiled-query-marker"
INTEGER_MARKER = -918_273_645
_ATTRIBUTE = "_motcua_compiled_queries"


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    slot: int
    model: type[Model]
    start: int
    end: int
    init_list: list[str]
    converters: list[tuple[int, tuple[list[Any], Any]]]
    populators: list[Any]
    annotations: dict[str, int]


class CompiledQuery(Generic[M]):
    def __init__(self, build: Callable[[Any], QuerySet[M]], marker: str | int = MARKER) -> None:
        self.build = build
        self.marker = marker

    def _plan(self, conn: BaseDatabaseWrapper) -> _Plan:
        plans: dict[CompiledQuery[Any], _Plan] = conn.__dict__.setdefault(_ATTRIBUTE, {})
        plan = plans.get(self)
        if plan is None:
            plan = plans[self] = self._compile(conn)
        return plan

    def _compile(self, conn: BaseDatabaseWrapper) -> _Plan:
        compiler = self.build(self.marker).query.get_compiler(connection=conn)
        sql, params = compiler.as_sql()
        slots = [k for k, param in enumerate(params) if param == self.marker]
        if len(slots) != 1 or compiler.has_extra_select:
            raise ValueError("A compiled query takes exactly one looked-up value and no extra select.")
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None  # a query of model instances
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Plan(
            sql=sql,
            params=tuple(params),
            slot=slots[0],
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            converters=list(compiler.get_converters([s[0] for s in select[0 : compiler.col_count]]).items()),
            # (the stubs know a later Django's `fetch_mode` argument; 5.2 has none)
            populators=get_related_populators(klass_info, select, conn.alias),  # type: ignore[call-arg]
            annotations=dict(compiler.annotation_col_map or {}),
        )

    def fetch(self, value: Any, using: str = DEFAULT_DB_ALIAS) -> list[M]:
        """The instances the queryset built with `value` in the marker's place would give."""
        conn = connections[using]
        plan = self._plan(conn)
        params = list(plan.params)
        params[plan.slot] = value
        with conn.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        found: list[M] = []
        for fetched in rows:
            row = list(fetched)
            for position, (converters, expression) in plan.converters:
                converted = row[position]
                for converter in converters:
                    converted = converter(converted, expression, conn)
                row[position] = converted
            obj = plan.model.from_db(conn.alias, plan.init_list, row[plan.start : plan.end])
            for populator in plan.populators:
                populator.populate(row, obj)
            for name, position in plan.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)  # type: ignore[arg-type]
        return found
