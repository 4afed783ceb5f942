"""Reads for the catalogue."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from motcua.catalog.models import ProcedureVersion, ProcessStep, VersionStatus
from motcua.lib.errors import NotFound
from motcua.lib.text import fold


def published_versions() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "procedure", "field", "competent_agency"
    )


def procedure_search(
    *, q: str = "", field: str = "", level: str = "", online_level: str = ""
) -> QuerySet[ProcedureVersion]:
    """Published procedures matching words of `q`, with or without diacritics."""
    versions = published_versions()
    for word in fold(q).split():
        versions = versions.filter(search_text__contains=word)
    if field:
        versions = versions.filter(field__code=field)
    if level:
        versions = (
            versions.filter(levels__contains=level)
            if _json_contains_supported()
            else versions.filter(levels__icontains=f'"{level}"')
        )
    if online_level:
        versions = versions.filter(online_level=online_level)
    return versions.order_by("procedure__code")


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def version_in_force(code: str) -> ProcedureVersion:
    """The published version of procedure `code`: the one new dossiers start with."""
    version = (
        published_versions()
        .prefetch_related(
            "fees", "documents", Prefetch("steps", queryset=ProcessStep.objects.prefetch_related("next_steps"))
        )
        .filter(procedure__code=code)
        .first()
    )
    if version is None:
        raise NotFound(f"Procedure {code} has no version in force.", code="procedure_not_found")
    return version


def version_get(code: str, number: int) -> ProcedureVersion:
    try:
        return ProcedureVersion.objects.select_related("procedure", "field", "competent_agency").get(
            procedure__code=code, number=number
        )
    except ProcedureVersion.DoesNotExist:
        raise NotFound(f"Procedure {code} has no version {number}.", code="version_not_found") from None
