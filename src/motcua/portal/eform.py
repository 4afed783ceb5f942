"""Render a procedure version's e-form (JSON Schema) as HTML inputs and read it back.

The schema stays the one rule: `catalog.eforms.form_errors` decides whether data is valid;
this module only turns schema properties into inputs (string, date, enum, boolean, integer,
nested objects as fieldsets, arrays as repeated rows), parses the POSTed strings into JSON
types, and words each error in the reader's language next to its field.

Arrays (a list of strings, or a repeating group such as the members of a household) are
posted as numbered inputs, ``ef.<array>.<row>`` or ``ef.<array>.<row>.<property>``, plus a
hidden ``efrows.<array>`` with the number of rows shown. They work without JavaScript: the
"add a row" button is a submit button named ``efadd`` whose value is the array, and the page
comes back with one more row. Fully empty rows are dropped when parsing, so clearing a row
removes it. Arrays inside the rows of an array are not entered through this form.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.eforms import form_errors

PREFIX = "ef."
ROWS = "efrows."  # hidden input: how many rows of an array the page showed
ADD = "efadd"  # submit button: the array that gets one more row
MAX_ROWS = 100  # rows read from one POST, whatever maxItems says (a bound on the work per request)


@dataclass
class EField:
    """One input of the e-form."""

    name: str  # "nguoi_yeu_cau.ho_ten": the POST key after PREFIX
    path: str  # "nguoi_yeu_cau/ho_ten": the key form_errors uses
    label: str
    kind: str  # text, email, date, select, yesno, checkbox, number, textarea
    required: bool = False
    choices: list[Any] = field(default_factory=list)
    help: str = ""
    value: Any = None
    error: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    is_group: bool = False
    is_array: bool = False
    context: str = ""  # read before the label by screen readers only ("Members, row 2")
    autofocus: bool = False

    @property
    def input_name(self) -> str:
        return PREFIX + self.name

    @property
    def input_id(self) -> str:
        return "ef-" + self.name.replace(".", "-")

    @property
    def options(self) -> list[tuple[str, str, bool]]:
        """(posted value, shown text, selected) of a select."""
        if self.kind == "yesno":
            return [("true", _("Yes"), self.value is True), ("false", _("No"), self.value is False)]
        return [(_enum_text(c), str(c), self.value is not None and _same(c, self.value)) for c in self.choices]


@dataclass
class EGroup:
    name: str
    path: str
    label: str
    required: bool
    children: list[EField | EGroup | EArray]
    error: str = ""
    is_group: bool = True
    is_array: bool = False


@dataclass
class ERow:
    """One row of an array: one input (array of scalars) or a fieldset of inputs (of objects)."""

    array_name: str
    index: int  # 0-based
    label: str  # "Dòng 2"
    children: list[EField | EGroup | EArray]
    error: str = ""

    @property
    def dom_id(self) -> str:
        return f"ef-{self.array_name.replace('.', '-')}-{self.index}-row"


@dataclass
class EArray:
    name: str
    path: str
    label: str
    required: bool
    scalar: bool  # rows are single inputs, not groups
    rows: list[ERow]
    min_items: int = 0
    max_items: int | None = None
    help: str = ""
    error: str = ""
    can_add: bool = False  # the page offers the "add a row" button
    is_group: bool = False
    is_array: bool = True

    @property
    def input_id(self) -> str:
        return "ef-" + self.name.replace(".", "-")

    @property
    def rows_name(self) -> str:
        return ROWS + self.name

    @property
    def full(self) -> bool:
        return self.max_items is not None and len(self.rows) >= self.max_items


Item = EField | EGroup | EArray


def _enum_text(value: Any) -> str:
    """How an enum member travels in a form: JSON spelling for booleans, str() otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _resolve(spec: Any, root: dict[str, Any]) -> dict[str, Any]:
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
    return {**_resolve(target, root), **{k: v for k, v in spec.items() if k != "$ref"}}


def _is_object(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "object" and "properties" in spec


def _is_array(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "array"


def _leaf_kind(spec: dict[str, Any]) -> str | None:
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
        if (spec.get("maxLength") or 0) > 255:
            return "textarea"
        return "text"
    return None  # other shapes are not entered through this form


def _row_kind(spec: dict[str, Any]) -> str | None:
    """The input of one row of an array of scalars: a yes/no choice stands for a boolean row."""
    kind = _leaf_kind(spec)
    return "yesno" if kind == "checkbox" else kind


def _get(data: Any, parts: list[str]) -> Any:
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


def _in_row(row: str, label: str, message: str) -> str:
    """An error inside a row names the row and the field: "Dòng 2, Ngày sinh: …"."""
    if not message or not row:
        return message
    if not label:
        return _("%(row)s: %(message)s") % {"row": row, "message": message}
    return _("%(row)s, %(field)s: %(message)s") % {"row": row, "field": label, "message": message}


@dataclass
class _Build:
    root: dict[str, Any]
    data: dict[str, Any]
    errors: dict[str, str]
    rows: Mapping[str, int]
    added: str
    can_add: bool
    exact: bool  # only the rows the data has (summaries), no empty row to fill in


def build_fields(
    schema: dict[str, Any] | None,
    data: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    *,
    rows: Mapping[str, int] | None = None,
    added: str = "",
    can_add: bool = False,
) -> list[Item]:
    """The inputs of `schema`, filled with `data` and annotated with `errors` (path -> message).

    `rows` asks for at least that many rows of an array (by name), `added` names the array a
    row was just added to (its last row gets the focus), `can_add` offers the "add a row"
    button (only pages whose view handles `efadd` pass it).
    """
    if not schema:
        return []
    build = _Build(schema, data or {}, errors or {}, rows or {}, added, can_add, exact=False)
    return _children(build, schema, [], parent_required=True)


def _children(
    build: _Build, schema: dict[str, Any], parts: list[str], parent_required: bool, row: str = ""
) -> list[Item]:
    required = set(schema.get("required", []))
    items: list[Item] = []
    for key, raw_spec in (schema.get("properties") or {}).items():
        spec = _resolve(raw_spec, build.root)
        if not spec:
            continue
        here = [*parts, key]
        path = "/".join(here)
        label = str(spec.get("title") or key.replace("_", " ").capitalize())
        is_required = key in required and parent_required
        if _is_object(spec):
            items.append(
                EGroup(
                    name=".".join(here),
                    path=path,
                    label=label,
                    required=key in required,
                    children=_children(build, spec, here, is_required, row),
                    error=_in_row(row, label, build.errors.get(path, "")),
                )
            )
            continue
        if _is_array(spec):
            if not row:  # arrays inside the rows of an array are not entered here
                array = _array(build, spec, here, label, is_required)
                if array is not None:
                    items.append(array)
            continue
        kind = _leaf_kind(spec)
        if kind is None:
            continue
        items.append(_leaf(build, spec, kind, here, label, is_required, row))
    return items


def _leaf(
    build: _Build, spec: dict[str, Any], kind: str, here: list[str], label: str, required: bool, row: str
) -> EField:
    attrs: dict[str, Any] = {}
    for source, target in (("minimum", "min"), ("maximum", "max"), ("maxLength", "maxlength")):
        if source in spec:
            attrs[target] = spec[source]
    if spec.get("type") == "number":
        attrs["step"] = "any"  # a decimal (an area in m²), not only whole numbers
    path = "/".join(here)
    return EField(
        name=".".join(here),
        path=path,
        label=label,
        kind=kind,
        required=required,
        choices=list(spec.get("enum", [])),
        help=str(spec.get("description", "")),
        value=_get(build.data, here),
        error=_in_row(row, label, build.errors.get(path, "")),
        attrs=attrs,
    )


def _row_count(spec: dict[str, Any], present: int, requested: int, exact: bool) -> int:
    """Rows to show: those filled in plus an empty one, at least minItems, at most maxItems."""
    if exact:
        return present
    wanted = max(present + 1, int(spec.get("minItems") or 0), requested)
    max_items = spec.get("maxItems")
    if isinstance(max_items, int):
        wanted = min(wanted, max(max_items, present))
    return min(wanted, max(MAX_ROWS, present))


def _array(build: _Build, spec: dict[str, Any], here: list[str], label: str, required: bool) -> EArray | None:
    item_spec = _resolve(spec.get("items"), build.root)
    scalar_kind = None if _is_object(item_spec) else _row_kind(item_spec)
    if not _is_object(item_spec) and scalar_kind is None:
        return None
    name = ".".join(here)
    path = "/".join(here)
    value = _get(build.data, here)
    present = len(value) if isinstance(value, list) else 0
    count = _row_count(spec, present, build.rows.get(name, 0), build.exact)
    rows: list[ERow] = []
    for index in range(count):
        row_parts = [*here, str(index)]
        row_path = "/".join(row_parts)
        row_text = row_label(index)
        children: list[Item]
        row_error = ""
        if scalar_kind is not None:
            child = _leaf(build, item_spec, scalar_kind, row_parts, "", required=False, row=row_text)
            child.label = row_text
            child.context = label
            children = [child]
        else:
            children = _children(build, item_spec, row_parts, parent_required=True, row=row_text)
            row_error = _in_row(row_text, "", build.errors.get(row_path, ""))
        rows.append(ERow(array_name=name, index=index, label=row_text, children=children, error=row_error))
    if build.added == name and rows:
        first = _first_field(rows[-1].children)
        if first is not None:
            first.autofocus = True
    max_items = spec.get("maxItems")
    return EArray(
        name=name,
        path=path,
        label=label,
        required=required,
        scalar=scalar_kind is not None,
        rows=rows,
        min_items=int(spec.get("minItems") or 0),
        max_items=max_items if isinstance(max_items, int) else None,
        help=str(spec.get("description", "")),
        error=build.errors.get(path, ""),
        can_add=build.can_add,
    )


def _first_field(items: list[Item]) -> EField | None:
    for item in items:
        if isinstance(item, EField):
            return item
        if isinstance(item, EGroup) and (found := _first_field(item.children)):
            return found
    return None


# ------------------------------------------------------------------ rows asked for


def array_names(schema: dict[str, Any] | None) -> set[str]:
    """Names of the arrays entered through the form ("thanh_vien", "nhom.danh_sach")."""
    names: set[str] = set()

    def walk(spec: dict[str, Any], parts: list[str]) -> None:
        for key, raw_spec in (spec.get("properties") or {}).items():
            child = _resolve(raw_spec, schema or {})
            if _is_object(child):
                walk(child, [*parts, key])
            elif _is_array(child):
                names.add(".".join([*parts, key]))

    if schema:
        walk(schema, [])
    return names


def rows_requested(schema: dict[str, Any] | None, post: QueryDict) -> tuple[dict[str, int], str]:
    """Rows each array showed (`efrows.*`), one more for the array whose "add a row" was pressed.

    Returns (array name -> rows to show, the array a row was added to or ""); names that are
    not arrays of `schema` are ignored.
    """
    known = array_names(schema)
    rows: dict[str, int] = {}
    for key in post:
        name = key.removeprefix(ROWS)
        if key.startswith(ROWS) and name in known:
            raw = post.get(key, "")
            if raw.isdigit():
                rows[name] = min(int(raw), MAX_ROWS)
    added = post.get(ADD, "")
    if added not in known:
        return rows, ""
    rows[added] = min(rows.get(added, 0) + 1, MAX_ROWS)
    return rows, added


def add_row_query(rows: Mapping[str, int], added: str) -> str:
    """The query string a page redirects to after "add a row", read back by `rows_from_query`."""
    query = QueryDict(mutable=True)
    if added and added in rows:
        query["add"] = added
        query["rows"] = str(rows[added])
    return query.urlencode()


def rows_from_query(schema: dict[str, Any] | None, query: QueryDict) -> tuple[dict[str, int], str]:
    added = query.get("add", "")
    raw = query.get("rows", "")
    if added not in array_names(schema) or not raw.isdigit():
        return {}, ""
    return {added: min(int(raw), MAX_ROWS)}, added


# ------------------------------------------------------------------ parsing


def parse(schema: dict[str, Any] | None, post: QueryDict) -> tuple[dict[str, Any], dict[str, str]]:
    """The e-form data POSTed, as JSON types, plus errors of shape (not a number, not a date)."""
    if not schema:
        return {}, {}
    problems: dict[str, str] = {}
    data = _parse_object(schema, schema, [], post, problems, in_row=False)
    return data or {}, problems


def _parse_object(
    root: dict[str, Any],
    schema: dict[str, Any],
    parts: list[str],
    post: QueryDict,
    problems: dict[str, str],
    in_row: bool,
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, raw_spec in (schema.get("properties") or {}).items():
        spec = _resolve(raw_spec, root)
        if not spec:
            continue
        here = [*parts, key]
        if _is_object(spec):
            child = _parse_object(root, spec, here, post, problems, in_row)
            if child:
                result[key] = child
            continue
        if _is_array(spec):
            if not in_row:
                rows = _parse_array(root, spec, here, post, problems)
                if rows:
                    result[key] = rows
            continue
        kind = _leaf_kind(spec)
        if kind is None:
            continue
        found, value = _parse_leaf(spec, kind, post.get(PREFIX + ".".join(here)), "/".join(here), problems)
        if found:
            result[key] = value
    return result


def _parse_leaf(
    spec: dict[str, Any], kind: str, raw: str | None, path: str, problems: dict[str, str]
) -> tuple[bool, Any]:
    """(whether a value was given, the value as its JSON type); a shape problem goes to `problems`."""
    if kind == "checkbox":
        if raw is None:
            return False, None
        checked = raw in {"on", "true", "1"}
        if spec.get("const") is True and not checked:
            return False, None  # an unticked "I declare" is missing, not false
        return True, checked
    raw = (raw or "").strip()
    if not raw:
        return False, None
    if kind == "yesno":
        if raw in {"true", "false"}:
            return True, raw == "true"
        problems[path] = _("Choose one of the options.")
        return False, None
    if kind == "select":
        for choice in spec.get("enum", []):
            if _enum_text(choice) == raw:
                return True, choice
        return True, raw  # not a member: the schema says so in the reader's words
    if kind == "number":
        try:
            return True, int(raw) if spec.get("type") == "integer" else float(raw)
        except ValueError:
            problems[path] = _("Enter a whole number.") if spec.get("type") == "integer" else _("Enter a number.")
            return False, None
    if kind == "date":
        try:
            date.fromisoformat(raw)
        except ValueError:
            problems[path] = _("Enter a valid date.")
            return False, None
    return True, raw


def _posted_rows(post: QueryDict, name: str) -> list[int]:
    """Row numbers posted for the array `name`, in order, at most MAX_ROWS of them."""
    pattern = re.compile(re.escape(PREFIX + name + ".") + r"(\d{1,4})(?:\.|$)")
    found = {int(m[1]) for key in post if (m := pattern.match(key))}
    return sorted(found)[:MAX_ROWS]


def _blank(value: Any) -> bool:
    """Nothing typed: a row holding only unticked boxes and empty inputs."""
    if value is None or value is False or value == "":
        return True
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return False


def _parse_array(
    root: dict[str, Any], spec: dict[str, Any], here: list[str], post: QueryDict, problems: dict[str, str]
) -> list[Any]:
    item_spec = _resolve(spec.get("items"), root)
    scalar_kind = None if _is_object(item_spec) else _row_kind(item_spec)
    if not _is_object(item_spec) and scalar_kind is None:
        return []
    name = ".".join(here)
    path = "/".join(here)
    rows: list[Any] = []
    for posted in _posted_rows(post, name):
        row_problems: dict[str, str] = {}
        posted_path = f"{path}/{posted}"
        value: Any
        if scalar_kind is not None:
            found, value = _parse_leaf(
                item_spec, scalar_kind, post.get(f"{PREFIX}{name}.{posted}"), posted_path, row_problems
            )
            keep = found or bool(row_problems)
        else:
            value = _parse_object(root, item_spec, [*here, str(posted)], post, row_problems, in_row=True)
            keep = not _blank(value) or bool(row_problems)
        if not keep:
            continue  # a fully empty row is no row
        # Rows are renumbered once empty ones are dropped; their problems follow them.
        kept_path = f"{path}/{len(rows)}"
        for key, message in row_problems.items():
            problems[kept_path + key.removeprefix(posted_path)] = message
        rows.append(value)
    return rows


# ------------------------------------------------------------------ errors

_REQUIRED = re.compile(r'^"(?P<name>[^"]+)" is a required property')
_FEWER = re.compile(r"has less than (?P<n>\d+) items?$")
_MORE = re.compile(r"has more than (?P<n>\d+) items?$")


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
    if schema:
        _blank_required(schema, schema, [], data, errors, present=True)
    return errors


def _blank_required(
    root: dict[str, Any], schema: dict[str, Any], parts: list[str], data: Any, errors: dict[str, str], present: bool
) -> None:
    required = set(schema.get("required", []))
    for key, raw_spec in (schema.get("properties") or {}).items():
        spec = _resolve(raw_spec, root)
        if not spec:
            continue
        here = [*parts, key]
        value = data.get(key) if isinstance(data, dict) else None
        if _is_object(spec):
            _blank_required(root, spec, here, value, errors, present=present and key in required)
        elif _is_array(spec):
            if present and key in required and not value:
                errors.setdefault("/".join(here), _("This field is required."))
            item_spec = _resolve(spec.get("items"), root)
            if isinstance(value, list) and _is_object(item_spec):
                for index, row in enumerate(value):
                    _blank_required(root, item_spec, [*here, str(index)], row, errors, present=True)
        elif present and key in required and value in (None, "") and _leaf_kind(spec):
            errors.setdefault("/".join(here), _("This field is required."))


def _message(message: str) -> str:
    """Word a JSON Schema message; the kinds below are those e-forms use."""
    if match := _FEWER.search(message):
        n = int(match["n"])
        return ngettext("Enter at least %(n)d row.", "Enter at least %(n)d rows.", n) % {"n": n}
    if match := _MORE.search(message):
        n = int(match["n"])
        return ngettext("Enter at most %(n)d row.", "Enter at most %(n)d rows.", n) % {"n": n}
    if "has non-unique elements" in message:
        return _("Two rows are the same; remove the repeated one.")
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
    if 'is not a "past-date"' in message:
        return _("The date cannot be later than today.")
    if "is not of type" in message or "is not a" in message:
        return _("The value is not valid.")
    if "Additional properties" in message:
        return _("The form has fields it does not expect.")
    return _("The value is not valid.") + f" ({message})"


# ------------------------------------------------------------------ summary


def _shown(item: EField) -> str:
    value = item.value
    if item.kind in {"checkbox", "yesno"}:
        return _("Yes") if value else _("No")
    if item.kind == "date":
        with contextlib.suppress(ValueError):
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    return str(value)


def _filled(items: list[Item], prefix: str) -> list[tuple[str, str]]:
    """(label, shown value) of every filled-in input under `items`, groups joined with ›."""
    lines: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, EGroup):
            lines.extend(_filled(item.children, f"{prefix}{item.label} › "))
        elif isinstance(item, EField) and item.value not in (None, ""):
            lines.append((f"{prefix}{item.label}", _shown(item)))
    return lines


def summary(schema: dict[str, Any] | None, data: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) lines of the filled-in form for the review page and the officer.

    A list of scalars is one line ("a, b, c"); each row of a repeating group is one line,
    labelled with the row number, its fields joined ("Họ tên: …; Ngày sinh: …").
    """
    lines: list[tuple[str, Any]] = []
    if not schema:
        return lines

    def walk(items: list[Item], prefix: str) -> None:
        for item in items:
            if isinstance(item, EGroup):
                walk(item.children, f"{prefix}{item.label} › ")
            elif isinstance(item, EArray):
                if item.scalar:
                    shown = [_shown(f) for row in item.rows for f in row.children if isinstance(f, EField)]
                    if shown:
                        lines.append((f"{prefix}{item.label}", ", ".join(shown)))
                    continue
                for row in item.rows:
                    parts = [f"{label}: {value}" for label, value in _filled(row.children, "")]
                    if parts:
                        lines.append((f"{prefix}{item.label} › {row.label}", "; ".join(parts)))
            elif item.value not in (None, ""):
                lines.append((f"{prefix}{item.label}", _shown(item)))

    build = _Build(schema, data, {}, {}, "", can_add=False, exact=True)
    walk(_children(build, schema, [], parent_required=True), "")
    return lines
