"""Read a POSTed e-form back: the strings of the inputs parsed into the JSON types the schema
asks for, the rows of arrays renumbered, and what could not be read worded next to its field."""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from motcua.codelists.formats import parse_day, phone_number
from motcua.eforms.fields import MAX_ROWS, PREFIX
from motcua.eforms.schema import enum_text, is_array, is_object, leaf_kind, resolve, row_kind

# ------------------------------------------------------------------ parsing


class Problems(dict[str, str]):
    """Path -> message of every input that could not be read, and `typed`: path -> the text
    as it was typed, so the page shows it again next to its message instead of an empty box."""

    def __init__(self) -> None:
        super().__init__()
        self.typed: dict[str, str] = {}


def parse(schema: dict[str, Any] | None, post: QueryDict) -> tuple[dict[str, Any], Problems]:
    """The e-form data POSTed, as JSON types, plus errors of shape (not a number, not a date)."""
    problems = Problems()
    if not schema:
        return {}, problems
    data = _parse_object(schema, schema, [], post, problems, in_row=False)
    return data or {}, problems


def _parse_object(
    root: dict[str, Any],
    schema: dict[str, Any],
    parts: list[str],
    post: QueryDict,
    problems: Problems,
    in_row: bool,
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, raw_spec in (schema.get("properties") or {}).items():
        spec = resolve(raw_spec, root)
        if not spec:
            continue
        here = [*parts, key]
        if is_object(spec):
            child = _parse_object(root, spec, here, post, problems, in_row)
            if child:
                result[key] = child
            continue
        if is_array(spec):
            if not in_row:
                rows = _parse_array(root, spec, here, post, problems)
                if rows:
                    result[key] = rows
            continue
        kind = leaf_kind(spec)
        if kind is None:
            continue
        found, value = _parse_leaf(spec, kind, post.get(PREFIX + ".".join(here)), "/".join(here), problems)
        if found:
            result[key] = value
    return result


def _parse_leaf(spec: dict[str, Any], kind: str, raw: str | None, path: str, problems: Problems) -> tuple[bool, Any]:
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
        problems.typed[path] = raw
        return False, None
    if kind == "select":
        for choice in spec.get("enum", []):
            if enum_text(choice) == raw:
                return True, choice
        return True, raw  # not a member: the schema says so in the reader's words
    if kind == "number":
        try:
            return True, int(raw) if spec.get("type") == "integer" else float(raw)
        except ValueError:
            problems[path] = _("Enter a whole number.") if spec.get("type") == "integer" else _("Enter a number.")
            problems.typed[path] = raw
            return False, None
    if kind == "date":
        day = parse_day(raw)
        if day is None:
            problems[path] = date_problem()
            problems.typed[path] = raw
            return False, None
        return True, day.isoformat()
    if kind == "tel":
        return True, phone_number(raw) or raw  # a number that is not one is worded by the schema check
    return True, raw


def date_problem() -> str:
    """The message of a date that is not a real day typed as dd/mm/yyyy."""
    return _("Enter a real date as day/month/year, for example 27/03/1990.")


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
    root: dict[str, Any], spec: dict[str, Any], here: list[str], post: QueryDict, problems: Problems
) -> list[Any]:
    item_spec = resolve(spec.get("items"), root)
    scalar_kind = None if is_object(item_spec) else row_kind(item_spec)
    if not is_object(item_spec) and scalar_kind is None:
        return []
    name = ".".join(here)
    path = "/".join(here)
    rows: list[Any] = []
    for posted in _posted_rows(post, name):
        row_problems = Problems()
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
        for key, text in row_problems.typed.items():
            problems.typed[kept_path + key.removeprefix(posted_path)] = text
        rows.append(value)
    return rows
