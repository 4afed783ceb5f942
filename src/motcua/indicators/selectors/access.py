"""Who may read which dashboards: the agencies a manager oversees, the province root."""

from __future__ import annotations

from motcua.lib.errors import NotFound, PermissionDenied
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency, Role

OVERSIGHT = {Role.MANAGER, Role.ADMIN}


# ---------------------------------------------------------------- access


def agencies_managed_by(actor: Actor) -> list[Agency]:
    """Agencies whose indicators `actor` may read: where they are manager or administrator
    (each with its subtree)."""
    ids = actor.agency_ids(OVERSIGHT)
    return list(Agency.objects.filter(pk__in=ids).order_by("path"))


def agency_for_manager(actor: Actor, code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(f"No agency has the code {code}.", code="agency_not_found")
    roots = agencies_managed_by(actor)
    if not any(agency.path.startswith(root.path) for root in roots):
        raise PermissionDenied("Only managers and administrators of this agency or above see its indicators.")
    return agency


def province_root() -> Agency:
    root = Agency.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise NotFound("No agency exists yet.", code="agency_not_found")
    return root
