"""The inputs of a procedure version's e-form (JSON Schema), and its filled-in summary.

The schema stays the one rule: `schema.form_errors` decides whether data is valid;
this module only turns schema properties into inputs (string, date, enum, boolean, integer,
nested objects as fieldsets, arrays as repeated rows). `parsing` reads the POSTed strings
back into JSON types and `errors` words each error in the reader's language next to its field.

Arrays (a list of strings, or a repeating group such as the members of a household) are
posted as numbered inputs, ``ef.<array>.<row>`` or ``ef.<array>.<row>.<property>``, plus a
hidden ``efrows.<array>`` with the number of rows shown. They work without JavaScript: the
"add a row" button is a submit button named ``efadd`` whose value is the array, and the page
comes back with one more row. Fully empty rows are dropped when parsing, so clearing a row
removes it. Arrays inside the rows of an array are not entered through this form.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from motcua.eforms.schema import (
    enum_text,
    in_row,
    is_array,
    is_object,
    leaf_kind,
    resolve,
    row_kind,
    row_label,
    same_value,
    value_at,
)

PREFIX = "ef."
ROWS = "efrows."  # hidden input: how many rows of an array the page showed
ADD = "efadd"  # submit button: the array that gets one more row
MAX_ROWS = 100  # rows read from one POST, whatever maxItems says (a bound on the work per request)
#: dd/mm/yyyy (ISO yyyy-mm-dd still accepted, as on the server: `codelists.formats.parse_day`)
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"


@dataclass
class EField:
    """One input of the e-form."""

    name: str  # "nguoi_yeu_cau.ho_ten": the POST key after PREFIX
    path: str  # "nguoi_yeu_cau/ho_ten": the key form_errors uses
    label: str
    kind: str  # text, email, tel, date, select, yesno, checkbox, number, textarea
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
    def input_type(self) -> str:
        """The HTML input type: a date is typed as dd/mm/yyyy in a text input (the browser's
        date picker orders the day and month by the browser's language, not the page's)."""
        return "text" if self.kind == "date" else self.kind

    @property
    def shown_value(self) -> Any:
        """The value as the input shows it: a stored ISO date as dd/mm/yyyy."""
        if self.kind == "date" and isinstance(self.value, str):
            with contextlib.suppress(ValueError):
                return date.fromisoformat(self.value).strftime("%d/%m/%Y")
        return self.value

    @property
    def hint(self) -> str:
        """What the input expects, shown under the label (GOV.UK: a hint, not a placeholder)."""
        if self.kind == "date":
            return _("For example, 27/03/1990 (day/month/year).")
        if self.kind == "tel":
            return _("A mobile number of 10 digits or a landline with its area code, e.g. 0912 345 678.")
        return ""

    @property
    def options(self) -> list[tuple[str, str, bool]]:
        """(posted value, shown text, selected) of a select."""
        if self.kind == "yesno":
            return [("true", _("Yes"), self.value is True), ("false", _("No"), self.value is False)]
        return [(enum_text(c), str(c), self.value is not None and same_value(c, self.value)) for c in self.choices]


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


@dataclass
class _Build:
    root: dict[str, Any]
    data: dict[str, Any]
    errors: dict[str, str]
    rows: Mapping[str, int]
    added: str
    can_add: bool
    exact: bool  # only the rows the data has (summaries), no empty row to fill in
    typed: Mapping[str, str] = field(default_factory=dict)  # path -> text that could not be read


def build_fields(
    schema: dict[str, Any] | None,
    data: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    *,
    rows: Mapping[str, int] | None = None,
    added: str = "",
    can_add: bool = False,
    typed: Mapping[str, str] | None = None,
) -> list[Item]:
    """The inputs of `schema`, filled with `data` and annotated with `errors` (path -> message).

    `rows` asks for at least that many rows of an array (by name), `added` names the array a
    row was just added to (its last row gets the focus), `can_add` offers the "add a row"
    button (only pages whose view handles `efadd` pass it), `typed` is the text of inputs that
    could not be read (`parsing.Problems.typed`), shown again as typed.
    """
    if not schema:
        return []
    build = _Build(schema, data or {}, errors or {}, rows or {}, added, can_add, exact=False, typed=typed or {})
    return _children(build, schema, [], parent_required=True)


def _children(
    build: _Build, schema: dict[str, Any], parts: list[str], parent_required: bool, row: str = ""
) -> list[Item]:
    required = set(schema.get("required", []))
    items: list[Item] = []
    for key, raw_spec in (schema.get("properties") or {}).items():
        spec = resolve(raw_spec, build.root)
        if not spec:
            continue
        here = [*parts, key]
        path = "/".join(here)
        label = str(spec.get("title") or key.replace("_", " ").capitalize())
        is_required = key in required and parent_required
        if is_object(spec):
            items.append(
                EGroup(
                    name=".".join(here),
                    path=path,
                    label=label,
                    required=key in required,
                    children=_children(build, spec, here, is_required, row),
                    error=in_row(row, label, build.errors.get(path, "")),
                )
            )
            continue
        if is_array(spec):
            if not row:  # arrays inside the rows of an array are not entered here
                array = _array(build, spec, here, label, is_required)
                if array is not None:
                    items.append(array)
            continue
        kind = leaf_kind(spec)
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
    if kind == "date":
        attrs |= {"inputmode": "numeric", "pattern": DATE_PATTERN, "maxlength": 10, "autocomplete": "off"}
    elif kind == "tel":
        attrs |= {"inputmode": "tel", "autocomplete": "tel"}
    elif kind == "email":
        attrs |= {"autocomplete": "email", "spellcheck": "false"}
    path = "/".join(here)
    return EField(
        name=".".join(here),
        path=path,
        label=label,
        kind=kind,
        required=required,
        choices=list(spec.get("enum", [])),
        help=str(spec.get("description", "")),
        value=build.typed[path] if path in build.typed else value_at(build.data, here),
        error=in_row(row, label, build.errors.get(path, "")),
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
    item_spec = resolve(spec.get("items"), build.root)
    scalar_kind = None if is_object(item_spec) else row_kind(item_spec)
    if not is_object(item_spec) and scalar_kind is None:
        return None
    name = ".".join(here)
    path = "/".join(here)
    value = value_at(build.data, here)
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
            row_error = in_row(row_text, "", build.errors.get(row_path, ""))
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


def error_links(items: list[Item]) -> list[tuple[str, str]]:
    """(id of the input to go to, message) of every error under `items`, in page order: the
    lines of a page's error summary. A message names its field unless it already does."""
    links: list[tuple[str, str]] = []

    def named(label: str, error: str) -> str:
        return error if not label or error.startswith(label) or label in error.split(":")[0] else f"{label}: {error}"

    def walk(children: list[Item]) -> None:
        for item in children:
            if isinstance(item, EField):
                if item.error:
                    links.append((item.input_id, named(item.label, item.error)))
                continue
            first = _first_field(item.children if isinstance(item, EGroup) else _row_items(item))
            if item.error and first is not None:
                links.append((first.input_id, named(item.label, item.error)))
            if isinstance(item, EGroup):
                walk(item.children)
            else:
                for row in item.rows:
                    if row.error and (row_first := _first_field(row.children)) is not None:
                        links.append((row_first.input_id, f"{item.label}, {row.error}"))
                    walk(row.children)

    walk(items)
    return links


def _row_items(array: EArray) -> list[Item]:
    return [child for row in array.rows for child in row.children]


# ------------------------------------------------------------------ rows asked for


def array_names(schema: dict[str, Any] | None) -> set[str]:
    """Names of the arrays entered through the form ("thanh_vien", "nhom.danh_sach")."""
    names: set[str] = set()

    def walk(spec: dict[str, Any], parts: list[str]) -> None:
        for key, raw_spec in (spec.get("properties") or {}).items():
            child = resolve(raw_spec, schema or {})
            if is_object(child):
                walk(child, [*parts, key])
            elif is_array(child):
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
