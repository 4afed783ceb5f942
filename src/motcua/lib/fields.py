"""Model fields shared by several apps."""

from __future__ import annotations

from typing import Any

from django.db import models

#: Where `OrderedJSONField` keeps an object's key order inside the stored JSON.
ORDER_KEY = "__key_order__"


def with_key_order(value: Any) -> Any:
    """`value` with every object of two keys or more carrying its key order."""
    if isinstance(value, dict):
        out = {key: with_key_order(item) for key, item in value.items()}
        if len(value) > 1:
            out[ORDER_KEY] = list(value)
        return out
    if isinstance(value, list):
        return [with_key_order(item) for item in value]
    return value


def restore_key_order(value: Any) -> Any:
    """The inverse of `with_key_order`: objects get their keys back in the recorded order
    (keys the record does not name follow, in stored order); the record is removed."""
    if isinstance(value, dict):
        order = value.get(ORDER_KEY)
        keys = [key for key in order if key in value] if isinstance(order, list) else []
        keys += [key for key in value if key not in keys and key != ORDER_KEY]
        return {key: restore_key_order(value[key]) for key in keys}
    if isinstance(value, list):
        return [restore_key_order(item) for item in value]
    return value


class OrderedJSONField(models.JSONField):
    """A JSONField whose objects keep their key order on PostgreSQL too.

    PostgreSQL's jsonb stores object keys sorted (by length, then bytes), so an e-form
    schema's fields would come back in that order rather than the author's. This field
    records each object's key order in the stored value and restores it when the row is
    read; the record never reaches Python code. On SQLite the JSON text keeps the order
    anyway and the record is simply redundant. Lookups into the JSON would see the
    record, so this field is for documents read whole (a schema), not for querying.
    """

    def get_prep_value(self, value: Any) -> Any:
        return super().get_prep_value(with_key_order(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return restore_key_order(super().from_db_value(value, expression, connection))
