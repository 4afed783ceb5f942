"""`Idempotency-Key` for commands: a retried request never acts twice, and every retry,
even one sent in parallel with the first, gets the first request's stored answer.

The key row is inserted first, in the same transaction as the command (`INSERT … ON
CONFLICT DO NOTHING`), and its answer is written before that transaction commits. A
parallel request with the same key finds the row: its insert waits on the unique key
until the first transaction ends (PostgreSQL waits for the in-progress insert; SQLite
serialises writers), then does nothing, and the request replays the stored answer. Were
the first request to fail, its row goes with its rollback and the waiting one runs the
command itself. So parallel retries never see a half-done state, and never a 409.

The command runs inside that one transaction (`lib.transactions.all_or_nothing`): a failure
anywhere fails the request whole, so the change itself takes no savepoint.

One statement each way: the claim (`INSERT … RETURNING id`) and the answer (`UPDATE` by that
id). A retry after the fact conflicts with the committed row, so it neither writes nor waits,
and reads the stored answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from motcua.dossiers.models import IdempotencyRecord
from motcua.lib.errors import Conflict, InvalidInput
from motcua.lib.transactions import all_or_nothing

MAX_KEY_LENGTH = 255
#: A claim can vanish (the first request failed and rolled back) between our insert and
#: our read; we then try again, a few times at most.
MAX_CLAIMS = 5


_COLUMNS = ("key", "principal", "scope", "request_hash", "status_code", "response", "created_at")
#: The claim's and the answer's SQL by database vendor, written once from the model.
_SQL: dict[str, tuple[str, str]] = {}


def _statements() -> tuple[str, str]:
    found = _SQL.get(connection.vendor)
    if found is None:
        meta = IdempotencyRecord._meta
        quote = connection.ops.quote_name

        def column(name: str) -> str:
            return quote(str(meta.get_field(name).column))  # type: ignore[union-attr]

        table = quote(meta.db_table)
        unique = ", ".join(column(name) for name in ("principal", "scope", "key"))
        claim = (
            f"INSERT INTO {table} ({', '.join(column(name) for name in _COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) ON CONFLICT ({unique}) DO NOTHING RETURNING id"
        )
        answer = f"UPDATE {table} SET {column('status_code')} = %s, {column('response')} = %s WHERE id = %s"
        found = _SQL[connection.vendor] = (claim, answer)
    return found


def _prepared(name: str, value: Any) -> Any:
    return IdempotencyRecord._meta.get_field(name).get_db_prep_save(value, connection)  # type: ignore[union-attr]


def _claim(principal: str, scope: str, key: str, digest: str) -> int | None:
    """Insert the key row inside the current transaction and return its id; None if another
    request holds it (after waiting for that request's transaction to end, if it is running)."""
    values = {
        "key": key,
        "principal": principal,
        "scope": scope,
        "request_hash": digest,
        "status_code": 0,  # replaced by the answer before this transaction commits
        "response": {},
        "created_at": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(_statements()[0], [_prepared(name, values[name]) for name in _COLUMNS])
        row = cursor.fetchone()
        return int(row[0]) if row is not None else None


def _record_answer(claimed: int, status: int, answer: Any) -> None:
    """The answer on the claimed row (what `IdempotencyRecord.objects.filter(pk=…).update()`
    writes, without compiling the ORM's UPDATE each time)."""
    with connection.cursor() as cursor:
        params = [_prepared("status_code", status), _prepared("response", answer), claimed]
        cursor.execute(_statements()[1], params)


def run_idempotent(
    request: HttpRequest, scope: str, payload: Any, command: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        # One transaction with or without a key: a refused command leaves nothing behind
        # (e.g. no new applicant for a dossier that was not filed).
        with all_or_nothing():
            return command()
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(f"Idempotency-Key is at most {MAX_KEY_LENGTH} characters.", code="invalid_idempotency_key")
    user = getattr(request, "user", None)
    principal = f"user:{user.pk}" if user is not None and user.is_authenticated else "anonymous"
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()

    def replay(record: IdempotencyRecord) -> tuple[int, Any]:
        if record.request_hash != digest:
            raise Conflict(
                "This Idempotency-Key was already used for a different request.", code="idempotency_key_reused"
            )
        return record.status_code, record.response

    # One statement each way: the claim (a retry after the fact conflicts with a committed
    # row, so it neither writes nor waits, and then reads the answer) and the answer.
    for _attempt in range(MAX_CLAIMS):
        with all_or_nothing():
            claimed = _claim(principal, scope, key, digest)
            if claimed is not None:
                status, body = command()
                # No `default=str`: a body that is not plain data (a model row) must fail on
                # the first request, not come back mangled on the replay.
                answer = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
                _record_answer(claimed, status, answer)
                return status, body
        found = IdempotencyRecord.objects.filter(principal=principal, scope=scope, key=key).first()
        if found is not None:
            return replay(found)
    raise Conflict("This request could not be recorded; send it again.", code="idempotency_key_busy")
