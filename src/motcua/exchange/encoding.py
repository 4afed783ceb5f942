"""How the importer encodes rows: one `Table` per imported model knows its columns (keys
first, then what a line carries, then the model's defaults) and turns a row's values into
PostgreSQL COPY text or a tuple for SQLite's executemany; the COPY escaping and the
placeholders the parsing processes leave for the keys (see `importer`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson
from django.db import connection, models
from django.utils import timezone

from motcua.dossiers import chain
from motcua.dossiers.models import ClockPause, Dossier, DossierComponent, DossierEvent, Handover
from motcua.exchange.export import INSTANT_FIELDS, PLAIN_FIELDS
from motcua.payments.models import Payment
from motcua.people.models import Person
from motcua.ratings.models import Feedback, Rating

_py_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept, keys in the order given (orjson, ~2x pydantic-core here);
    the standard encoder for what orjson cannot write (integers beyond 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return _py_encoder.encode(value)


# ---------------------------------------------------------------- tables and row encoding


NULL = "\\N"


def column_of(f: models.Field[Any, Any]) -> str:
    """The database column of a concrete field (only non-concrete fields have none)."""
    if f.column is None:
        raise RuntimeError(f"{f.name} has no database column: the importer is out of date.")
    return f.column


#: Placeholders in the COPY text made by the parsing processes, replaced by the main process
#: (`pack`, `Importer._write_packed`): the dossier id, and "\x02" n "\x03" the n-th user account or "\x04" n "\x05"
#: the n-th person a line names. A value holding one of these characters is written escaped
#: (COPY's \xHH), so only placeholders are ever replaced.
DOSSIER_MARK = "\x01"
_CONTROL = re.compile("[\n\r\x01-\x05]")
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", **{chr(c): f"\\x0{c}" for c in range(1, 6)}}
)


def pg_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or _CONTROL.search(value):
            return value.translate(_ESCAPES)
        return value
    return str(value)


def plain_row(values: list[Any]) -> str:
    """Values joined as COPY text, without escaping. Most are text: tested first, by class
    (one comparison)."""
    return "\t".join(
        [
            v if v.__class__ is str else "\\N" if v is None else "t" if v is True else "f" if v is False else str(v)
            for v in values
        ]
    )


class Table:
    """How one table is written: key columns (filled by the main process, which knows the
    database: dossier ids, people, user accounts), then the columns a line carries, then the
    other columns of the model with their defaults (so a field added later does not break
    the importer; not `bulk_create`, which would stamp auto_now fields with today).
    """

    def __init__(self, model: type[models.Model], keys: tuple[str, ...], given: tuple[str, ...], pg: bool) -> None:
        self.model = model
        self.keys = keys
        self.given = given
        self.pg = pg
        by_name = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        unknown = [name for name in (*keys, *given) if name not in by_name]
        if unknown:
            raise RuntimeError(f"{model.__name__} has no column {unknown}: the importer is out of date.")
        rest = [f for name, f in by_name.items() if name not in keys and name not in given]
        defaults = [self._default(f) for f in rest]
        columns = [column_of(by_name[name]) for name in (*keys, *given)] + [column_of(f) for f in rest]
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        self.copy = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        self.insert = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        self.suffix_text = "".join("\t" + pg_text(v) for v in defaults) + "\n"
        self.lead = "\t" if keys else ""
        self.tabs = len(given) - 1
        self.suffix_tuple = tuple(defaults)

    def _default(self, f: models.Field[Any, Any]) -> Any:
        value = (
            timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        )
        if isinstance(f, models.JSONField):
            return None if value is None and f.null else dumps(value)
        if isinstance(value, datetime):
            return value.isoformat() if self.pg else str(value.astimezone(UTC).replace(tzinfo=None))
        if isinstance(value, date):
            return value.isoformat()
        return value

    def encode(self, values: list[Any]) -> Any:
        """The given values of one row, ready for the database (keys are prepended later)."""
        if self.pg:
            # Fast path: plain values joined at once; any value needing an escape (rare) or
            # holding a tab sends the row through `pg_text` value by value.
            row = plain_row(values)
            # Each None gave one backslash ("\N"): any other one, a tab, a line break or a
            # placeholder character inside a value needs escaping.
            if (
                row.count("\\") != values.count(None)
                or row.count("\t") != self.tabs
                or _CONTROL.search(row) is not None
            ):
                row = "\t".join([pg_text(v) for v in values])
            return self.lead + row + self.suffix_text
        return (*values, *self.suffix_tuple)

    def encoder(self, clean: bool) -> Callable[[list[Any]], Any]:
        """`encode`, or for the values of a line without any backslash (`stage`), which
        cannot hold anything COPY would need escaped, `encode` without that check."""
        return self._encode_clean if clean and self.pg else self.encode

    def _encode_clean(self, values: list[Any]) -> str:
        return self.lead + plain_row(values) + self.suffix_text

    def write_text(self, text: bytes) -> None:
        """PostgreSQL: rows already in COPY text, keys included."""
        if text:
            # The driver's own cursor: its errors are turned into Django's (DatabaseError),
            # which the importer catches to write a refused batch one dossier at a time.
            with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(self.copy) as copy:
                copy.write(text)

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        """rows: (key values…, encoded rest)."""
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.pg:
                nkeys = len(self.keys)
                if nkeys == 1:
                    text = "".join([f"{k}{rest}" for k, rest in rows])
                elif nkeys == 2:
                    text = "".join([f"{k}\t{NULL if k2 is None else k2}{rest}" for k, k2, rest in rows])
                else:
                    text = "".join(["\t".join([pg_text(v) for v in row[:nkeys]]) + row[nkeys] for row in rows])
                # COPY: one stream per table, no statement to parse (≈10× a multi-row INSERT).
                with connection.wrap_database_errors, cursor.cursor.copy(self.copy) as copy:
                    copy.write(text)
            else:
                nkeys = len(self.keys)
                cursor.executemany(self.insert, [(*row[:nkeys], *row[nkeys]) for row in rows])


DOSSIER_GIVEN = (
    "code",
    "procedure_version_id",
    "row_version",
    "receiving_agency_id",
    "settling_agency_id",
    "current_agency_id",
    "current_step_id",
    *(name for name in PLAIN_FIELDS if name != "code"),
    *INSTANT_FIELDS,
    *chain.IMPORTED_DOSSIER_FIELDS,
)
JSON_PLAIN = {"authorised_person", "form_data"}
EVENT_GIVEN = (
    "seq",
    "action",
    "from_status",
    "to_status",
    "at",
    "actor_name",
    "actor_role",
    "actor_agency_id",
    "reason",
    "form",
    "data",
    *chain.IMPORTED_EVENT_FIELDS,
)
COMPONENT_GIVEN = (
    "required_document_id",
    "name",
    "copies",
    "provided",
    "file",
    "file_name",
    "content_type",
    "size_bytes",
    "sha256",
    "digitized",
    "from_warehouse",
    "reused_data",
    "source_db_code",
    "added_at",
)
PAUSE_GIVEN = ("kind", "started_at", "ended_at", "during_intake")
HANDOVER_GIVEN = ("at", "from_agency_id", "to_agency_id", "from_step_id", "to_step_id", "step_due_at", "result", "note")
PAYMENT_GIVEN = (
    "amount_vnd",
    "status",
    "online",
    "provider",
    "reference",
    "fee_data_synced",
    "requested_at",
    "paid_at",
)
RATING_GIVEN = ("scores", "satisfaction", "comment", "rated_at")
FEEDBACK_TEXT = ("kind", "content", "status", "likes", "dislikes", "repeated", "answer")
FEEDBACK_INSTANTS = ("received_at", "handled_at", "refused_at", "supplement_requested_at", "published_at")
FEEDBACK_GIVEN = ("agency_id", *FEEDBACK_TEXT, *FEEDBACK_INSTANTS)
PERSON_GIVEN = (
    "kind",
    "id_number",
    "full_name",
    "birth_date",
    "gender",
    "address",
    "phone",
    "email",
    "user_id",
    "verified_by_national_identity",
)


@dataclass
class Tables:
    person: Table
    dossier: Table
    event: Table
    component: Table
    pause: Table
    handover: Table
    payment: Table
    rating: Table
    feedback: Table

    @classmethod
    def build(cls) -> Tables:
        pg = connection.vendor == "postgresql"
        return cls(
            person=Table(Person, (), PERSON_GIVEN, pg),
            dossier=Table(Dossier, ("applicant_id", "submitted_by_id"), DOSSIER_GIVEN, pg),
            event=Table(DossierEvent, ("dossier_id", "actor_id"), EVENT_GIVEN, pg),
            component=Table(DossierComponent, ("dossier_id",), COMPONENT_GIVEN, pg),
            pause=Table(ClockPause, ("dossier_id",), PAUSE_GIVEN, pg),
            handover=Table(Handover, ("dossier_id", "given_by_id"), HANDOVER_GIVEN, pg),
            payment=Table(Payment, ("dossier_id",), PAYMENT_GIVEN, pg),
            rating=Table(Rating, ("dossier_id", "person_id"), RATING_GIVEN, pg),
            feedback=Table(Feedback, ("dossier_id", "person_id"), FEEDBACK_GIVEN, pg),
        )


# ---------------------------------------------------------------- keys the main process resolves


def _in_chunks(values: list[Any], size: int = 900) -> Iterator[list[Any]]:
    """SQLite takes at most 999 parameters per statement on old builds."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def lookup_keys(model: type[models.Model], key: str, values: list[str]) -> list[tuple[str, int]]:
    """(key, pk) of the rows whose `key` is one of `values`. On PostgreSQL one statement with
    one array parameter: thousands of `IN (%s, …)` parameters cost the ORM and the driver
    ~0.1 ms of client CPU per dossier."""
    if not values:
        return []
    if connection.vendor != "postgresql":
        found: list[tuple[str, int]] = []
        for part in _in_chunks(values):
            found += model._default_manager.filter(**{f"{key}__in": part}).values_list(key, "pk")
        return found
    quote = connection.ops.quote_name
    column = quote(column_of(model._meta.get_field(key)))  # type: ignore[arg-type]
    pk = quote(column_of(model._meta.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, {pk} FROM {quote(model._meta.db_table)} WHERE {column} = ANY(%s)", [list(values)]
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def key_bytes(value: int | None) -> bytes:
    return b"\\N" if value is None else b"%d" % value
