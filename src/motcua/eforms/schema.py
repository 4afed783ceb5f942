"""E-forms are JSON Schema documents (draft 2020-12) stored on the procedure version: whether a
schema is usable, the errors of data against it, and the helpers that walk a schema.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
from django.conf import settings
from django.utils.translation import gettext as _

from motcua.codelists.formats import FORMATS, VN_PHONE


def schema_error(schema: dict[str, Any]) -> str | None:
    """Why `schema` is not a usable e-form schema, or None."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return 'An e-form schema is a JSON Schema object with "type": "object".'
    try:
        jsonschema_rs.validator_for(schema, formats=FORMATS, validate_formats=True)
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        return f"The e-form schema is not valid JSON Schema: {exc}"
    return None


def form_too_large(data: Any) -> bool:
    """Whether e-form data, as JSON, is larger than settings.CITIZEN_LIMITS["EFORM_MAX_BYTES"]."""
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return len(encoded) > settings.CITIZEN_LIMITS["EFORM_MAX_BYTES"]


def form_errors(schema: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, str]:
    """Field path -> message for every problem of `data` against the e-form `schema`."""
    if form_too_large(data):
        return {"(form)": f"The e-form data is larger than {settings.CITIZEN_LIMITS['EFORM_MAX_BYTES']} bytes."}
    if not schema:
        return {}
    validator = jsonschema_rs.validator_for(schema, formats=FORMATS, validate_formats=True)
    errors: dict[str, str] = {}
    for error in validator.iter_errors(data):
        path = "/".join(str(part) for part in error.instance_path) or "(form)"
        errors.setdefault(path, error.message)
    return errors


def enum_text(value: Any) -> str:
    """How an enum member travels in a form: JSON spelling for booleans, str() otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def same_value(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def resolve(spec: Any, root: dict[str, Any]) -> dict[str, Any]:
    """`spec` with a local "$ref" (#/$defs/...) replaced by its target, sibling keys winning."""
    if not isinstance(spec, dict):
        return {}
    ref = spec.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return spec
    target: Any = root
    for part in ref[2:].split("/"):
        target = target.get(part) if isinstance(target, dict) else None
    if not isinstance(target, dict):
        return spec
    return {**resolve(target, root), **{k: v for k, v in spec.items() if k != "$ref"}}


def choice_answers(schema: dict[str, Any], name: str) -> list[Any] | None:
    """The answers a top-level field of the e-form `schema` can take when it is a yes/no
    (boolean) or a choice (enum) field, else None. A conditional paper of the catalogue names
    such a field."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not name or not isinstance(properties, dict) or name not in properties:
        return None
    spec = resolve(properties[name], schema)
    if isinstance(spec.get("enum"), list):
        return list(spec["enum"])
    if spec.get("type") == "boolean":
        return [True, False]
    return None


def is_object(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "object" and "properties" in spec


def is_array(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "array"


def leaf_kind(spec: dict[str, Any]) -> str | None:
    if "enum" in spec:
        return "select"
    kind = spec.get("type")
    if kind == "boolean" or spec.get("const") is True:
        return "checkbox"
    if kind in {"integer", "number"}:
        return "number"
    if kind == "string":
        fmt = spec.get("format")
        if fmt == "date":
            return "date"
        if fmt == "email":
            return "email"
        if fmt == VN_PHONE:
            return "tel"
        if (spec.get("maxLength") or 0) > 255:
            return "textarea"
        return "text"
    return None  # other shapes are not entered through this form


def row_kind(spec: dict[str, Any]) -> str | None:
    """The input of one row of an array of scalars: a yes/no choice stands for a boolean row."""
    kind = leaf_kind(spec)
    return "yesno" if kind == "checkbox" else kind


def value_at(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def row_label(index: int) -> str:
    return _("Row %(number)d") % {"number": index + 1}


def in_row(row: str, label: str, message: str) -> str:
    """An error inside a row names the row and the field: "Dòng 2, Ngày sinh: …"."""
    if not message or not row:
        return message
    if not label:
        return _("%(row)s: %(message)s") % {"row": row, "message": message}
    return _("%(row)s, %(field)s: %(message)s") % {"row": row, "field": label, "message": message}
