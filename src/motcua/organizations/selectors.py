"""Reads for agencies."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.lib.cache import ttl_cache
from motcua.lib.errors import NotFound
from motcua.lib.names import full_name_from_django
from motcua.organizations.models import Agency, UserName


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


def agency_parent_error(agency: Agency, parent: Agency | None) -> str | None:
    """Why `parent` cannot be the parent of `agency` (itself or a unit below it), or None."""
    if parent is None:
        return None
    paths = dict(Agency.objects.filter(pk__in=[agency.pk, parent.pk]).values_list("pk", "path"))
    if paths[parent.pk].startswith(paths[agency.pk]):
        return "An agency cannot be placed under itself or a unit below it."
    return None


def agency_ancestors(agency: Agency) -> list[Agency]:
    """From the root down to `agency` itself."""
    ids = [int(part) for part in agency.path.strip("/").split("/") if part]
    by_id = Agency.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def agency_commune_of(agency: Agency) -> Agency | None:
    """The commune an agency belongs to (itself, or its nearest commune ancestor)."""
    commune_id = _commune_id_of(agency.pk)
    return None if commune_id is None else Agency.objects.get(pk=commune_id)


@ttl_cache(seconds=60)
def _commune_id_of(agency_id: int) -> int | None:
    from motcua.organizations.models import AgencyKind

    path = Agency.objects.values_list("path", flat=True).get(pk=agency_id)
    ids = [int(part) for part in path.strip("/").split("/") if part]
    communes = set(Agency.objects.filter(pk__in=ids, kind=AgencyKind.COMMUNE).values_list("pk", flat=True))
    return next((i for i in reversed(ids) if i in communes), None)


def one_stop_unit_for(agency: Agency) -> Agency:
    """The one-stop unit that receives dossiers for `agency`: the Service Centre under the
    nearest ancestor (or the agency itself) that has one (Decree 118/2025 Art. 14).
    Read on every online submission, so cached per process (lib.cache)."""
    return _one_stop_unit(agency.pk)


@ttl_cache(seconds=60)
def _one_stop_unit(agency_id: int) -> Agency:
    from motcua.organizations.models import AgencyKind

    agency = Agency.objects.get(pk=agency_id)
    if agency.kind == AgencyKind.SERVICE_CENTRE:
        return agency
    ids = [int(part) for part in agency.path.strip("/").split("/") if part]
    centres: dict[int, Agency] = {}
    for centre in Agency.objects.filter(parent_id__in=ids, kind=AgencyKind.SERVICE_CENTRE).order_by("-pk"):
        centres[centre.parent_id] = centre  # type: ignore[index]  # lowest pk wins per parent
    for ancestor_id in reversed(ids):
        if ancestor_id in centres:
            return centres[ancestor_id]
    return agency


@ttl_cache(seconds=60)
def handover_agency_choices() -> tuple[tuple[str, str], ...]:
    """(id, "code name") of every agency a dossier may be handed to (all but the province
    itself), for the hand-over form shown on each open dossier's page."""
    from motcua.organizations.models import AgencyKind

    agencies = Agency.objects.exclude(kind=AgencyKind.PROVINCE).order_by("code").values_list("pk", "code", "name")
    return tuple((str(pk), f"{code} {name}") for pk, code, name in agencies)


def user_full_name(user: Any) -> str:
    """A user's full name in Vietnamese order, as written on their identity card: the name
    recorded for them (`UserName`), else the citizen's name in the population record, else
    Django's first/last name fields read as given/family names, else the user name."""
    if user is None:
        return ""
    from motcua.people.models import Person

    recorded = UserName.objects.filter(user_id=user.pk).values_list("full_name", flat=True).first()
    if recorded:
        return str(recorded)
    person = Person.objects.filter(user_id=user.pk).values_list("full_name", flat=True).first()
    if person:
        return str(person)
    return full_name_from_django(user.first_name, user.last_name) or str(user.get_username())
