"""Stage 1 of the import, one line at a time and without the database: parse, validate
against the format's JSON Schema, resolve what is known for the whole import (`Static`:
agencies, procedure versions, steps, documents) and encode every row (`encoding`). Runs in
the main process or in the parsing processes (`worker_init`, `stage_chunk`); see `importer`."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import jsonschema_rs
import pydantic_core
from django.db import connection

from motcua.catalog.models import ProcedureVersion, ProcessStep, RequiredDocument
from motcua.dossiers import chain
from motcua.exchange.encoding import DOSSIER_MARK, FEEDBACK_INSTANTS, FEEDBACK_TEXT, JSON_PLAIN, NULL, Tables, dumps
from motcua.exchange.export import EVENT_AGENCY_KEYS, INSTANT_FIELDS, PLAIN_FIELDS
from motcua.exchange.format import FORMAT
from motcua.exchange.schema import SCHEMA
from motcua.lib.ids import personal_id_error
from motcua.organizations.models import Agency
from motcua.people.models import PersonKind

_CODE_RE = re.compile(r"^(?P<agency>[A-Z0-9.]+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259), and jsonb would refuse them later."""
    raise ValueError(f"{name} is not a JSON value")


#: Words the error of a line that is not JSON (see `_parse`).
_strict_json = json.JSONDecoder(parse_constant=_no_constant)


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


# ---------------------------------------------------------------- what the whole import knows


@dataclass
class Version:
    pk: int
    code: str
    steps: dict[str, int]
    documents: dict[str, int]


@dataclass
class Static:
    """References that do not change during an import, loaded once (catalogue and agencies
    are small), and everything `stage` needs; inherited by the parsing processes."""

    agency: dict[str, int]
    versions: dict[tuple[str, int], Version]
    tables: Tables
    pg: bool
    #: Who imports and when, sealed into each imported history's hash chain.
    provenance: chain.Provenance = field(default_factory=chain.Provenance)

    @classmethod
    def load(cls) -> Static:
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
            (code, number): Version(pk, code, steps.get(pk, {}), documents.get(pk, {}))
            for pk, code, number in ProcedureVersion.objects.values_list("pk", "procedure__code", "number")
        }
        return cls(
            agency=dict(Agency.objects.values_list("code", "pk")),
            versions=versions,
            tables=Tables.build(),
            pg=connection.vendor == "postgresql",
        )


# ---------------------------------------------------------------- stage 1: one line, checked and encoded


@dataclass(slots=True)
class Ready:
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
    # (see DOSSIER_MARK), filled by `pack`; the lists above are then left empty. One string
    # per table (UTF-8, as COPY takes it) is far cheaper to send between the processes and to
    # complete than the rows.
    packed: tuple[bytes, ...] | None = None
    user_list: list[str] = field(default_factory=list)  # the n of "\x02" n "\x03"
    person_list: list[str] = field(default_factory=list)  # the n of "\x04" n "\x05"


#: The tables written after the dossiers, in this order (`Ready.packed`).
CHILD_TABLES = ("event", "component", "pause", "handover", "payment", "rating", "feedback")


def pack(ready: Ready) -> Ready:
    """PostgreSQL: join each child table's rows of one line into a COPY text whose keys are
    placeholders, for the main process to complete with `str.replace`."""
    null, mark = NULL, DOSSIER_MARK
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


def instants(pg: bool) -> Callable[[str | None], str | None]:
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


def stage(number: int, raw: str | bytes, static: Static) -> Ready | LineProblem | None:
    """Parse, validate and encode one line; a LineProblem says why it cannot be imported."""
    record = _parse(number, raw)
    if record is None or isinstance(record, LineProblem):
        return record
    # JSON writes a backslash, a tab, a line break and every control character inside a
    # string as an escape that starts with a backslash (RFC 8259 §7; both parsers refuse
    # them raw), and `dumps` writes a backslash only where a string held one of them or a
    # quote, which the line then also escaped. So a line without any backslash holds no
    # value that COPY would need escaped, and its rows skip that check.
    clean = (b"\\" not in raw) if isinstance(raw, bytes) else ("\\" not in raw)
    try:
        return _encode(number, record, static, clean)
    except LineRejected as exc:
        return LineProblem(number, exc.code, exc.reason, record["code"])


def _encode(number: int, record: dict[str, Any], static: Static, clean: bool = False) -> Ready:
    """Check one parsed line against what the import knows and encode its rows."""
    line = _Line(record, static, clean)
    code = record["code"]
    ready = Ready(
        line=number,
        code=code,
        applicant=record["applicant"],
        people=set(),
        usernames=line.usernames,
        dossier=line.dossier(),
        events=line.events(),
        components=line.components(),
        pauses=line.pauses(),
        handovers=line.handovers(),
        payments=line.payments(),
        rating=line.rating(),
        feedback=line.feedback(),
        sequence=_sequence(code, static.agency),
    )
    ready.people = line.people - {record["applicant"]["id_number"]}
    return pack(ready) if static.pg else ready


class _Line:
    """One line's references resolved and its rows encoded, table by table; collects the
    user accounts and people it names for the main process to resolve."""

    def __init__(self, record: dict[str, Any], static: Static, clean: bool) -> None:
        self.record = record
        self.tables = static.tables
        self.agencies = static.agency
        self.clean = clean
        self.at = instants(static.pg)
        self.provenance = static.provenance
        proc = record["procedure"]
        version = static.versions.get((proc["code"], proc["version"]))
        if version is None:
            raise LineRejected(f"Unknown procedure {proc['code']} version {proc['version']}.", "unknown_procedure")
        self.version = version
        self.usernames: set[str] = set()
        self.people: set[str] = set()
        self._check_applicant(record["applicant"])
        self._check_events(record["events"])

    @functools.cached_property
    def sealed(self) -> chain.Sealed:
        """The imported history's hash chain, computed as the workflow would have."""
        return self.provenance.seal(self.record["code"], self.record["events"], self.at)

    @staticmethod
    def _check_applicant(applicant: dict[str, Any]) -> None:
        if applicant["kind"] == PersonKind.CITIZEN and (error := personal_id_error(applicant["id_number"])):
            raise LineRejected(f"Applicant {applicant['id_number']}: {error}", "invalid_personal_id")
        if applicant["birth_date"] is not None:
            try:
                date.fromisoformat(applicant["birth_date"])
            except ValueError:
                raise LineRejected(
                    f"Applicant birth date {applicant['birth_date']!r} is not a date.", "invalid_date"
                ) from None

    def _check_events(self, events: list[dict[str, Any]]) -> None:
        seqs = [e["seq"] for e in events]
        if seqs != sorted(set(seqs)):
            raise LineRejected("Event sequence numbers must be unique and increasing.", "invalid_events")
        if events[-1]["to_status"] != self.record["status"]:
            raise LineRejected(
                f"The last event ends in {events[-1]['to_status']!r} but the dossier is {self.record['status']!r}.",
                "inconsistent_status",
            )

    def agency(self, code: str | None, what: str) -> int | None:
        if code is None:
            return None
        found = self.agencies.get(code)
        if found is None:
            raise LineRejected(f"Unknown {what} agency {code}.", "unknown_agency")
        return found

    def step(self, key: str | None) -> int | None:
        if key is None:
            return None
        found = self.version.steps.get(key)
        if found is None:
            raise LineRejected(f"Procedure {self.version.code} has no step {key!r}.", "unknown_step")
        return found

    def user(self, name: str | None) -> str | None:
        if name:
            self.usernames.add(name)
        return name or None

    def person(self, number: str | None) -> str | None:
        if number:
            self.people.add(number)
        return number or None

    def dossier(self) -> tuple[str, str | None, Any]:
        record, agency, at = self.record, self.agency, self.at
        values: list[Any] = [
            record["code"],
            self.version.pk,
            record["events"][-1]["seq"],
            agency(record["receiving_agency"], "receiving"),
            agency(record["settling_agency"], "settling"),
            agency(record["current_agency"], "current"),
            self.step(record["current_step"]),
        ]
        for name in PLAIN_FIELDS:
            if name == "code":
                continue
            value = record[name]
            values.append((None if value is None else dumps(value)) if name in JSON_PLAIN else value)
        values.extend([at(record[name]) for name in INSTANT_FIELDS])
        values.extend(self.sealed.dossier)
        submitted_by = self.user(record["submitted_by"])
        return (record["applicant"]["id_number"], submitted_by, self.tables.dossier.encoder(self.clean)(values))

    def events(self) -> list[tuple[str | None, Any]]:
        encode, agency, sealed = self.tables.event.encoder(self.clean), self.agency, self.sealed
        # The seal checked every event's instant (`self.at`) before hashing it, and kept the result.
        assert sealed.instants is not None
        encoded = []
        for e, chained, at in zip(self.record["events"], sealed.events, sealed.instants, strict=True):
            data = e["data"]
            for key in EVENT_AGENCY_KEYS:
                if isinstance(data.get(key), str):
                    data = {**data, key: agency(data[key], "event")}
            row = [
                e["seq"],
                e["action"],
                e["from_status"],
                e["to_status"],
                at,
                e["actor_name"],
                e["actor_role"],
                agency(e["actor_agency"], "event actor"),
                e["reason"],
                e["form"],
                dumps(data),
                *chained,
            ]
            encoded.append((self.user(e["actor"]), encode(row)))
        return encoded

    def components(self) -> list[Any]:
        documents, at = self.version.documents, self.at
        encode = self.tables.component.encoder(self.clean)
        components = []
        for c in self.record["components"]:
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
        return components

    def pauses(self) -> list[Any]:
        encode, at = self.tables.pause.encoder(self.clean), self.at
        return [
            encode([p["kind"], at(p["started_at"]), at(p["ended_at"]), p["during_intake"]])
            for p in self.record["pauses"]
        ]

    def handovers(self) -> list[tuple[str | None, Any]]:
        encode, agency, step, at = self.tables.handover.encoder(self.clean), self.agency, self.step, self.at
        handovers = []
        for h in self.record["handovers"]:
            row = [
                at(h["at"]),
                agency(h["from_agency"], "hand-over"),
                agency(h["to_agency"], "hand-over"),
                step(h["from_step"]),
                step(h["to_step"]),
                at(h["step_due_at"]),
                h["result"],
                h["note"],
            ]
            handovers.append((self.user(h["given_by"]), encode(row)))
        return handovers

    def payments(self) -> list[Any]:
        encode, at = self.tables.payment.encoder(self.clean), self.at
        return [
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
            for p in self.record["payments"]
        ]

    def rating(self) -> tuple[str | None, Any] | None:
        r = self.record["rating"]
        if r is None:
            return None
        encode = self.tables.rating.encoder(self.clean)
        return (
            self.person(r["person"]),
            encode([dumps(r["scores"]), r["satisfaction"], r["comment"], self.at(r["rated_at"])]),
        )

    def feedback(self) -> list[tuple[str | None, Any]]:
        encode, at = self.tables.feedback.encoder(self.clean), self.at
        feedback = []
        for f in self.record["feedback"]:
            row: list[Any] = [self.agency(f["agency"], "feedback")]
            row += [f[name] for name in FEEDBACK_TEXT]
            row += [at(f[name]) for name in FEEDBACK_INSTANTS]
            feedback.append((self.person(f["person"]), encode(row)))
        return feedback


# ---------------------------------------------------------------- the parsing processes

_worker_static: Static | None = None


def worker_init(static: Static) -> None:
    global _worker_static
    _worker_static = static


def stage_chunk(first: int, raws: list[bytes | str]) -> list[Ready | LineProblem | None]:
    """Stage 1 for consecutive lines, in a parsing process (no database there)."""
    assert _worker_static is not None
    static = _worker_static
    return [stage(first + k, raw, static) for k, raw in enumerate(raws)]


def chunks(lines: Iterable[str | bytes], size: int) -> Iterator[tuple[int, list[str | bytes]]]:
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
