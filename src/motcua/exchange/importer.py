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

1. `staging.stage` (pure Python, no database): parse, validate with one compiled JSON Schema
   validator, resolve the references that are known for the whole import (agencies,
   procedure versions, steps, documents: loaded once) and encode every row as the text the
   database takes (`encoding.Table`: PostgreSQL COPY text, or a tuple for SQLite). Instants are checked and
   passed as written (PostgreSQL reads ISO 8601 with an offset), JSON fields are encoded once.
   For PostgreSQL the rows of each child table of a line are joined into one UTF-8 COPY text
   whose keys (dossier id, user accounts, people) are placeholders (`staging.pack`).
   With `workers=N` it runs in N other processes (`default_workers`), beside the writes.
2. `Importer._write` (this module, the main process): what depends on the database state (dossier codes already
   present, people, user accounts) is resolved per batch with a few set queries (one array
   parameter each on PostgreSQL), then each table is written with one COPY (PostgreSQL: the
   placeholders replaced) or one executemany (SQLite).
3. PostgreSQL: the foreign keys are checked at COMMIT (Django makes them deferrable), about
   50 per dossier, and that is most of the server's work. With `overlap` (the default with a
   parsing processes) two writer connections take turns, so that one batch is written while
   the previous one commits; see `Importer._submit`, which keeps the answer of a serial run.
   Each batch transaction runs with `synchronous_commit = off`: a crash may lose the last
   batches committed (never corrupt anything); re-running the import skips what is present.
4. PostgreSQL, `bulk=True` (`import_dossiers --bulk`, for a migration of millions of dossiers):
   the foreign keys of the imported tables are set aside for the import and put back,
   validated, at the end (bulk.py), as pg_restore does; the checks at COMMIT of 3. go away.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import ChainMap, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from motcua.dossiers import chain
from motcua.dossiers.models import ClockPause, CodeSequence, Dossier, DossierComponent, DossierEvent, Handover
from motcua.dossiers.signals import dossiers_imported
from motcua.exchange.bulk import restore_foreign_keys, suspend_foreign_keys
from motcua.exchange.encoding import DOSSIER_MARK, PERSON_GIVEN, key_bytes, lookup_keys
from motcua.exchange.staging import (
    CHILD_TABLES,
    LineProblem,
    Ready,
    Static,
    chunks,
    instants,
    stage,
    stage_chunk,
    worker_init,
)
from motcua.payments.models import Payment
from motcua.people.models import Person
from motcua.ratings.models import Feedback, Rating

#: Lines per transaction; smaller batches overlap better (n = 20,000: ~1,950/s against ~1,600/s with 5,000).
DEFAULT_BATCH = 2000
#: Lines handed to a parsing process at a time, and how many chunks per process beyond one batch may wait.
CHUNK = 500
IN_FLIGHT = 4


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


# ---------------------------------------------------------------- the importer


class _Redo(Exception):
    """The batch before this one did not commit whole: roll this one back, write it again."""


class _Job:
    """One batch handed to a writer thread (see `Importer._submit`)."""

    def __init__(
        self,
        batch: list[Ready],
        ready: list[Ready],
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

    `workers=N` parses and encodes in N other processes (fork) while this one writes: worth
    it for large files on a machine with two or more CPUs (`manage.py import_dossiers` runs
    `default_workers()` of them then). Chunks of lines go to the processes in turn and come
    back in line order, so the answer is the same either way.
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
        #: a transaction); by default with the parsing processes, i.e. on a machine with 2+ CPUs.
        self.overlap = bool(self.workers) if overlap is None else overlap
        #: PostgreSQL: the foreign keys of the imported tables checked once, at the end (bulk.py).
        self.bulk = bulk
        self._writers: list[ThreadPoolExecutor] | None = None
        self._jobs: deque[_Job] = deque()
        self._turn = 0
        self.report = ImportReport()
        self.static = Static.load()
        self.static.provenance = chain.Provenance(
            by=imported_by, at=instants(self.static.pg)(timezone.now().isoformat())
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
        batch: list[Ready] = []
        pending = 0
        for last, results in staged:
            for item in results:
                if isinstance(item, Ready):
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
    ) -> Iterator[tuple[int, list[Ready | LineProblem | None]]]:
        static = self.static
        for first, raws in chunks(lines, size):
            yield first + len(raws) - 1, [stage(first + k, raw, static) for k, raw in enumerate(raws)]

    def _staged_in_worker(
        self, lines: Iterable[str | bytes], size: int
    ) -> Iterator[tuple[int, list[Ready | LineProblem | None]]]:
        """Stage 1 in forked processes (`self.workers`), which take the chunks in turn; at most
        a batch and IN_FLIGHT chunks per process wait, so a huge file is never read ahead into
        memory. The children never touch the database connection they inherited (they only
        parse), and results come back in line order."""
        context = multiprocessing.get_context("fork")
        with context.Pool(self.workers, initializer=worker_init, initargs=(self.static,)) as pool:
            waiting: deque[tuple[int, Any]] = deque()
            # Let the parsers run a whole batch ahead, so they work while this process writes.
            ahead = (self.batch_size + size - 1) // size + IN_FLIGHT * self.workers
            for first, raws in chunks(lines, size):
                waiting.append((first + len(raws) - 1, pool.apply_async(stage_chunk, (first, raws))))
                if len(waiting) >= ahead:
                    last, result = waiting.popleft()
                    yield last, result.get()
            while waiting:
                last, result = waiting.popleft()
                yield last, result.get()

    def _prepare(
        self, batch: list[Ready], pending: _Job | None = None
    ) -> tuple[list[Ready], list[LineProblem], list[LineProblem]]:
        """The lines of `batch` to write, and the duplicates and failures of the others.
        `pending`: a batch still being committed by another connection, taken as written
        (its codes are present, its new people exist); checked before this one commits."""
        codes = [p.code for p in batch]
        existing = {code for code, _ in lookup_keys(Dossier, "code", codes)}
        if pending is not None:
            existing |= pending.codes
        duplicates: list[LineProblem] = []
        failed: list[LineProblem] = []
        ready: list[Ready] = []
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

    def _batch(self, batch: list[Ready]) -> None:
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

    def _submit(self, batch: list[Ready]) -> None:
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
        found = dict(lookup_keys(get_user_model(), "username", missing))
        for name in missing:
            self.users[name] = found.get(name)

    def _load_people(self, id_numbers: set[str]) -> None:
        missing = sorted(number for number in id_numbers if number not in self.people)
        self.people.update(lookup_keys(Person, "id_number", missing))

    def _write(self, ready: list[Ready], known: Mapping[str, int]) -> tuple[list[int], dict[str, int]]:
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
            created = dict(lookup_keys(Person, "id_number", list(new_people)))

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
        ids.update(lookup_keys(Dossier, "code", [p.code for p in ready]))
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
        ready: list[Ready],
        ids: dict[str, int],
        person: Callable[[str | None], int | None],
        user: Callable[[str | None], int | None],
    ) -> None:
        """PostgreSQL: complete the packed COPY texts of the lines and write each table once."""
        tables = self.static.tables
        parts: list[list[bytes]] = [[] for _ in CHILD_TABLES]
        mark = DOSSIER_MARK.encode()
        for p in ready:
            assert p.packed is not None
            marks = [(b"\x02%d\x03" % i, key_bytes(user(name))) for i, name in enumerate(p.user_list)]
            marks += [(b"\x04%d\x05" % i, key_bytes(person(number))) for i, number in enumerate(p.person_list)]
            did = b"%d" % ids[p.code]
            for part, text in zip(parts, p.packed, strict=True):
                if text:
                    for key, value in marks:
                        if key in text:
                            text = text.replace(key, value)
                    part.append(text.replace(mark, did))
        for name, part in zip(CHILD_TABLES, parts, strict=True):
            getattr(tables, name).write_text(b"".join(part))


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


#: Parsing processes on a machine with two or more CPUs (`default_workers`).
PARSERS = 2


def default_workers() -> int:
    """Two parsing processes on a machine with a second CPU, none on one CPU. Stage 1 costs
    about three times the main process's work per dossier (W4, 2 CPUs: ~0.5 ms against 0.15
    ms), so one parser is the pipeline's slowest stage; two gave +10-20 % dossiers/s
    (`bench/README.md`, W4). `manage.py import_dossiers --workers` chooses another number."""
    return PARSERS if (os.cpu_count() or 1) > 1 else 0


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
