"""Transactions in which a failure anywhere fails the whole.

An API command is one transaction: its `Idempotency-Key` claim, the change and the stored
answer commit together or not at all (`dossiers/idempotency.py`). Nothing inside such a
transaction catches a failed change and goes on, so a change made directly inside it needs
no savepoint of its own: `atomic_change()` then takes none, which saves a `SAVEPOINT` and a
`RELEASE SAVEPOINT` per change. Anywhere else (a page, a batch that catches one dossier's
failure and goes on, a test) a nested change keeps its savepoint, as `transaction.atomic()`
gives it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

#: The savepoint depth just inside the innermost `all_or_nothing()` block, None outside one.
_WHOLE: ContextVar[int | None] = ContextVar("all_or_nothing_depth", default=None)


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """A transaction (a savepoint if one is already open) that no code inside may partly
    keep: a failure propagates out of it and rolls everything in it back."""
    with transaction.atomic():
        token = _WHOLE.set(len(connection.savepoint_ids))
        try:
            yield
        finally:
            _WHOLE.reset(token)


def atomic_change() -> transaction.Atomic:
    """The transaction of one change: `transaction.atomic()`, but without a savepoint when
    it runs directly inside `all_or_nothing()` (no other atomic block in between)."""
    depth = _WHOLE.get()
    direct = depth is not None and connection.in_atomic_block and len(connection.savepoint_ids) == depth
    return transaction.atomic(savepoint=not direct)
