"""Exchange endpoints under /api/v1/exchange: import (administrators) and export (managers).

The same importer and exporter as `manage.py import_dossiers` / `export_dossiers`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Router
from ninja.files import UploadedFile

from motcua.api.auth import REQUIRED, current_actor
from motcua.exchange.export import ExportFilter, dossiers_for, export_lines
from motcua.exchange.importer import import_lines
from motcua.lib.errors import InvalidInput, PermissionDenied
from motcua.organizations.models import Agency, Role
from motcua.organizations.selectors import agency_subtree_ids

router = Router(tags=["exchange"], auth=REQUIRED)

MAX_BODY_LINES_HINT = "Send the file as the request body (application/x-ndjson) or as the form field `file`."


def _require(request: HttpRequest, roles: set[str], what: str) -> None:
    if not current_actor(request).agency_ids(roles):
        raise PermissionDenied(f"Only {what} may use the exchange endpoints.", code="forbidden")


@router.post("/import", summary="Import dossiers from motcua-dossier/1 JSON Lines")
def import_dossiers(request: HttpRequest, file: File[UploadedFile] | None = None) -> dict[str, Any]:
    """Body: the JSON Lines (or a multipart upload `file`). Answer: the report with the line
    number and reason of every failed line and every duplicate."""
    _require(request, {Role.ADMIN}, "administrators")
    if file is not None:
        lines: Any = iter(file)
    else:
        if not request.body.strip():
            raise InvalidInput(f"No dossiers received. {MAX_BODY_LINES_HINT}", code="empty_import")
        lines = request.body.splitlines()
    return import_lines(lines, imported_by=request.user.get_username()).as_dict()


@router.get("/export", summary="Export dossiers as motcua-dossier/1 JSON Lines (streamed)")
def export_dossiers(
    request: HttpRequest, agency: str | None = None, date_from: date | None = None, date_to: date | None = None
) -> StreamingHttpResponse:
    _require(request, {Role.ADMIN, Role.MANAGER}, "administrators and managers")
    actor = current_actor(request)
    if not actor.agency_ids({Role.ADMIN}):
        # A manager exports the agencies they manage, nothing else (the lines carry personal data).
        managed = agency_subtree_ids(actor.agency_ids({Role.MANAGER}))
        target = Agency.objects.filter(code=agency or "").values_list("pk", flat=True).first()
        if target is None or target not in managed:
            raise PermissionDenied("A manager exports only an agency they manage: name it with `agency`.")
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("date_from is after date_to.", code="invalid_period")
    flt = ExportFilter(agency=agency, date_from=date_from, date_to=date_to)
    dossiers_for(flt)  # an unknown agency is a 404 now, not halfway through the stream

    def stream() -> Iterator[bytes]:
        for line in export_lines(flt):
            yield line.encode("utf-8")

    response = StreamingHttpResponse(stream(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dossiers.jsonl"'
    return response
