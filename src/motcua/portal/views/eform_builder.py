"""The e-form builder of a draft version: rows of fields, sections and repeating groups, a live
preview (the portal's own e-form renderer, re-rendered by HTMX on every change) and the JSON view
for experts. The form is stored through `catalog.services.version_eform_set`, which checks it
with `eforms.schema`; the rows and the schema convert in `eforms.builder`.

Posted rows are ``r-<i>-<part>`` inputs and a ``rows`` count; the ``do`` button adds a row,
moves one (``up:<i>``, ``down:<i>``) or saves. Without JavaScript every button posts the page.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua import eforms
from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.catalog.services import version_eform_set
from motcua.eforms.builder import CONTAINER_KINDS, KINDS, Row, rows_to_schema, schema_to_rows
from motcua.lib.errors import DomainError
from motcua.portal.views.catalogue import _error, _version, catalogue_manager_required
from motcua.portal.views.common import actor_of

MAX_BUILDER_ROWS = 200
PARTS = ("key", "title", "kind", "parent", "help", "options", "when_field", "when_value")


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text.strip() else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def posted_rows(post: Any) -> tuple[str, list[Row], dict[str, Any]]:
    """(title, rows without the removed ones, the root's other keys) from the builder's POST."""
    raw = post.get("rows", "0")
    count = min(int(raw), MAX_BUILDER_ROWS) if raw.isdigit() else 0
    rows = []
    for index in range(count):
        prefix = f"r-{index}-"
        if post.get(prefix + "remove"):
            continue
        values = {part: post.get(prefix + part, "").strip() for part in PARTS}
        values["options"] = post.get(prefix + "options", "")
        rows.append(
            Row(
                **values,
                required=bool(post.get(prefix + "required")),
                extra=_json_object(post.get(prefix + "extra", "")),
            )
        )
    return post.get("title", "").strip(), rows, _json_object(post.get("root_extra", ""))


def _move(rows: list[Row], action: str) -> list[Row]:
    direction, _sep, raw = action.partition(":")
    if not raw.isdigit() or direction not in {"up", "down"}:
        return rows
    index = int(raw)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= index < len(rows) and 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return rows


def _preview(title: str, rows: list[Row], root: dict[str, Any]) -> dict[str, Any]:
    """The schema of the rows and what the portal would render of it, or the problems."""
    schema, row_errors = rows_to_schema(title, rows, root)
    problem = ""
    if schema is not None:
        problem = eforms.schema_error(schema) or ""
    return {
        "schema": schema,
        "row_errors": row_errors,
        "problem": problem,
        "preview_fields": eforms.build_fields(schema, {}, {}) if schema is not None and not problem else [],
        "field_count": len(rows),
    }


def _context(
    version: ProcedureVersion,
    title: str,
    rows: list[Row],
    root: dict[str, Any],
    *,
    exact: bool = True,
    show_errors: bool = False,
) -> dict[str, Any]:
    """The builder page; the problems of each row are shown next to it once a save was tried
    (the live preview lists them all the time)."""
    preview = _preview(title, rows, root)
    shown = preview["row_errors"] if show_errors else {}
    return {
        "version": version,
        "title": title,
        "rows": [(index, row, shown.get(index, "")) for index, row in enumerate(rows)],
        "row_count": len(rows),
        "root_extra": json.dumps(root, ensure_ascii=False) if root else "",
        "kinds": list(KINDS.items()),
        "containers": [row.key for row in rows if row.kind in CONTAINER_KINDS and row.key],
        "exact": exact,
        "editable": version.status == VersionStatus.DRAFT,
        **preview,
    }


@catalogue_manager_required
def builder(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(code, number)
    if request.method != "POST":
        title, rows, root, exact = schema_to_rows(version.e_form_schema)
        return render(request, "portal/catalogue/eform.html", _context(version, title, rows, root, exact=exact))
    title, rows, root = posted_rows(request.POST)
    action = request.POST.get("do", "")
    if action == "add":
        rows.append(Row(kind="text"))
    elif action != "save":
        rows = _move(rows, action)
    else:
        context = _context(version, title, rows, root, show_errors=True)
        if not context["row_errors"] and not context["problem"]:
            try:
                version_eform_set(version=version, schema=context["schema"], by=actor_of(request))
            except DomainError as error:
                messages.error(request, _error(error))
            else:
                messages.success(request, _("The e-form was saved. The change is recorded on the version."))
                return redirect("portal:catalogue-eform", code=code, number=number)
        else:
            messages.error(request, _("The e-form has problems; see the messages next to the fields."))
        return render(request, "portal/catalogue/eform.html", context, status=422)
    context = _context(version, title, rows, root)
    context["focus"] = len(rows) - 1 if action == "add" else None  # the new row's label
    return render(request, "portal/catalogue/eform.html", context)


@require_POST
@catalogue_manager_required
def builder_preview(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The live preview (HTMX): the form as the citizen will fill it, or why it cannot be built."""
    version = _version(code, number)
    title, rows, root = posted_rows(request.POST)
    return render(request, "portal/catalogue/_eform_preview.html", {"version": version, **_preview(title, rows, root)})


@catalogue_manager_required
def builder_json(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The e-form as JSON Schema, for experts; an empty text removes the e-form."""
    version = _version(code, number)
    text = json.dumps(version.e_form_schema, ensure_ascii=False, indent=2) if version.e_form_schema else ""
    error = ""
    if request.method == "POST":
        text = request.POST.get("schema", "")
        try:
            schema = json.loads(text) if text.strip() else None
        except ValueError as exc:
            error = _("This is not JSON: %(problem)s") % {"problem": exc}
        else:
            try:
                version_eform_set(version=version, schema=schema, by=actor_of(request))
            except DomainError as exc:
                error = _error(exc)
            else:
                messages.success(request, _("The e-form was saved. The change is recorded on the version."))
                return redirect("portal:catalogue-eform-json", code=code, number=number)
    context = {"version": version, "text": text, "error": error, "editable": version.status == VersionStatus.DRAFT}
    return render(request, "portal/catalogue/eform_json.html", context, status=422 if error else 200)
