"""Import "motcua-dossier/1" lines: the migration path of a province leaving its previous
system, or of two systems merged after the 2025 reorganisation (Resolution 190/2025/QH15:
the successor continues the dossiers, asks for nothing again and redoes no step).

It is a copy, not a replay: the rows are written as they are in the file (dossier, events,
components, pauses, hand-overs, payments, rating, feedback), so the dossiers, their history
and every indicator computed from them come out identical. Transitions are not re-run,
because they would stamp today's time, re-check today's roles and re-compute deadlines
with today's calendar.

Each line is checked completely first (JSON, the JSON Schema, then every reference:
procedure version, agencies, steps, documents, people) and a batch of lines is written in
one transaction. A bad line is reported with its number and reason and nothing of it is
written; a dossier code already present is reported as a duplicate and skipped; the rest
goes on. If the database still refuses a batch (a concurrent writer), the batch is written
again one dossier at a time, each in its own savepoint, so only the guilty line fails.
Events go in with INSERT/COPY only: the append-only triggers (dossiers migration 0002) stay on.

Speed (issue 4 item 6: ≥ 2,000 dossiers/s with their events on PostgreSQL). A province
migrating millions of dossiers must not wait for days, so the work is split in two stages:

1. `_stage` (pure Python, no database): parse, validate with one compiled JSON Schema
   validator, resolve the references that are known for the whole import (agencies,
   procedure versions, steps, documents: loaded once) and encode every row as the text the
   database takes (PostgreSQL COPY text, or a tuple for SQLite). Instants are checked and
   passed as written (PostgreSQL reads ISO 8601 with an offset), JSON fields are encoded once.
   For PostgreSQL the rows of each child table of a line are joined into one UTF-8 COPY text
   whose keys (dossier id, user accounts, people) are placeholders (`_pack`).
   With `workers=1` this stage runs in a second process, in parallel with the writes.
2. `_write` (the main process): what depends on the database state (dossier codes already
   present, people, user accounts) is resolved per batch with a few set queries (one array
   parameter each on PostgreSQL), then each table is written with one COPY (PostgreSQL: the
   placeholders replaced) or one executemany (SQLite).
3. PostgreSQL: the foreign keys are checked at COMMIT (Django makes them deferrable), about
   50 per dossier, and that is most of the server's work. With `overlap` (the default with a
   parsing process) two writer connections take turns, so that one batch is written while
   the previous one commits; see `Importer._submit`, which keeps the answer of a serial run.
   Each batch transaction runs with `synchronous_commit = off`: a crash may lose the last
   batches committed (never corrupt anything); re-running the import skips what is present.
4. PostgreSQL, `bulk=True` (`import_dossiers --bulk`, for a migration of millions of dossiers):
   the foreign keys of the imported tables are set aside for the import and put back,
   validated, at the end (bulk.py), as pg_restore does; the checks at COMMIT of 3. go away.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import threading
from collections import ChainMap, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import jsonschema_rs
import orjson
import pydantic_core
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion, ProcessStep, RequiredDocument
from motcua.dossiers import chain
from motcua.dossiers.models import ClockPause, CodeSequence, Dossier, DossierComponent, DossierEvent, Handover
from motcua.exchange.bulk import restore_foreign_keys, suspend_foreign_keys
from motcua.exchange.export import EVENT_AGENCY_KEYS, INSTANT_FIELDS, PLAIN_FIELDS
from motcua.exchange.format import FORMAT
from motcua.exchange.schema import SCHEMA
from motcua.lib.ids import personal_id_error
from motcua.organizations.models import Agency
from motcua.payments.models import Payment
from motcua.people.models import Person, PersonKind
from motcua.ratings.models import Feedback, Rating

#: Sent after each batch is committed, with the ids of the dossiers it wrote, so that derived
#: data (the indicator counters of issue 4 item 2) can catch up without re-running transitions.
dossiers_imported = Signal()

#: Lines per transaction. Smaller batches let the two writer connections and the parser overlap
#: better (n = 20,000 on 2 CPUs: ~1,950/s with 2,000 against ~1,600/s with 5,000).
DEFAULT_BATCH = 2000
#: Lines handed to the parsing process at a time, and how many chunks beyond one batch may wait.
CHUNK = 500
IN_FLIGHT = 4
_CODE_RE = re.compile(r"^(?P<agency>[A-Z0-9.]+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259), and jsonb would refuse them later."""
    raise ValueError(f"{name} is not a JSON value")


#: Words the error of a line that is not JSON (see `_parse`).
_strict_json = json.JSONDecoder(parse_constant=_no_constant)
_py_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept, keys in the order given (orjson, ~2x pydantic-core here);
    the standard encoder for what orjson cannot write (integers beyond 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return _py_encoder.encode(value)


class LineRejected(Exception):
    """Why one line cannot be imported (reported, never raised out of the importer)."""

    def __init__(self, reason: str, code: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass
class LineProblem:
    line: int
    code: str
    reason: str
    dossier: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "code": self.code, "reason": self.reason, "dossier": self.dossier or None}


@dataclass
class ImportReport:
    lines: int = 0
    imported: int = 0
    duplicates: list[LineProblem] = field(default_factory=list)
    failed: list[LineProblem] = field(default_factory=list)
    #: Bulk mode: foreign keys put back in force but not validated, with the reason.
    invalid_keys: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.duplicates)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "imported": self.imported,
            "skipped": self.skipped,
            "failed": len(self.failed),
            "duplicates": [p.as_dict() for p in self.duplicates],
            "errors": [p.as_dict() for p in self.failed],
            "invalid_foreign_keys": self.invalid_keys,
        }

    def summary(self) -> str:
        text = f"{self.imported} imported, {self.skipped} skipped (already present), {len(self.failed)} failed"
        if self.failed:
            shown = ", ".join(str(p.line) for p in self.failed[:20])
            text += f" (lines {shown}{', …' if len(self.failed) > 20 else ''})"
        return text


# ---------------------------------------------------------------- tables and row encoding


_NULL = "\\N"


def _column(f: models.Field[Any, Any]) -> str:
    """The database column of a concrete field (only non-concrete fields have none)."""
    if f.column is None:
        raise RuntimeError(f"{f.name} has no database column: the importer is out of date.")
    return f.column


#: Placeholders in the COPY text made by the parsing process, replaced by the main process
#: (`_pack`, `Importer._write_packed`): the dossier id, and "\x02" n "\x03" the n-th user account or "\x04" n "\x05"
#: the n-th person a line names. A value holding one of these characters is written escaped
#: (COPY's \xHH), so only placeholders are ever replaced.
_DOSSIER_MARK = "\x01"
_CONTROL = re.compile("[\n\r\x01-\x05]")
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", **{chr(c): f"\\x0{c}" for c in range(1, 6)}}
)


def _pg_text(value: Any) -> str:
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


def _plain_row(values: list[Any]) -> str:
    """Values joined as COPY text, without escaping. Most are text: tested first, by class
    (one comparison)."""
    return "\t".join(
        [
            v if v.__class__ is str else "\\N" if v is None else "t" if v is True else "f" if v is False else str(v)
            for v in values
        ]
    )


class _Table:
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
        columns = [_column(by_name[name]) for name in (*keys, *given)] + [_column(f) for f in rest]
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        self.copy = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        self.insert = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        self.suffix_text = "".join("\t" + _pg_text(v) for v in defaults) + "\n"
        self.lead = "\t" if keys else ""
        self.tabs = len(given) - 1
        self.suffix_tuple = tuple(defaults)

    def _default(self, f: models.Field[Any, Any]) -> Any:
        value = (
            timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        )
        if isinstance(f, models.JSONField):
            return None if value is None and f.null else _dumps(value)
        if isinstance(value, datetime):
            return value.isoformat() if self.pg else str(value.astimezone(UTC).replace(tzinfo=None))
        if isinstance(value, date):
            return value.isoformat()
        return value

    def encode(self, values: list[Any]) -> Any:
        """The given values of one row, ready for the database (keys are prepended later)."""
        if self.pg:
            # Fast path: plain values joined at once; any value needing an escape (rare) or
            # holding a tab sends the row through `_pg_text` value by value.
            row = _plain_row(values)
            # Each None gave one backslash ("\N"): any other one, a tab, a line break or a
            # placeholder character inside a value needs escaping.
            if (
                row.count("\\") != values.count(None)
                or row.count("\t") != self.tabs
                or _CONTROL.search(row) is not None
            ):
                row = "\t".join([_pg_text(v) for v in values])
            return self.lead + row + self.suffix_text
        return (*values, *self.suffix_tuple)

    def encoder(self, clean: bool) -> Callable[[list[Any]], Any]:
        """`encode`, or for the values of a line without any backslash (`_stage`), which
        cannot hold anything COPY would need escaped, `encode` without that check."""
        return self._encode_clean if clean and self.pg else self.encode

    def _encode_clean(self, values: list[Any]) -> str:
        return self.lead + _plain_row(values) + self.suffix_text

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
                    text = "".join([f"{k}\t{_NULL if k2 is None else k2}{rest}" for k, k2, rest in rows])
                else:
                    text = "".join(["\t".join([_pg_text(v) for v in row[:nkeys]]) + row[nkeys] for row in rows])
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
_JSON_PLAIN = {"authorised_person", "form_data"}
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
class _Tables:
    person: _Table
    dossier: _Table
    event: _Table
    component: _Table
    pause: _Table
    handover: _Table
    payment: _Table
    rating: _Table
    feedback: _Table

    @classmethod
    def build(cls) -> _Tables:
        pg = connection.vendor == "postgresql"
        return cls(
            person=_Table(Person, (), PERSON_GIVEN, pg),
            dossier=_Table(Dossier, ("applicant_id", "submitted_by_id"), DOSSIER_GIVEN, pg),
            event=_Table(DossierEvent, ("dossier_id", "actor_id"), EVENT_GIVEN, pg),
            component=_Table(DossierComponent, ("dossier_id",), COMPONENT_GIVEN, pg),
            pause=_Table(ClockPause, ("dossier_id",), PAUSE_GIVEN, pg),
            handover=_Table(Handover, ("dossier_id", "given_by_id"), HANDOVER_GIVEN, pg),
            payment=_Table(Payment, ("dossier_id",), PAYMENT_GIVEN, pg),
            rating=_Table(Rating, ("dossier_id", "person_id"), RATING_GIVEN, pg),
            feedback=_Table(Feedback, ("dossier_id", "person_id"), FEEDBACK_GIVEN, pg),
        )


# ---------------------------------------------------------------- what the whole import knows


@dataclass
class _Version:
    pk: int
    code: str
    steps: dict[str, int]
    documents: dict[str, int]


@dataclass
class _Static:
    """References that do not change during an import, loaded once (catalogue and agencies
    are small), and everything `_stage` needs; inherited by the parsing process."""

    agency: dict[str, int]
    versions: dict[tuple[str, int], _Version]
    tables: _Tables
    pg: bool
    provenance: chain.Provenance = field(default_factory=chain.Provenance)

    @classmethod
    def load(cls) -> _Static:
        steps: dict[int, dict[str, int]] = {}
        for pk, version_id, key in ProcessStep.objects.values_list("pk", "version_id", "key"):
            steps.setdefault(version_id, {})[key] = pk
        documents: dict[int, dict[str, int]] = {}
        # The first document of a name wins (in the catalogue's order), as the export names documents.
        for pk, version_id, name in RequiredDocument.objects.order_by("position", "pk").values_list(
            "pk", "version_id", "name"
        ):
            documents.setdefault(version_id, {})[name] = pk
        versions = {
            (code, number): _Version(pk, code, steps.get(pk, {}), documents.get(pk, {}))
            for pk, code, number in ProcedureVersion.objects.values_list("pk", "procedure__code", "number")
        }
        return cls(
            agency=dict(Agency.objects.values_list("code", "pk")),
            versions=versions,
            tables=_Tables.build(),
            pg=connection.vendor == "postgresql",
        )


# ---------------------------------------------------------------- stage 1: one line, checked and encoded


@dataclass(slots=True)
class _Ready:
    """One checked line, its rows encoded; only database-dependent keys are left symbolic:
    usernames (resolved to accounts) and personal IDs (resolved to people)."""

    line: int
    code: str
    applicant: dict[str, Any]
    people: set[str]  # personal IDs of rating and feedback authors
    usernames: set[str]
    dossier: tuple[str, str | None, Any]  # (applicant ID number, submitted_by, encoded)
    events: list[tuple[str | None, Any]]  # (actor username, encoded)
    components: list[Any]
    pauses: list[Any]
    handovers: list[tuple[str | None, Any]]
    payments: list[Any]
    rating: tuple[str | None, Any] | None
    feedback: list[tuple[str | None, Any]]
    sequence: tuple[int, date, int] | None  # (agency id, day, sequence) of the dossier code
    # PostgreSQL: the rows of each table of `CHILD_TABLES` as one COPY text with placeholders
    # (see _DOSSIER_MARK), filled by `_pack`; the lists above are then left empty. One string
    # per table (UTF-8, as COPY takes it) is far cheaper to send between the processes and to
    # complete than the rows.
    packed: tuple[bytes, ...] | None = None
    user_list: list[str] = field(default_factory=list)  # the n of "\x02" n "\x03"
    person_list: list[str] = field(default_factory=list)  # the n of "\x04" n "\x05"


#: The tables written after the dossiers, in this order (`_Ready.packed`).
CHILD_TABLES = ("event", "component", "pause", "handover", "payment", "rating", "feedback")


def _pack(ready: _Ready) -> _Ready:
    """PostgreSQL: join each child table's rows of one line into a COPY text whose keys are
    placeholders, for the main process to complete with `str.replace`."""
    null, mark = _NULL, _DOSSIER_MARK
    ready.user_list = users = sorted(ready.usernames)
    user = {name: f"\x02{i}\x03" for i, name in enumerate(users)}
    ready.person_list = persons = sorted(
        {number for number, _ in ready.feedback if number}
        | ({ready.rating[0]} if ready.rating is not None and ready.rating[0] else set())
    )
    person = {number: f"\x04{i}\x05" for i, number in enumerate(persons)}
    texts = (
        "".join([f"{mark}\t{user[name] if name else null}{rest}" for name, rest in ready.events]),
        "".join([mark + rest for rest in ready.components]),
        "".join([mark + rest for rest in ready.pauses]),
        "".join([f"{mark}\t{user[name] if name else null}{rest}" for name, rest in ready.handovers]),
        "".join([mark + rest for rest in ready.payments]),
        ""
        if ready.rating is None
        else f"{mark}\t{person[ready.rating[0]] if ready.rating[0] else null}{ready.rating[1]}",
        "".join([f"{mark}\t{person[number] if number else null}{rest}" for number, rest in ready.feedback]),
    )
    ready.packed = tuple([text.encode() for text in texts])
    ready.events, ready.components, ready.pauses, ready.handovers = [], [], [], []
    ready.payments, ready.rating, ready.feedback = [], None, []
    return ready


_validator: Any = None


def _schema_validator() -> Any:
    global _validator
    if _validator is None:
        _validator = jsonschema_rs.validator_for(SCHEMA)
    return _validator


def _parse(number: int, raw: str | bytes) -> dict[str, Any] | LineProblem | None:
    """pydantic-core's parser (a dependency of pydantic) reads the UTF-8 bytes of the file
    directly, ~1.5x faster than the standard library, and keeps integers beyond 64 bits exact
    (orjson, faster still, turns them into floats without a word)."""
    if not raw.strip():
        return None  # blank lines (a trailing one, say) hold nothing and are passed over
    try:
        record = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError:
        try:  # the standard parser words the error with line and column
            record = _strict_json.decode(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        except ValueError as exc:
            return LineProblem(number, "invalid_json", f"Not JSON: {exc}.")
    if not isinstance(record, dict):
        return LineProblem(number, "invalid_json", "A line must be one JSON object.")
    validator = _schema_validator()
    if not validator.is_valid(record):
        error = next(iter(validator.iter_errors(record)))
        where = "/".join(str(part) for part in error.instance_path) or "(line)"
        if record.get("format") != FORMAT:
            reason = f"Unknown format {record.get('format')!r}; this importer reads {FORMAT!r}."
        else:
            reason = f"Schema: at {where}: {error.message}"
        return LineProblem(number, "schema", reason, str(record.get("code", ""))[:64])
    return record


def _instants(pg: bool) -> Callable[[str | None], str | None]:
    """Check an instant (the schema checked its shape; this checks the calendar) and give
    the text the database takes: as written for PostgreSQL, naive UTC for SQLite (Django's
    storage there)."""
    fromiso = datetime.fromisoformat

    def pg_at(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            fromiso(value)
        except ValueError:
            raise LineRejected(f"{value!r} is not a valid instant.", "invalid_instant") from None
        return value

    def sqlite_at(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return str(fromiso(value).astimezone(UTC).replace(tzinfo=None))
        except ValueError:
            raise LineRejected(f"{value!r} is not a valid instant.", "invalid_instant") from None

    return pg_at if pg else sqlite_at


def _sequence(code: str, agency: dict[str, int]) -> tuple[int, date, int] | None:
    match = _CODE_RE.match(code)
    if match is None or match["agency"] not in agency:
        return None
    day = match["day"]
    try:
        when = date(2000 + int(day[:2]), int(day[2:4]), int(day[4:6]))
    except ValueError:
        return None
    return agency[match["agency"]], when, int(match["seq"])


def _stage(number: int, raw: str | bytes, static: _Static) -> _Ready | LineProblem | None:
    """Parse, validate and encode one line; a LineProblem says why it cannot be imported."""
    record = _parse(number, raw)
    if record is None or isinstance(record, LineProblem):
        return record
    # JSON writes a backslash, a tab, a line break and every control character inside a
    # string as an escape that starts with a backslash (RFC 8259 §7; both parsers refuse
    # them raw), and `_dumps` writes a backslash only where a string held one of them or a
    # quote, which the line then also escaped. So a line without any backslash holds no
    # value that COPY would need escaped, and its rows skip that check.
    clean = (b"\\" not in raw) if isinstance(raw, bytes) else ("\\" not in raw)
    try:
        return _encode(number, record, static, clean)
    except LineRejected as exc:
        return LineProblem(number, exc.code, exc.reason, record["code"])


def _encode(number: int, record: dict[str, Any], static: _Static, clean: bool = False) -> _Ready:
    tables = static.tables
    agencies = static.agency
    at = _instants(static.pg)
    proc = record["procedure"]
    version = static.versions.get((proc["code"], proc["version"]))
    if version is None:
        raise LineRejected(f"Unknown procedure {proc['code']} version {proc['version']}.", "unknown_procedure")
    applicant = record["applicant"]
    if applicant["kind"] == PersonKind.CITIZEN and (error := personal_id_error(applicant["id_number"])):
        raise LineRejected(f"Applicant {applicant['id_number']}: {error}", "invalid_personal_id")
    if applicant["birth_date"] is not None:
        try:
            date.fromisoformat(applicant["birth_date"])
        except ValueError:
            raise LineRejected(
                f"Applicant birth date {applicant['birth_date']!r} is not a date.", "invalid_date"
            ) from None

    def agency(code: str | None, what: str) -> int | None:
        if code is None:
            return None
        found = agencies.get(code)
        if found is None:
            raise LineRejected(f"Unknown {what} agency {code}.", "unknown_agency")
        return found

    steps = version.steps

    def step(key: str | None) -> int | None:
        if key is None:
            return None
        found = steps.get(key)
        if found is None:
            raise LineRejected(f"Procedure {version.code} has no step {key!r}.", "unknown_step")
        return found

    events = record["events"]
    seqs = [e["seq"] for e in events]
    if seqs != sorted(set(seqs)):
        raise LineRejected("Event sequence numbers must be unique and increasing.", "invalid_events")
    if events[-1]["to_status"] != record["status"]:
        raise LineRejected(
            f"The last event ends in {events[-1]['to_status']!r} but the dossier is {record['status']!r}.",
            "inconsistent_status",
        )
    code = record["code"]
    usernames: set[str] = set()
    values: list[Any] = [
        code,
        version.pk,
        seqs[-1],
        agency(record["receiving_agency"], "receiving"),
        agency(record["settling_agency"], "settling"),
        agency(record["current_agency"], "current"),
        step(record["current_step"]),
    ]
    for name in PLAIN_FIELDS:
        if name == "code":
            continue
        value = record[name]
        values.append((None if value is None else _dumps(value)) if name in _JSON_PLAIN else value)
    values.extend([at(record[name]) for name in INSTANT_FIELDS])
    sealed = static.provenance.seal(code, events, at)
    values.extend(sealed.dossier)
    submitted_by = record["submitted_by"]
    if submitted_by:
        usernames.add(submitted_by)
    dossier = (applicant["id_number"], submitted_by or None, tables.dossier.encoder(clean)(values))

    encode = tables.event.encoder(clean)
    encoded_events = []
    for e, chained in zip(events, sealed.events, strict=True):
        data = e["data"]
        for key in EVENT_AGENCY_KEYS:
            if isinstance(data.get(key), str):
                data = {**data, key: agency(data[key], "event")}
        actor = e["actor"]
        if actor:
            usernames.add(actor)
        encoded_events.append(
            (
                actor or None,
                encode(
                    [
                        e["seq"],
                        e["action"],
                        e["from_status"],
                        e["to_status"],
                        at(e["at"]),
                        e["actor_name"],
                        e["actor_role"],
                        agency(e["actor_agency"], "event actor"),
                        e["reason"],
                        e["form"],
                        _dumps(data),
                        *chained,
                    ]
                ),
            )
        )
    documents = version.documents
    components = []
    encode = tables.component.encoder(clean)
    for c in record["components"]:
        document = c["required_document"]
        if document is not None and document not in documents:
            raise LineRejected(f"The procedure version lists no document {document!r}.", "unknown_document")
        components.append(
            encode(
                [
                    documents[document] if document is not None else None,
                    c["name"],
                    c["copies"],
                    c["provided"],
                    c["file"],
                    c["file_name"],
                    c["content_type"],
                    c["size_bytes"],
                    c["sha256"],
                    c["digitized"],
                    c["from_warehouse"],
                    c["reused_data"],
                    c["source_db_code"],
                    at(c["added_at"]),
                ]
            )
        )
    encode = tables.pause.encoder(clean)
    pauses = [encode([p["kind"], at(p["started_at"]), at(p["ended_at"]), p["during_intake"]]) for p in record["pauses"]]
    handovers = []
    encode = tables.handover.encoder(clean)
    for h in record["handovers"]:
        given_by = h["given_by"]
        if given_by:
            usernames.add(given_by)
        handovers.append(
            (
                given_by or None,
                encode(
                    [
                        at(h["at"]),
                        agency(h["from_agency"], "hand-over"),
                        agency(h["to_agency"], "hand-over"),
                        step(h["from_step"]),
                        step(h["to_step"]),
                        at(h["step_due_at"]),
                        h["result"],
                        h["note"],
                    ]
                ),
            )
        )
    encode = tables.payment.encoder(clean)
    payments = [
        encode(
            [
                p["amount_vnd"],
                p["status"],
                p["online"],
                p["provider"],
                p["reference"],
                p["fee_data_synced"],
                at(p["requested_at"]),
                at(p["paid_at"]),
            ]
        )
        for p in record["payments"]
    ]
    people: set[str] = set()
    rating = None
    if (r := record["rating"]) is not None:
        rating = (
            r["person"] or None,
            tables.rating.encoder(clean)([_dumps(r["scores"]), r["satisfaction"], r["comment"], at(r["rated_at"])]),
        )
        if r["person"]:
            people.add(r["person"])
    feedback = []
    encode = tables.feedback.encoder(clean)
    for f in record["feedback"]:
        row: list[Any] = [agency(f["agency"], "feedback")]
        row += [f[name] for name in FEEDBACK_TEXT]
        row += [at(f[name]) for name in FEEDBACK_INSTANTS]
        feedback.append((f["person"] or None, encode(row)))
        if f["person"]:
            people.add(f["person"])
    people.discard(applicant["id_number"])
    ready = _Ready(
        line=number,
        code=code,
        applicant=applicant,
        people=people,
        usernames=usernames,
        dossier=dossier,
        events=encoded_events,
        components=components,
        pauses=pauses,
        handovers=handovers,
        payments=payments,
        rating=rating,
        feedback=feedback,
        sequence=_sequence(code, agencies),
    )
    return _pack(ready) if static.pg else ready


# ---------------------------------------------------------------- the parsing process

_worker_static: _Static | None = None


def _worker_init(static: _Static) -> None:
    global _worker_static
    _worker_static = static


def _stage_chunk(first: int, raws: list[bytes | str]) -> list[_Ready | LineProblem | None]:
    """Stage 1 for consecutive lines, in the parsing process (no database there)."""
    assert _worker_static is not None
    static = _worker_static
    return [_stage(first + k, raw, static) for k, raw in enumerate(raws)]


def _chunks(lines: Iterable[str | bytes], size: int) -> Iterator[tuple[int, list[str | bytes]]]:
    chunk: list[str | bytes] = []
    first = 1
    for number, raw in enumerate(lines, start=1):
        if not chunk:
            first = number
        chunk.append(raw)
        if len(chunk) >= size:
            yield first, chunk
            chunk = []
    if chunk:
        yield first, chunk


# ---------------------------------------------------------------- the importer


def _in_chunks(values: list[Any], size: int = 900) -> Iterator[list[Any]]:
    """SQLite takes at most 999 parameters per statement on old builds."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _lookup(model: type[models.Model], key: str, values: list[str]) -> list[tuple[str, int]]:
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
    column = quote(_column(model._meta.get_field(key)))  # type: ignore[arg-type]
    pk = quote(_column(model._meta.pk))  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, {pk} FROM {quote(model._meta.db_table)} WHERE {column} = ANY(%s)", [list(values)]
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


class _Redo(Exception):
    """The batch before this one did not commit whole: roll this one back, write it again."""


class _Job:
    """One batch handed to a writer thread (see `Importer._submit`)."""

    def __init__(
        self,
        batch: list[_Ready],
        ready: list[_Ready],
        duplicates: list[LineProblem],
        failed: list[LineProblem],
        pending: _Job | None,
    ) -> None:
        self.batch, self.ready, self.duplicates, self.failed = batch, ready, duplicates, failed
        self.pending = pending  # the batch committing before this one, taken as written
        self.codes: set[str] = set()
        self.written = threading.Event()  # every row sent (new_people known), or given up
        self.done = threading.Event()  # committed, or rolled back (redo)
        self.redo = False
        self.error: BaseException | None = None
        self.ids: list[int] = []
        self.new_people: dict[str, int] = {}


class Importer:
    """Reads lines, checks them, writes them in batches. One instance per import.

    `workers=1` parses and encodes in a second process (fork) while this one writes: worth
    it for large files on a machine with two or more CPUs (`manage.py import_dossiers` does
    it then). The answer is the same either way.
    """

    def __init__(
        self,
        *,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
        workers: int = 0,
        overlap: bool | None = None,
        bulk: bool = False,
        imported_by: str = "",
    ) -> None:
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.workers = max(0, workers)
        #: Two connections, one batch committing while the next is written (PostgreSQL, outside
        #: a transaction); by default with the parsing process, i.e. on a machine with 2+ CPUs.
        self.overlap = bool(self.workers) if overlap is None else overlap
        #: PostgreSQL: the foreign keys of the imported tables checked once, at the end (bulk.py).
        self.bulk = bulk
        self._writers: list[ThreadPoolExecutor] | None = None
        self._jobs: deque[_Job] = deque()
        self._turn = 0
        self.report = ImportReport()
        self.static = _Static.load()
        self.static.provenance = chain.Provenance(
            by=imported_by, at=_instants(self.static.pg)(timezone.now().isoformat())
        )
        self.users: dict[str, int | None] = {}
        self.people: dict[str, int] = {}

    def run(self, lines: Iterable[str | bytes]) -> ImportReport:
        suspended = self.bulk and suspend_foreign_keys(IMPORTED_MODELS) > 0
        try:
            # The objects alive before the import (Django's, the caller's) are left out of the
            # garbage collector's full passes while it runs, and the forked parser shares their
            # memory pages instead of copying them as the collector touches them.
            gc.freeze()
            try:
                report = self._run_with_writers(lines)
            finally:
                gc.unfreeze()
            if report.imported >= ANALYZE_AFTER:
                refresh_statistics()  # before the keys are validated: their scans are planned with it
        finally:
            if suspended:  # also when the import failed: the keys never stay away
                self.report.invalid_keys = restore_foreign_keys(IMPORTED_MODELS).invalid
        return report

    def _run_with_writers(self, lines: Iterable[str | bytes]) -> ImportReport:
        if self.overlap and self.static.pg and not connection.in_atomic_block:
            self._writers = [ThreadPoolExecutor(1, thread_name_prefix=f"import-writer-{k}") for k in range(2)]
            try:
                return self._run(lines)
            finally:
                writers, self._writers = self._writers, None
                for writer in writers:  # each thread closes its own connection
                    writer.submit(connections.close_all).result()
                    writer.shutdown()
        return self._run(lines)

    def _run(self, lines: Iterable[str | bytes]) -> ImportReport:
        chunk = min(CHUNK, self.batch_size)
        write = self._submit if self._writers is not None else self._batch
        if self.workers and "fork" in multiprocessing.get_all_start_methods():
            staged = self._staged_in_worker(lines, chunk)
        else:
            staged = self._staged_here(lines, chunk)
        batch: list[_Ready] = []
        pending = 0
        for last, results in staged:
            for item in results:
                if isinstance(item, _Ready):
                    batch.append(item)
                elif item is not None:
                    self.report.failed.append(item)
            pending += len(results)
            self.report.lines = last
            if pending >= self.batch_size:
                write(batch)
                batch, pending = [], 0
            if self.progress is not None:
                self.progress(last)
        if batch:
            write(batch)
        while self._jobs:
            self._finish(self._jobs.popleft())
        self.report.failed.sort(key=lambda p: p.line)
        self.report.duplicates.sort(key=lambda p: p.line)
        if self.progress is not None:
            self.progress(self.report.lines)
        return self.report

    def _staged_here(
        self, lines: Iterable[str | bytes], size: int
    ) -> Iterator[tuple[int, list[_Ready | LineProblem | None]]]:
        static = self.static
        for first, raws in _chunks(lines, size):
            yield first + len(raws) - 1, [_stage(first + k, raw, static) for k, raw in enumerate(raws)]

    def _staged_in_worker(
        self, lines: Iterable[str | bytes], size: int
    ) -> Iterator[tuple[int, list[_Ready | LineProblem | None]]]:
        """Stage 1 in a forked process; at most IN_FLIGHT chunks wait, so a huge file is
        never read ahead into memory. The child never touches the database connection it
        inherited (it only parses), and results come back in line order."""
        context = multiprocessing.get_context("fork")
        with context.Pool(self.workers, initializer=_worker_init, initargs=(self.static,)) as pool:
            waiting: deque[tuple[int, Any]] = deque()
            # Let the parser run a whole batch ahead, so it works while this process writes.
            ahead = (self.batch_size + size - 1) // size + IN_FLIGHT * self.workers
            for first, raws in _chunks(lines, size):
                waiting.append((first + len(raws) - 1, pool.apply_async(_stage_chunk, (first, raws))))
                if len(waiting) >= ahead:
                    last, result = waiting.popleft()
                    yield last, result.get()
            while waiting:
                last, result = waiting.popleft()
                yield last, result.get()

    def _prepare(
        self, batch: list[_Ready], pending: _Job | None = None
    ) -> tuple[list[_Ready], list[LineProblem], list[LineProblem]]:
        """The lines of `batch` to write, and the duplicates and failures of the others.
        `pending`: a batch still being committed by another connection, taken as written
        (its codes are present, its new people exist); checked before this one commits."""
        codes = [p.code for p in batch]
        existing = {code for code, _ in _lookup(Dossier, "code", codes)}
        if pending is not None:
            existing |= pending.codes
        duplicates: list[LineProblem] = []
        failed: list[LineProblem] = []
        ready: list[_Ready] = []
        seen: set[str] = set()
        usernames: set[str] = set()
        for p in batch:
            if p.code in existing or p.code in seen:
                duplicates.append(
                    LineProblem(p.line, "duplicate", f"Dossier {p.code} already exists; line skipped.", p.code)
                )
                continue
            seen.add(p.code)
            ready.append(p)
            usernames |= p.usernames
        if not ready:
            return ready, duplicates, failed
        self._load_users(usernames)
        # Membership tests only: `self.people` grows with the import (a third of a million
        # people for a million dossiers), so no step here may copy or scan it.
        elsewhere = pending.new_people if pending is not None else {}
        applicants = {p.applicant["id_number"] for p in ready}
        wanted = set(applicants)
        for p in ready:
            wanted |= p.people
        self._load_people({number for number in wanted if number not in elsewhere})
        people = self.people
        keep = []
        for p in ready:
            unknown = sorted(n for n in p.people if n not in people and n not in applicants and n not in elsewhere)
            if unknown:
                failed.append(
                    LineProblem(p.line, "unknown_person", f"Unknown person {unknown[0]} (rating or feedback).", p.code)
                )
            else:
                keep.append(p)
        return keep, duplicates, failed

    def _batch(self, batch: list[_Ready]) -> None:
        """Write one batch on this thread's connection, in one transaction (or, if the
        database refuses it, one dossier at a time)."""
        ready, duplicates, failed = self._prepare(batch)
        self.report.duplicates += duplicates
        self.report.failed += failed
        if not ready:
            return
        try:
            with transaction.atomic():
                ids, created = self._write(ready, self.people)
            self.people.update(created)
            self.report.imported += len(ready)
        except DatabaseError:
            ids = []
            for p in ready:
                try:
                    with transaction.atomic():
                        written, created = self._write([p], self.people)
                except DatabaseError as exc:
                    self.report.failed.append(
                        LineProblem(p.line, "database", f"The database refused the dossier: {exc}".strip(), p.code)
                    )
                    continue
                ids += written
                self.people.update(created)
                self.report.imported += 1
        if ids:
            transaction.on_commit(lambda: dossiers_imported.send(sender=Importer, dossier_ids=ids))

    # -------------------------------------------------- two connections (PostgreSQL)
    #
    # Most of the server's work on a batch is at COMMIT (the deferred foreign-key checks,
    # ~50 per dossier), while this process waits. With `overlap`, batch k is written by
    # one connection while batch k-1 commits on the other, so both CPUs work. Batch k
    # starts once k-1 has written all its rows (so they never wait on each other's rows in
    # a cycle), takes k-1 as written (its codes are duplicates, its new people exist: their
    # ids are known), and commits only after k-1 has committed whole. If k-1 did not (the
    # database refused it), k is rolled back and both are written again the plain way,
    # one after the other, which gives exactly the serial result.

    def _submit(self, batch: list[_Ready]) -> None:
        assert self._writers is not None
        while len(self._jobs) >= 2:
            self._finish(self._jobs.popleft())
        pending = self._jobs[-1] if self._jobs else None
        if pending is not None:
            pending.written.wait()
            if pending.redo:  # it failed: everything after it is written the plain way
                self._finish(self._jobs.popleft())
                pending = None
        ready, duplicates, failed = self._prepare(batch, pending)
        job = _Job(batch, ready, duplicates, failed, pending)
        job.codes = {p.code for p in ready}
        known: Mapping[str, int] = self.people if pending is None else ChainMap(pending.new_people, self.people)
        self._jobs.append(job)
        self._writers[self._turn % 2].submit(self._write_job, job, known)
        self._turn += 1

    def _write_job(self, job: _Job, known: Mapping[str, int]) -> None:
        """In a writer thread, on its own connection."""
        try:
            if job.ready:
                with transaction.atomic():
                    ids, job.new_people = self._write(job.ready, known)
                    job.written.set()
                    self._after_pending(job)
                job.ids = ids
            else:  # nothing to write, but its duplicates were judged against the pending batch
                job.written.set()
                self._after_pending(job)
        except (_Redo, DatabaseError):
            job.redo = True
        except BaseException as exc:  # reported by `_finish` in the main thread
            job.redo, job.error = True, exc
        finally:
            job.written.set()
            job.done.set()

    @staticmethod
    def _after_pending(job: _Job) -> None:
        if job.pending is not None:
            job.pending.done.wait()
            if job.pending.redo:
                raise _Redo

    def _finish(self, job: _Job) -> None:
        """Main thread, in batch order: record the outcome of a batch (or write it again)."""
        job.done.wait()
        job.pending = None  # finished before this one: let it go
        if job.error is not None:
            raise job.error
        if job.redo:
            self._batch(job.batch)
            return
        self.report.duplicates += job.duplicates
        self.report.failed += job.failed
        if job.ready:
            self.people.update(job.new_people)
            self.report.imported += len(job.ready)
            ids = job.ids
            dossiers_imported.send(sender=Importer, dossier_ids=ids)

    def _load_users(self, usernames: set[str]) -> None:
        """Unknown users are not an error: the event keeps the name, without the account."""
        missing = sorted(usernames - self.users.keys())
        found = dict(_lookup(get_user_model(), "username", missing))
        for name in missing:
            self.users[name] = found.get(name)

    def _load_people(self, id_numbers: set[str]) -> None:
        missing = sorted(number for number in id_numbers if number not in self.people)
        self.people.update(_lookup(Person, "id_number", missing))

    def _write(self, ready: list[_Ready], known: Mapping[str, int]) -> tuple[list[int], dict[str, int]]:
        """Write the checked dossiers; returns their ids and the people it created (kept by
        the caller only once the transaction holds). `known`: the people known before."""
        tables = self.static.tables
        users = self.users
        if self.static.pg:
            # A bulk migration does not need to wait for each batch's WAL flush: after a crash
            # the last batches may be missing (never corrupted; the import is re-run and
            # skips the codes already present). Only this transaction is affected.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        new_people: dict[str, Any] = {}
        for p in ready:
            a = p.applicant
            number = a["id_number"]
            if number not in known and number not in new_people:
                new_people[number] = tables.person.encode(
                    [a[name] if name != "user_id" else None for name in PERSON_GIVEN]
                )
        created: dict[str, int] = {}
        if new_people:
            tables.person.write([(encoded,) for encoded in new_people.values()])
            created = dict(_lookup(Person, "id_number", list(new_people)))

        def person(id_number: str | None) -> int | None:
            if not id_number:
                return None
            found = created.get(id_number)
            return known[id_number] if found is None else found

        def user(name: str | None) -> int | None:
            return users.get(name) if name else None

        tables.dossier.write(
            [(person(number), user(submitted), encoded) for number, submitted, encoded in (p.dossier for p in ready)]
        )
        ids: dict[str, int] = {}
        ids.update(_lookup(Dossier, "code", [p.code for p in ready]))
        if self.static.pg:
            self._write_packed(ready, ids, person, user)
            _raise_code_sequences([p.sequence for p in ready if p.sequence is not None])
            return list(ids.values()), created
        events, components, pauses, handovers, payments, ratings, feedback = [], [], [], [], [], [], []
        for p in ready:
            did = ids[p.code]
            events += [(did, user(actor), encoded) for actor, encoded in p.events]
            components += [(did, encoded) for encoded in p.components]
            pauses += [(did, encoded) for encoded in p.pauses]
            handovers += [(did, user(by), encoded) for by, encoded in p.handovers]
            payments += [(did, encoded) for encoded in p.payments]
            if p.rating is not None:
                ratings.append((did, person(p.rating[0]), p.rating[1]))
            feedback += [(did, person(number), encoded) for number, encoded in p.feedback]
        tables.event.write(events)
        tables.component.write(components)
        tables.pause.write(pauses)
        tables.handover.write(handovers)
        tables.payment.write(payments)
        tables.rating.write(ratings)
        tables.feedback.write(feedback)
        _raise_code_sequences([p.sequence for p in ready if p.sequence is not None])
        return list(ids.values()), created

    def _write_packed(
        self,
        ready: list[_Ready],
        ids: dict[str, int],
        person: Callable[[str | None], int | None],
        user: Callable[[str | None], int | None],
    ) -> None:
        """PostgreSQL: complete the packed COPY texts of the lines and write each table once."""
        tables = self.static.tables
        parts: list[list[bytes]] = [[] for _ in CHILD_TABLES]
        mark = _DOSSIER_MARK.encode()
        for p in ready:
            assert p.packed is not None
            marks = [(b"\x02%d\x03" % i, _key_bytes(user(name))) for i, name in enumerate(p.user_list)]
            marks += [(b"\x04%d\x05" % i, _key_bytes(person(number))) for i, number in enumerate(p.person_list)]
            did = b"%d" % ids[p.code]
            for part, text in zip(parts, p.packed, strict=True):
                if text:
                    for key, value in marks:
                        if key in text:
                            text = text.replace(key, value)
                    part.append(text.replace(mark, did))
        for name, part in zip(CHILD_TABLES, parts, strict=True):
            getattr(tables, name).write_text(b"".join(part))


def _key_bytes(value: int | None) -> bytes:
    return b"\\N" if value is None else b"%d" % value


def _raise_code_sequences(sequences: list[tuple[int, date, int]]) -> None:
    """Make every agency's daily receipt counter at least the highest imported sequence, so
    a dossier received after the import never gets a code already taken (codes.py)."""
    highest: dict[tuple[int, date], int] = {}
    for agency_id, day, seq in sequences:
        key = (agency_id, day)
        if seq > highest.get(key, 0):
            highest[key] = seq
    if not highest:
        return
    table = connection.ops.quote_name(CodeSequence._meta.db_table)
    bigger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    rows = sorted(highest.items())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 300):
            part = rows[start : start + 300]
            cursor.execute(
                f"INSERT INTO {table} (agency_id, day, last) VALUES {', '.join(['(%s, %s, %s)'] * len(part))} "
                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {bigger}({table}.last, excluded.last)",
                [
                    v
                    for (agency_id, day), last in part
                    for v in (agency_id, connection.ops.adapt_datefield_value(day), last)
                ],
            )


def default_workers() -> int:
    """One parsing process when the machine has a second CPU (see `Importer`)."""
    return 1 if (os.cpu_count() or 1) > 1 else 0


#: After importing this many dossiers, the planner's statistics are refreshed (`ANALYZE`).
ANALYZE_AFTER = 5_000
#: The tables an import writes.
IMPORTED_MODELS = (Person, Dossier, DossierEvent, DossierComponent, ClockPause, Handover, Payment, Rating, Feedback)


def refresh_statistics() -> None:
    """ANALYZE the tables an import wrote, as after a restore.

    Without it, PostgreSQL plans with the statistics of the tables before the import (or
    none, until autovacuum gets to them): after a million dossiers it took `dossier_id IN
    (…2,000 ids…)` on the components for a small table and scanned it whole, batch after
    batch, in the indicator rebuild that follows an import. On SQLite, `PRAGMA optimize`
    does the same job where it is worth it.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in IMPORTED_MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def import_lines(
    lines: Iterable[str | bytes],
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
    imported_by: str = "",
) -> ImportReport:
    """Import dossiers from "motcua-dossier/1" lines; see the module docstring."""
    return Importer(batch_size=batch_size, progress=progress, workers=workers, imported_by=imported_by).run(lines)
