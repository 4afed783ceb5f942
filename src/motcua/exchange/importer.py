"""Import "motcua-dossier/1" lines: the migration path of a province leaving its previous
system, or of two systems merged after the 2025 reorganisation (Resolution 190/2025/QH15:
the successor continues the dossiers, asks for nothing again and redoes no step).

It is a copy, not a replay: the rows are written as they are in the file (dossier, events,
components, pauses, hand-overs, payments, rating, feedback), so the dossiers, their history
and every indicator computed from them come out identical. Transitions are not re-run,
because they would stamp today's time, re-check today's roles and re-compute deadlines
with today's calendar.

Each batch of lines is checked completely first (JSON, the JSON Schema, then every
reference: procedure version, agencies, steps, documents, people) and written in one
transaction. A bad line is reported with its number and reason and nothing of it is
written; a dossier code already present is reported as a duplicate and skipped; the rest
goes on. If the database still refuses a batch (a concurrent writer), the batch is written
again one dossier at a time, each in its own savepoint, so only the guilty line fails.
Events go in with INSERT only: the append-only triggers (dossiers migration 0002) stay on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import jsonschema_rs
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import ClockPause, CodeSequence, Dossier, DossierComponent, DossierEvent, Handover
from motcua.exchange.export import EVENT_AGENCY_KEYS, INSTANT_FIELDS, PLAIN_FIELDS
from motcua.exchange.format import FORMAT, date_in, instant_in
from motcua.exchange.schema import SCHEMA
from motcua.lib.ids import personal_id_error
from motcua.organizations.models import Agency
from motcua.payments.models import Payment
from motcua.people.models import Person, PersonKind
from motcua.ratings.models import Feedback, Rating

#: Sent after each batch is committed, with the ids of the dossiers it wrote, so that derived
#: data (the indicator counters of issue 4 item 2) can catch up without re-running transitions.
dossiers_imported = Signal()

DEFAULT_BATCH = 1000
_CODE_RE = re.compile(r"^(?P<agency>[A-Z0-9.]+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


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
        }

    def summary(self) -> str:
        text = f"{self.imported} imported, {self.skipped} skipped (already present), {len(self.failed)} failed"
        if self.failed:
            shown = ", ".join(str(p.line) for p in self.failed[:20])
            text += f" (lines {shown}{', …' if len(self.failed) > 20 else ''})"
        return text


# ---------------------------------------------------------------- raw multi-row INSERT


class _Table:
    """Many rows at once (COPY on PostgreSQL, executemany on SQLite), every column filled.

    Not `bulk_create`: that would overwrite the imported `created_at`, `updated_at` and
    `added_at` with today (auto_now), and build a model instance per row. Columns a line
    does not carry get the model field's default, so a field added to a model later does
    not break the importer.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.names = [f.attname for f in self.fields]
        quote = connection.ops.quote_name
        self.head = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) VALUES "
        )
        self.one = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        # psycopg takes aware datetimes and dates as they are; SQLite needs Django's adaptation.
        needs_prep: tuple[type, ...] = (models.JSONField,)
        if connection.vendor != "postgresql":
            needs_prep += (models.DateTimeField, models.DateField, models.TimeField)
        self.prep = [(index, f) for index, f in enumerate(self.fields) if isinstance(f, needs_prep)]
        columns = ", ".join(quote(f.column) for f in self.fields)
        self.copy = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        self.single = self.head + self.one

    def default(self, f: models.Field[Any, Any]) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return timezone.now()
        return f.get_default()

    def insert(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        conn = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup per value
        values: list[list[Any]] = []
        for row in rows:
            line = [
                row[name] if name in row else self.default(f) for name, f in zip(self.names, self.fields, strict=True)
            ]
            for index, f in self.prep:
                if line[index] is not None:
                    line[index] = f.get_db_prep_save(line[index], conn)
            values.append(line)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: one stream per table, no statement to parse (≈10× a multi-row INSERT).
                with cursor.cursor.copy(self.copy) as copy:
                    for line in values:
                        copy.write_row(line)
            else:
                cursor.executemany(self.single, values)


# ---------------------------------------------------------------- references


@dataclass
class _Version:
    pk: int
    steps: dict[str, int]
    documents: dict[str, int]


class _Refs:
    """Natural key → row id, cached for the whole import."""

    def __init__(self) -> None:
        self.agency: dict[str, int] = dict(Agency.objects.values_list("code", "pk"))
        self.versions: dict[tuple[str, int], _Version | None] = {}
        self.users: dict[str, int | None] = {}
        self.people: dict[str, int] = {}

    def version(self, code: str, number: int) -> _Version:
        key = (code, number)
        if key not in self.versions:
            row = ProcedureVersion.objects.filter(procedure__code=code, number=number).first()
            if row is None:
                self.versions[key] = None
            else:
                self.versions[key] = _Version(
                    pk=row.pk,
                    steps=dict(row.steps.values_list("key", "pk")),
                    documents={name: pk for pk, name in reversed(list(row.documents.values_list("pk", "name")))},
                )
        found = self.versions[key]
        if found is None:
            raise LineRejected(f"Unknown procedure {code} version {number}.", "unknown_procedure")
        return found

    def agency_id(self, code: str | None, what: str) -> int | None:
        if code is None:
            return None
        if code not in self.agency:
            raise LineRejected(f"Unknown {what} agency {code}.", "unknown_agency")
        return self.agency[code]

    def load_users(self, usernames: set[str]) -> None:
        missing = usernames - self.users.keys()
        if missing:
            found = dict(get_user_model().objects.filter(username__in=missing).values_list("username", "pk"))
            for name in missing:
                self.users[name] = found.get(name)

    def user_id(self, username: str | None) -> int | None:
        """Unknown users are not an error: the event keeps the name, without the account."""
        return self.users.get(username) if username else None

    def load_people(self, id_numbers: set[str]) -> None:
        missing = id_numbers - self.people.keys()
        if missing:
            self.people.update(Person.objects.filter(id_number__in=missing).values_list("id_number", "pk"))


# ---------------------------------------------------------------- one line, checked


@dataclass
class _Prepared:
    line: int
    code: str
    applicant: dict[str, Any]
    dossier: dict[str, Any]
    events: list[dict[str, Any]]
    components: list[dict[str, Any]]
    pauses: list[dict[str, Any]]
    handovers: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    rating: dict[str, Any] | None
    feedback: list[dict[str, Any]]
    people: set[str]  # personal IDs referenced besides the applicant


def _at(value: str | None) -> datetime | None:
    try:
        return instant_in(value)
    except ValueError as exc:
        raise LineRejected(str(exc), "invalid_instant") from None


def _prepare(line: int, record: dict[str, Any], refs: _Refs) -> _Prepared:
    code = record["code"]
    version = refs.version(record["procedure"]["code"], record["procedure"]["version"])
    applicant = record["applicant"]
    if applicant["kind"] == PersonKind.CITIZEN and (error := personal_id_error(applicant["id_number"])):
        raise LineRejected(f"Applicant {applicant['id_number']}: {error}", "invalid_personal_id")

    def step(key: str | None) -> int | None:
        if key is None:
            return None
        if key not in version.steps:
            raise LineRejected(f"Procedure {record['procedure']['code']} has no step {key!r}.", "unknown_step")
        return version.steps[key]

    dossier: dict[str, Any] = {name: record[name] for name in PLAIN_FIELDS}
    for name in INSTANT_FIELDS:
        dossier[name] = _at(record[name])
    events = record["events"]
    seqs = [e["seq"] for e in events]
    if seqs != sorted(set(seqs)):
        raise LineRejected("Event sequence numbers must be unique and increasing.", "invalid_events")
    if events[-1]["to_status"] != record["status"]:
        raise LineRejected(
            f"The last event ends in {events[-1]['to_status']!r} but the dossier is {record['status']!r}.",
            "inconsistent_status",
        )
    dossier.update(
        procedure_version_id=version.pk,
        receiving_agency_id=refs.agency_id(record["receiving_agency"], "receiving"),
        settling_agency_id=refs.agency_id(record["settling_agency"], "settling"),
        current_agency_id=refs.agency_id(record["current_agency"], "current"),
        current_step_id=step(record["current_step"]),
        submitted_by_id=refs.user_id(record["submitted_by"]),
        row_version=seqs[-1],
    )
    prepared_events = []
    for e in events:
        data = e["data"]
        for key in EVENT_AGENCY_KEYS:
            if isinstance(data.get(key), str):
                data = {**data, key: refs.agency_id(data[key], "event")}
        prepared_events.append(
            {
                "seq": e["seq"],
                "action": e["action"],
                "from_status": e["from_status"],
                "to_status": e["to_status"],
                "at": _at(e["at"]),
                "actor_id": refs.user_id(e["actor"]),
                "actor_name": e["actor_name"],
                "actor_role": e["actor_role"],
                "actor_agency_id": refs.agency_id(e["actor_agency"], "event actor"),
                "reason": e["reason"],
                "form": e["form"],
                "data": data,
            }
        )
    components = []
    for c in record["components"]:
        document = c["required_document"]
        if document is not None and document not in version.documents:
            raise LineRejected(f"The procedure version lists no document {document!r}.", "unknown_document")
        row = {k: c[k] for k in ("name", "copies", "provided", "file", "file_name", "content_type", "size_bytes")}
        row.update({k: c[k] for k in ("sha256", "digitized", "from_warehouse", "reused_data", "source_db_code")})
        row["required_document_id"] = version.documents[document] if document is not None else None
        row["added_at"] = _at(c["added_at"])
        components.append(row)
    pauses = [
        {
            "kind": p["kind"],
            "started_at": _at(p["started_at"]),
            "ended_at": _at(p["ended_at"]),
            "during_intake": p["during_intake"],
        }
        for p in record["pauses"]
    ]
    handovers = [
        {
            "at": _at(h["at"]),
            "from_agency_id": refs.agency_id(h["from_agency"], "hand-over"),
            "to_agency_id": refs.agency_id(h["to_agency"], "hand-over"),
            "from_step_id": step(h["from_step"]),
            "to_step_id": step(h["to_step"]),
            "given_by_id": refs.user_id(h["given_by"]),
            "step_due_at": _at(h["step_due_at"]),
            "result": h["result"],
            "note": h["note"],
        }
        for h in record["handovers"]
    ]
    payments = []
    for p in record["payments"]:
        row = {k: p[k] for k in ("amount_vnd", "status", "online", "provider", "reference", "fee_data_synced")}
        row.update(requested_at=_at(p["requested_at"]), paid_at=_at(p["paid_at"]))
        payments.append(row)
    people: set[str] = set()
    rating = None
    if record["rating"] is not None:
        r = record["rating"]
        rating = {
            "person": r["person"],
            "scores": r["scores"],
            "satisfaction": r["satisfaction"],
            "comment": r["comment"],
            "rated_at": _at(r["rated_at"]),
        }
        if r["person"]:
            people.add(r["person"])
    feedback = []
    for f in record["feedback"]:
        row = {k: f[k] for k in ("kind", "content", "status", "likes", "dislikes", "repeated", "answer", "person")}
        row["agency_id"] = refs.agency_id(f["agency"], "feedback")
        for name in ("received_at", "handled_at", "refused_at", "supplement_requested_at", "published_at"):
            row[name] = _at(f[name])
        if f["person"]:
            people.add(f["person"])
        feedback.append(row)
    people.discard(applicant["id_number"])
    return _Prepared(
        line=line,
        code=code,
        applicant=applicant,
        dossier=dossier,
        events=prepared_events,
        components=components,
        pauses=pauses,
        handovers=handovers,
        payments=payments,
        rating=rating,
        feedback=feedback,
        people=people,
    )


# ---------------------------------------------------------------- the importer


class Importer:
    """Reads lines, checks them, writes them in batches. One instance per import."""

    def __init__(self, *, batch_size: int = DEFAULT_BATCH, progress: Callable[[int], None] | None = None) -> None:
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.report = ImportReport()
        self.refs = _Refs()
        self.validator = jsonschema_rs.validator_for(SCHEMA)
        self.tables = {
            model: _Table(model)
            for model in (
                Person,
                Dossier,
                DossierEvent,
                DossierComponent,
                ClockPause,
                Handover,
                Payment,
                Rating,
                Feedback,
            )
        }

    def run(self, lines: Iterable[str | bytes]) -> ImportReport:
        batch: list[tuple[int, dict[str, Any]]] = []
        for number, raw in enumerate(lines, start=1):
            self.report.lines = number
            record = self._parse(number, raw)
            if record is not None:
                batch.append((number, record))
            if len(batch) >= self.batch_size:
                self._batch(batch)
                batch = []
            if self.progress is not None and number % 100 == 0:
                self.progress(number)
        if batch:
            self._batch(batch)
        if self.progress is not None:
            self.progress(self.report.lines)
        return self.report

    def _fail(self, line: int, code: str, reason: str, dossier: str = "") -> None:
        self.report.failed.append(LineProblem(line, code, reason, dossier))

    def _parse(self, number: int, raw: str | bytes) -> dict[str, Any] | None:
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if not text.strip():
                return None  # blank lines (a trailing one, say) hold nothing and are passed over
            record = json.loads(text)
        except ValueError as exc:
            self._fail(number, "invalid_json", f"Not JSON: {exc}.")
            return None
        if not isinstance(record, dict):
            self._fail(number, "invalid_json", "A line must be one JSON object.")
            return None
        if not self.validator.is_valid(record):
            error = next(iter(self.validator.iter_errors(record)))
            where = "/".join(str(part) for part in error.instance_path) or "(line)"
            if record.get("format") != FORMAT:
                reason = f"Unknown format {record.get('format')!r}; this importer reads {FORMAT!r}."
            else:
                reason = f"Schema: at {where}: {error.message}"
            self._fail(number, "schema", reason, str(record.get("code", ""))[:64])
            return None
        return record

    def _batch(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        codes = [record["code"] for _, record in batch]
        existing = set(Dossier.objects.filter(code__in=codes).values_list("code", flat=True))
        usernames: set[str] = set()
        for _, record in batch:
            usernames.update(e["actor"] for e in record["events"] if e["actor"])
            usernames.update(h["given_by"] for h in record["handovers"] if h["given_by"])
            if record["submitted_by"]:
                usernames.add(record["submitted_by"])
        self.refs.load_users(usernames)
        ready: list[_Prepared] = []
        seen: set[str] = set()
        for number, record in batch:
            code = record["code"]
            if code in existing or code in seen:
                self.report.duplicates.append(
                    LineProblem(number, "duplicate", f"Dossier {code} already exists; line skipped.", code)
                )
                continue
            try:
                ready.append(_prepare(number, record, self.refs))
            except LineRejected as exc:
                self._fail(number, exc.code, exc.reason, code)
                continue
            seen.add(code)
        if not ready:
            return
        people = {p.applicant["id_number"] for p in ready}
        for p in ready:
            people |= p.people
        self.refs.load_people(people)
        known = self.refs.people.keys() | {q.applicant["id_number"] for q in ready}
        for p in list(ready):
            if unknown := sorted(p.people - known):
                self._fail(p.line, "unknown_person", f"Unknown person {unknown[0]} (rating or feedback).", p.code)
                ready.remove(p)
        try:
            with transaction.atomic():
                ids = self._write(ready)
        except DatabaseError:
            ids = []
            for p in ready:
                try:
                    with transaction.atomic():
                        ids += self._write([p])
                except DatabaseError as exc:
                    self._fail(p.line, "database", f"The database refused the dossier: {exc}".strip(), p.code)
        if ids:
            transaction.on_commit(lambda: dossiers_imported.send(sender=Importer, dossier_ids=ids))

    def _write(self, ready: list[_Prepared]) -> list[int]:
        refs = self.refs
        new_people: dict[str, dict[str, Any]] = {}
        for p in ready:
            a = p.applicant
            if a["id_number"] not in refs.people and a["id_number"] not in new_people:
                new_people[a["id_number"]] = {
                    "kind": a["kind"],
                    "id_number": a["id_number"],
                    "full_name": a["full_name"],
                    "birth_date": date_in(a["birth_date"]),
                    "gender": a["gender"],
                    "address": a["address"],
                    "phone": a["phone"],
                    "email": a["email"],
                    "user_id": None,
                    "verified_by_national_identity": a["verified_by_national_identity"],
                }
        if new_people:
            self.tables[Person].insert(list(new_people.values()))
            created = Person.objects.filter(id_number__in=list(new_people)).values_list("id_number", "pk")
            people = dict(created)
        else:
            people = {}

        def person(id_number: str | None) -> int | None:
            if not id_number:
                return None
            return people.get(id_number) or refs.people[id_number]

        rows = []
        for p in ready:
            row = dict(p.dossier)
            row["applicant_id"] = person(p.applicant["id_number"])
            rows.append(row)
        self.tables[Dossier].insert(rows)
        ids = dict(Dossier.objects.filter(code__in=[p.code for p in ready]).values_list("code", "pk"))
        children: dict[type[models.Model], list[dict[str, Any]]] = {
            m: [] for m in (DossierEvent, DossierComponent, ClockPause, Handover, Payment, Rating, Feedback)
        }
        for p in ready:
            dossier_id = ids[p.code]
            for model, items in (
                (DossierEvent, p.events),
                (DossierComponent, p.components),
                (ClockPause, p.pauses),
                (Handover, p.handovers),
                (Payment, p.payments),
            ):
                children[model].extend({**item, "dossier_id": dossier_id} for item in items)
            if p.rating is not None:
                r = dict(p.rating)
                r.update(dossier_id=dossier_id, person_id=person(r.pop("person")))
                children[Rating].append(r)
            for f in p.feedback:
                f = dict(f)
                f.update(dossier_id=dossier_id, person_id=person(f.pop("person")))
                children[Feedback].append(f)
        for model, items in children.items():
            self.tables[model].insert(items)
        _raise_code_sequences([p.code for p in ready], refs.agency)
        refs.people.update(people)
        self.report.imported += len(ready)
        return list(ids.values())


def _raise_code_sequences(codes: list[str], agencies: dict[str, int]) -> None:
    """Make every agency's daily receipt counter at least the highest imported sequence, so
    a dossier received after the import never gets a code already taken (codes.py)."""
    highest: dict[tuple[int, date], int] = {}
    for code in codes:
        match = _CODE_RE.match(code)
        if match is None or match["agency"] not in agencies:
            continue
        try:
            day = datetime.strptime(match["day"], "%y%m%d").date()
        except ValueError:
            continue
        key = (agencies[match["agency"]], day)
        highest[key] = max(highest.get(key, 0), int(match["seq"]))
    if not highest:
        return
    table = connection.ops.quote_name(CodeSequence._meta.db_table)
    bigger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    rows = sorted(highest.items())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            part = rows[start : start + 1000]
            cursor.execute(
                f"INSERT INTO {table} (agency_id, day, last) VALUES {', '.join(['(%s, %s, %s)'] * len(part))} "
                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {bigger}({table}.last, excluded.last)",
                [
                    v
                    for (agency_id, day), last in part
                    for v in (agency_id, connection.ops.adapt_datefield_value(day), last)
                ],
            )


def import_lines(
    lines: Iterable[str | bytes], *, batch_size: int = DEFAULT_BATCH, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Import dossiers from "motcua-dossier/1" lines; see the module docstring."""
    return Importer(batch_size=batch_size, progress=progress).run(lines)
