"""E-forms are JSON Schema documents (draft 2020-12) stored on the procedure version."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from motcua.codelists.formats import FORMATS


def schema_error(schema: dict[str, Any]) -> str | None:
    """Why `schema` is not a usable e-form schema, or None."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return 'An e-form schema is a JSON Schema object with "type": "object".'
    try:
        jsonschema_rs.validator_for(schema, formats=FORMATS, validate_formats=True)
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        return f"The e-form schema is not valid JSON Schema: {exc}"
    return None


def form_errors(schema: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, str]:
    """Field path -> message for every problem of `data` against the e-form `schema`."""
    if not schema:
        return {}
    validator = jsonschema_rs.validator_for(schema, formats=FORMATS, validate_formats=True)
    errors: dict[str, str] = {}
    for error in validator.iter_errors(data):
        path = "/".join(str(part) for part in error.instance_path) or "(form)"
        errors.setdefault(path, error.message)
    return errors
