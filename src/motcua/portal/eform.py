"""Render a procedure version's e-form (JSON Schema) as HTML inputs and read it back.

The schema stays the one rule: `catalog.eforms.form_errors` decides whether data is valid;
this module only turns schema properties into inputs (string, date, enum, boolean, integer,
nested objects as fieldsets), parses the POSTed strings into JSON types, and words each
error in the reader's language next to its field.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from motcua.catalog.eforms import form_errors

PREFIX = "ef."


@dataclass
class EField:
    """One input of the e-form."""

    name: str  # "nguoi_yeu_cau.ho_ten": the POST key after PREFIX
    path: str  # "nguoi_yeu_cau/ho_ten": the key form_errors uses
    label: str
    kind: str  # text, email, date, select, checkbox, number, textarea
    required: bool = False
    choices: list[Any] = field(default_factory=list)
    help: str = ""
    value: Any = None
    error: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    is_group: bool = False

    @property
    def input_name(self) -> str:
        return PREFIX + self.name

    @property
    def input_id(self) -> str:
        return "ef-" + self.name.replace(".", "-")


@dataclass
class EGroup:
    name: str
    path: str
    label: str
    required: bool
    children: list[EField | EGroup]
    error: str = ""
    is_group: bool = True


def _leaf_kind(spec: dict[str, Any]) -> str | None:
    if "enum" in spec:
        return "select"
    kind = spec.get("type")
    if kind == "boolean":
        return "checkbox"
    if kind in {"integer", "number"}:
        return "number"
    if kind == "string":
        fmt = spec.get("format")
        if fmt == "date":
            return "date"
        if fmt == "email":
            return "email"
        if (spec.get("maxLength") or 0) > 255:
            return "textarea"
        return "text"
    return None  # arrays and other shapes are not entered through this form


def _get(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def build_fields(
    schema: dict[str, Any] | None, data: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> list[EField | EGroup]:
    """The inputs of `schema`, filled with `data` and annotated with `errors` (path -> message)."""
    if not schema:
        return []
    return _children(schema, [], data or {}, errors or {}, parent_required=True)


def _children(
    schema: dict[str, Any], parts: list[str], data: dict[str, Any], errors: dict[str, str], parent_required: bool
) -> list[EField | EGroup]:
    required = set(schema.get("required", []))
    items: list[EField | EGroup] = []
    for key, spec in (schema.get("properties") or {}).items():
        if not isinstance(spec, dict):
            continue
        here = [*parts, key]
        path = "/".join(here)
        label = str(spec.get("title") or key.replace("_", " ").capitalize())
        if spec.get("type") == "object" and "properties" in spec:
            items.append(
                EGroup(
                    name=".".join(here),
                    path=path,
                    label=label,
                    required=key in required,
                    children=_children(spec, here, data, errors, parent_required=key in required),
                    error=errors.get(path, ""),
                )
            )
            continue
        kind = _leaf_kind(spec)
        if kind is None:
            continue
        attrs: dict[str, Any] = {}
        for source, target in (("minimum", "min"), ("maximum", "max"), ("maxLength", "maxlength")):
            if source in spec:
                attrs[target] = spec[source]
        items.append(
            EField(
                name=".".join(here),
                path=path,
                label=label,
                kind=kind,
                required=key in required and parent_required,
                choices=list(spec.get("enum", [])),
                help=str(spec.get("description", "")),
                value=_get(data, here),
                error=errors.get(path, ""),
                attrs=attrs,
            )
        )
    return items


def parse(schema: dict[str, Any] | None, post: QueryDict) -> tuple[dict[str, Any], dict[str, str]]:
    """The e-form data POSTed, as JSON types, plus errors of shape (not a number, not a date)."""
    if not schema:
        return {}, {}
    problems: dict[str, str] = {}
    data = _parse_object(schema, [], post, problems)
    return data or {}, problems


def _parse_object(
    schema: dict[str, Any], parts: list[str], post: QueryDict, problems: dict[str, str]
) -> dict[str, Any] | None:
    result: dict[str, Any] = {}
    for key, spec in (schema.get("properties") or {}).items():
        if not isinstance(spec, dict):
            continue
        here = [*parts, key]
        if spec.get("type") == "object" and "properties" in spec:
            child = _parse_object(spec, here, post, problems)
            if child:
                result[key] = child
            continue
        kind = _leaf_kind(spec)
        if kind is None:
            continue
        raw = post.get(PREFIX + ".".join(here))
        if kind == "checkbox":
            if raw is not None:
                result[key] = raw in {"on", "true", "1"}
            continue
        raw = (raw or "").strip()
        if not raw:
            continue
        path = "/".join(here)
        if kind == "number":
            try:
                result[key] = int(raw) if spec.get("type") == "integer" else float(raw)
            except ValueError:
                problems[path] = _("Enter a whole number.")
        elif kind == "date":
            try:
                date.fromisoformat(raw)
            except ValueError:
                problems[path] = _("Enter a valid date.")
            else:
                result[key] = raw
        else:
            result[key] = raw
    return result


_REQUIRED = re.compile(r'^"(?P<name>[^"]+)" is a required property')


def localised_errors(schema: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, str]:
    """`form_errors` of `data`, each worded for the reader and keyed by the field it concerns."""
    raw = form_errors(schema, data)
    errors: dict[str, str] = {}
    for path, message in raw.items():
        match = _REQUIRED.match(message)
        if match:
            key = match["name"] if path == "(form)" else f"{path}/{match['name']}"
            errors.setdefault(key, _("This field is required."))
        else:
            errors.setdefault(path, _message(message))
    # Every blank required input is named at once (form_errors reports one per object).
    _blank_required(schema or {}, [], data, errors, present=True)
    return errors


def _blank_required(schema: dict[str, Any], parts: list[str], data: Any, errors: dict[str, str], present: bool) -> None:
    required = set(schema.get("required", []))
    for key, spec in (schema.get("properties") or {}).items():
        if not isinstance(spec, dict):
            continue
        here = [*parts, key]
        value = data.get(key) if isinstance(data, dict) else None
        if spec.get("type") == "object" and "properties" in spec:
            _blank_required(spec, here, value, errors, present=present and key in required)
        elif present and key in required and value in (None, "") and _leaf_kind(spec):
            errors.setdefault("/".join(here), _("This field is required."))


def _message(message: str) -> str:
    """Word a JSON Schema message; the kinds below are those e-forms use."""
    if "is not one of" in message:
        return _("Choose one of the options.")
    if "does not match" in message:
        return _("The value does not have the required format.")
    if "is shorter than" in message:
        return _("The value is too short.")
    if "is longer than" in message:
        return _("The value is too long.")
    if "less than the minimum" in message or "less than or equal to the minimum" in message:
        return _("The value is below the minimum.")
    if "greater than the maximum" in message or "greater than or equal to the maximum" in message:
        return _("The value is above the maximum.")
    if "is not of type" in message or "is not a" in message:
        return _("The value is not valid.")
    if "Additional properties" in message:
        return _("The form has fields it does not expect.")
    return _("The value is not valid.") + f" ({message})"


def summary(schema: dict[str, Any] | None, data: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) lines of the filled-in form for the review page and the officer."""
    lines: list[tuple[str, Any]] = []

    def walk(items: list[EField | EGroup], prefix: str) -> None:
        for item in items:
            if isinstance(item, EGroup):
                walk(item.children, f"{prefix}{item.label} › ")
            elif item.value not in (None, ""):
                value = item.value
                if item.kind == "checkbox":
                    value = _("Yes") if value else _("No")
                elif item.kind == "date":
                    with contextlib.suppress(ValueError):
                        value = date.fromisoformat(str(value)).strftime("%d/%m/%Y")
                lines.append((f"{prefix}{item.label}", value))

    walk(build_fields(schema, data), "")
    return lines
