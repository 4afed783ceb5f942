"""The e-form builder's model: a list of rows (fields, sections, repeating groups) to and from
the JSON Schema a version stores.

A row is one property. A section (an object) or a repeating group (an array of objects) holds
the rows whose `parent` names it; containers sit at the top level only. A code-list row is
written as an ``x-codelist`` marker and stored resolved (`codelists.schema.with_codelists`), so
the schema stays plain JSON Schema that the portal renders (`eforms.fields`) and checks
(`eforms.schema`). A condition "required when <field> is <value>" is an ``if``/``then`` entry of
the container's ``allOf``. Everything of a property that the builder does not edit (a pattern,
a length, a minimum, another ``allOf`` entry) travels unchanged in the row's `extra`, so loading
a schema and building it again gives the same schema; `schema_to_rows` says when it would not.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.codelists.schema import CODELISTS, MARKER, with_codelists

LEAF_KINDS: dict[str, Any] = {
    "text": gettext_lazy("Short text"),
    "textarea": gettext_lazy("Long text"),
    "number": gettext_lazy("Number"),
    "integer": gettext_lazy("Whole number"),
    "date": gettext_lazy("Date"),
    "email": gettext_lazy("E-mail"),
    "yesno": gettext_lazy("Yes / no"),
    "choice": gettext_lazy("Choice from a list"),
    "ethnicity": gettext_lazy("Code list: ethnicity (54 groups)"),
    "nationality": gettext_lazy("Code list: nationality"),
    "ethnicity_or_foreigner": gettext_lazy("Code list: ethnicity, or foreigner"),
    "province": gettext_lazy("Code list: province"),
    "address": gettext_lazy("Code list: address (province, commune, details)"),
}
CONTAINER_KINDS: dict[str, Any] = {
    "section": gettext_lazy("Section"),
    "group": gettext_lazy("Repeating group"),
}
KINDS: dict[str, Any] = {**LEAF_KINDS, **CONTAINER_KINDS}
CODELIST_KINDS = set(CODELISTS)
_DEF_TO_LIST = {f"#/$defs/{definition}": name for name, (definition, _b, _n) in CODELISTS.items()}
KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
LONG_TEXT = 2000


@dataclass
class Row:
    key: str = ""
    title: str = ""
    kind: str = "text"
    parent: str = ""
    required: bool = False
    help: str = ""
    options: str = ""  # one choice per line
    when_field: str = ""
    when_value: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_container(self) -> bool:
        return self.kind in CONTAINER_KINDS

    @property
    def extra_json(self) -> str:
        return json.dumps(self.extra, ensure_ascii=False) if self.extra else ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- rows -> schema ------------------------------------------------------------------


_STRING_ONLY = {"format", "minLength", "maxLength", "pattern"}
_NUMBER_ONLY = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
_BUILDER_FORMATS = {"date", "past-date", "email"}


def _kept(row: Row) -> dict[str, Any]:
    """The row's other keys that still fit its type (a type changed in the builder drops the rest)."""
    extra = {k: v for k, v in row.extra.items() if k != "items"}
    if row.kind not in {"text", "textarea", "date", "email"}:
        extra = {k: v for k, v in extra.items() if k not in _STRING_ONLY}
    if row.kind in {"text", "textarea"} and extra.get("format") in _BUILDER_FORMATS:
        extra.pop("format")
    if row.kind == "text" and (extra.get("maxLength") or 0) > 255:
        extra.pop("maxLength")
    if row.kind not in {"number", "integer"}:
        extra = {k: v for k, v in extra.items() if k not in _NUMBER_ONLY}
    if row.kind not in {"choice", "yesno"}:
        extra.pop("const", None)
        extra.pop("type", None)
    if row.kind == "email":
        extra.pop("format", None)
    return extra


def _choices(options: str, kind: Any) -> list[Any]:
    """The choices as the schema's type wants them: numbers for a list of integers (an integer
    type, or no type and only integers), else the texts."""
    texts = [line.strip() for line in options.splitlines() if line.strip()]
    integers = all(re.fullmatch(r"-?(0|[1-9][0-9]*)", text) for text in texts)
    if integers and kind in {"integer", None}:
        return [int(text) for text in texts]
    return texts


def _leaf(row: Row) -> dict[str, Any]:
    spec: dict[str, Any] = _kept(row)
    if row.kind in CODELIST_KINDS:
        spec[MARKER] = row.kind
    elif row.kind == "choice":  # a "type" read from the schema stays in `extra`
        spec["enum"] = _choices(row.options, spec.get("type"))
    elif row.kind == "yesno":
        if "type" not in spec and "const" not in spec:
            spec["type"] = "boolean"
    elif row.kind in {"number", "integer"}:
        spec["type"] = row.kind
    else:
        spec["type"] = "string"
        if row.kind in {"date", "email"}:
            spec["format"] = spec.get("format", "date") if row.kind == "date" else "email"
        if row.kind == "textarea":
            spec["maxLength"] = max(spec.get("maxLength") or LONG_TEXT, 256)
    return spec


def _condition_value(rows: list[Row], row: Row) -> Any:
    target = next((r for r in rows if r.key == row.when_field and r.parent == row.parent), None)
    if target is not None and target.kind == "yesno":
        return row.when_value.strip().lower() in {"true", "yes", "có", "1"}
    if target is not None and target.kind in {"number", "integer"}:
        try:
            return int(row.when_value) if target.kind == "integer" else float(row.when_value)
        except ValueError:
            return row.when_value
    return row.when_value


def _object(rows: list[Row], parent: str, extra: dict[str, Any]) -> dict[str, Any]:
    mine = [row for row in rows if row.parent == parent]
    extra = copy.deepcopy(extra)
    kept_all_of = extra.pop("allOf", [])
    spec: dict[str, Any] = {"type": "object", **extra, "properties": {}}
    for row in mine:
        spec["properties"][row.key] = _property(rows, row)
    required = [row.key for row in mine if row.required]
    if required:
        spec["required"] = required
    conditions = [
        {
            "if": {
                "properties": {row.when_field: {"const": _condition_value(rows, row)}},
                "required": [row.when_field],
            },
            "then": {"required": [row.key]},
        }
        for row in mine
        if row.when_field
    ]
    if kept_all_of or conditions:
        spec["allOf"] = kept_all_of + conditions
    return spec


def _property(rows: list[Row], row: Row) -> dict[str, Any]:
    extra = {k: v for k, v in row.extra.items() if k != "items"}
    if row.kind == "section":
        spec = _object(rows, row.key, extra)
    elif row.kind == "group":
        spec = {"type": "array", **extra, "items": _object(rows, row.key, row.extra.get("items", {}))}
    else:
        spec = _leaf(row)
    if row.title:
        spec["title"] = row.title
    if row.help:
        spec["description"] = row.help
    return spec


def _row_errors(rows: list[Row]) -> dict[int, str]:
    errors: dict[int, str] = {}
    containers = {row.key: row for row in rows if row.is_container}
    seen: set[tuple[str, str]] = set()
    for index, row in enumerate(rows):
        if not KEY.match(row.key):
            errors[index] = _("The key is 1 to 50 lower-case letters, digits or _ and starts with a letter.")
        elif (row.parent, row.key) in seen:
            errors[index] = _("Two fields of the same section have the key %(key)s.") % {"key": row.key}
        elif row.kind not in KINDS:
            errors[index] = _("Choose the type of the field.")
        elif row.parent and row.parent not in containers:
            errors[index] = _("The section or group %(key)s does not exist.") % {"key": row.parent}
        elif row.parent and row.is_container:
            errors[index] = _("Sections and repeating groups sit at the top level of the form.")
        elif row.kind == "choice" and not row.options.strip():
            errors[index] = _("List the choices, one per line.")
        elif row.when_field and row.required:
            errors[index] = _("A field is either always required or required under a condition, not both.")
        elif row.when_field and not any(r.key == row.when_field and r.parent == row.parent for r in rows):
            errors[index] = _("The condition names a field %(key)s that is not in the same section.") % {
                "key": row.when_field
            }
        seen.add((row.parent, row.key))
    return errors


def rows_to_schema(
    title: str, rows: list[Row], root_extra: dict[str, Any] | None = None
) -> tuple[dict[str, Any] | None, dict[int, str]]:
    """The stored schema of the rows, or None and the problems of each row (by index)."""
    errors = _row_errors(rows)
    if errors:
        return None, errors
    schema = _object(rows, "", root_extra or {})
    schema = {"type": "object", "title": title, **{k: v for k, v in schema.items() if k != "type"}}
    if not title:
        schema.pop("title")
    schema = with_codelists(schema)
    if not schema["$defs"]:
        schema.pop("$defs")
    return schema, {}


# ---- schema -> rows ------------------------------------------------------------------

_MANAGED_LEAF = {"type", "title", "description", "enum", "$ref"}
_MANAGED_OBJECT = frozenset({"type", "title", "description", "properties", "required"})
_MANAGED_ITEMS = frozenset({"type", "properties", "required"})


def _kind(spec: dict[str, Any]) -> str:
    ref = spec.get("$ref")
    if isinstance(ref, str) and ref in _DEF_TO_LIST and _DEF_TO_LIST[ref] in CODELIST_KINDS:
        return _DEF_TO_LIST[ref]
    if spec.get("type") == "object" and isinstance(spec.get("properties"), dict):
        return "section"
    if spec.get("type") == "array" and isinstance(spec.get("items"), dict) and "properties" in spec["items"]:
        return "group"
    if "enum" in spec:
        return "choice"
    kind = spec.get("type")
    if kind == "boolean" or spec.get("const") is True:
        return "yesno"
    if kind in {"number", "integer"}:
        return str(kind)
    if spec.get("format") in {"date", "past-date"}:
        return "date"
    if spec.get("format") == "email":
        return "email"
    return "textarea" if (spec.get("maxLength") or 0) > 255 else "text"


def _conditions(spec: dict[str, Any]) -> tuple[dict[str, tuple[str, Any]], list[Any]]:
    """key -> (field, value) of the builder's conditions; the other allOf entries as they are."""
    found: dict[str, tuple[str, Any]] = {}
    others: list[Any] = []
    for entry in spec.get("allOf", []):
        try:
            (when, value_spec), *more = entry["if"]["properties"].items()
            (target,) = entry["then"]["required"]
            plain = not more and set(entry) == {"if", "then"} and set(entry["then"]) == {"required"}
            plain = plain and set(value_spec) == {"const"} and entry["if"]["required"] == [when]
        except (KeyError, TypeError, ValueError, AttributeError):
            plain = False
        if plain and target not in found:
            found[target] = (when, value_spec["const"])
        else:
            others.append(entry)
    return found, others


def _rows_of(
    spec: dict[str, Any], parent: str, rows: list[Row], managed: frozenset[str] = _MANAGED_OBJECT
) -> dict[str, Any]:
    """Append the rows of object `spec`; return its keys the builder does not edit."""
    required = set(spec.get("required", []))
    conditions, other_conditions = _conditions(spec)
    for key, child in spec.get("properties", {}).items():
        if not isinstance(child, dict):
            continue
        kind = _kind(child)
        when = conditions.get(key)
        row = Row(
            key=key,
            title=str(child.get("title", "")),
            kind=kind,
            parent=parent,
            required=key in required,
            help=str(child.get("description", "")),
            when_field=when[0] if when else "",
            when_value=json.dumps(when[1]) if when and not isinstance(when[1], str) else (when[1] if when else ""),
        )
        rows.append(row)
        if kind == "section":
            row.extra = _rows_of(child, key, rows)
        elif kind == "group":
            row.extra = {k: v for k, v in child.items() if k not in _MANAGED_OBJECT | {"items"}}
            row.extra["items"] = _rows_of(child["items"], key, rows, _MANAGED_ITEMS)
        else:
            if kind == "choice":
                row.options = "\n".join(str(choice) for choice in child.get("enum", []))
            leaf_managed = _MANAGED_LEAF - ({"type"} if kind in {"choice", "yesno"} else set())
            row.extra = {k: v for k, v in child.items() if k not in leaf_managed}
            if kind in CODELIST_KINDS:
                row.extra.pop("type", None)
    extra = {k: v for k, v in spec.items() if k not in managed | {"allOf"}}
    if other_conditions:
        extra["allOf"] = other_conditions
    return extra


def schema_to_rows(schema: dict[str, Any] | None) -> tuple[str, list[Row], dict[str, Any], bool]:
    """(title, rows, the root's other keys, whether building the rows gives `schema` back)."""
    if not schema:
        return "", [], {}, True
    rows: list[Row] = []
    root = _rows_of(schema, "", rows)
    title = str(schema.get("title", ""))
    lists = {definition for definition, _build, _needs in CODELISTS.values()}
    defs = {k: v for k, v in (root.pop("$defs", None) or {}).items() if k not in lists}
    if defs:
        root["$defs"] = defs
    rebuilt, errors = rows_to_schema(title, rows, root)
    return title, rows, root, not errors and rebuilt == schema
