"""Reads for agencies."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.lib.errors import NotFound
from motcua.organizations.models import Agency


def agency_get(*, code: str) -> Agency:
    try:
        return Agency.objects.get(code=code)
    except Agency.DoesNotExist:
        raise NotFound(f"No agency has the code {code}.", code="agency_not_found") from None


def agency_subtree(agency: Agency) -> QuerySet[Agency]:
    """The agency and every unit below it."""
    return Agency.objects.filter(path__startswith=agency.path)


def agency_subtree_ids(agency_ids: set[int]) -> set[int]:
    paths = list(Agency.objects.filter(pk__in=agency_ids).values_list("path", flat=True))
    if not paths:
        return set()
    from django.db.models import Q

    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return set(Agency.objects.filter(query).values_list("pk", flat=True))


def agency_ancestors(agency: Agency) -> list[Agency]:
    """From the root down to `agency` itself."""
    ids = [int(part) for part in agency.path.strip("/").split("/") if part]
    by_id = Agency.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def agency_commune_of(agency: Agency) -> Agency | None:
    """The commune an agency belongs to (itself, or its nearest commune ancestor)."""
    from motcua.organizations.models import AgencyKind

    for candidate in reversed(agency_ancestors(agency)):
        if candidate.kind == AgencyKind.COMMUNE:
            return candidate
    return None


def one_stop_unit_for(agency: Agency) -> Agency:
    """The one-stop unit that receives dossiers for `agency`: the Service Centre under the
    nearest ancestor (or the agency itself) that has one (Decree 118/2025 Art. 14)."""
    from motcua.organizations.models import AgencyKind

    if agency.kind == AgencyKind.SERVICE_CENTRE:
        return agency
    for candidate in reversed(agency_ancestors(agency)):
        centre = Agency.objects.filter(parent=candidate, kind=AgencyKind.SERVICE_CENTRE).order_by("pk").first()
        if centre is not None:
            return centre
    return agency
