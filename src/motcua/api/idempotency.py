"""`Idempotency-Key` for creating commands: a retried request never creates twice.

The stored answer is written in the same transaction as the change; a concurrent retry
that loses the race on the unique key rolls back its own work and replays the winner's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from motcua.dossiers.models import IdempotencyRecord
from motcua.lib.errors import Conflict, InvalidInput

MAX_KEY_LENGTH = 255


def run_idempotent(
    request: HttpRequest, scope: str, payload: Any, command: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        # One transaction with or without a key: a refused command leaves nothing behind
        # (e.g. no new applicant for a dossier that was not filed).
        with transaction.atomic():
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

    found = IdempotencyRecord.objects.filter(principal=principal, scope=scope, key=key).first()
    if found is not None:
        return replay(found)
    try:
        with transaction.atomic():
            status, body = command()
            IdempotencyRecord.objects.create(
                principal=principal,
                scope=scope,
                key=key,
                request_hash=digest,
                status_code=status,
                # No `default=str`: a body that is not plain data (a model row) must fail on the
                # first request, not come back mangled on the replay.
                response=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
            )
    except IntegrityError:
        found = IdempotencyRecord.objects.filter(principal=principal, scope=scope, key=key).first()
        if found is None:
            raise
        return replay(found)
    return status, body
