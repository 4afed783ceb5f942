"""Writes for agencies and officers. Every caller (API, admin, commands) goes through here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from motcua.lib.cache import clear_all
from motcua.lib.errors import InvalidInput
from motcua.lib.hours import parse_windows
from motcua.lib.ids import agency_code_error
from motcua.lib.names import django_name_parts, normalise_full_name
from motcua.organizations.models import Agency, AgencyKind, Level, Membership, Role, UserName
from motcua.organizations.selectors import agency_parent_error

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # AUTH_USER_MODEL is the default auth.User


@transaction.atomic
def agency_create(
    *,
    code: str,
    name: str,
    kind: str,
    level: str,
    parent: Agency | None = None,
    name_en: str = "",
    short_name: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
    working_hours: list[list[str]] | None = None,
    address: str = "",
    phone: str = "",
) -> Agency:
    if error := agency_code_error(code):
        raise InvalidInput(error, code="invalid_agency_code", details={"code": code})
    if kind not in AgencyKind.values:
        raise InvalidInput(f"Unknown agency kind {kind!r}.", code="invalid_agency_kind")
    if level not in Level.values:
        raise InvalidInput(f"Unknown level {level!r}.", code="invalid_level")
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidInput("An agency cannot end before it starts.", code="invalid_validity")
    if Agency.objects.filter(code=code).exists():
        raise InvalidInput(f"Agency code {code} is already used.", code="duplicate_agency_code")
    if working_hours is not None:
        _check_working_hours(working_hours)
    agency = Agency(
        code=code,
        name=name,
        name_en=name_en,
        short_name=short_name,
        kind=kind,
        level=level,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        address=address,
        phone=phone,
        path="",
    )
    if working_hours is not None:
        agency.working_hours = working_hours
    agency.save()
    agency.path = f"{parent.path if parent else '/'}{agency.pk}/"
    Agency.objects.filter(pk=agency.pk).update(path=agency.path)
    return agency


#: What `agency_update` may change (the tree path is not: it follows the parent).
AGENCY_EDITABLE = frozenset(
    {
        "code",
        "name",
        "name_en",
        "short_name",
        "kind",
        "level",
        "parent",
        "valid_from",
        "valid_to",
        "successor",
        "working_hours",
        "address",
        "phone",
        "offers_e_certified_copy",
    }
)


@transaction.atomic
def agency_update(*, agency: Agency, changes: dict[str, Any]) -> Agency:
    """Change an agency's data. A new parent moves the agency with everything below it: the
    stored tree path of the agency and of every descendant is rewritten in the same
    transaction, so visibility (`dossiers_visible_to`) and the indicators' agency rollups
    follow at once. The per-process reference caches are cleared after the commit."""
    unknown = set(changes) - AGENCY_EDITABLE
    if unknown:
        raise InvalidInput(
            f"These agency fields cannot be changed: {', '.join(sorted(unknown))}.", code="invalid_field"
        )
    if "code" in changes:
        if error := agency_code_error(changes["code"]):
            raise InvalidInput(error, code="invalid_agency_code", details={"code": changes["code"]})
        if Agency.objects.filter(code=changes["code"]).exclude(pk=agency.pk).exists():
            raise InvalidInput(f"Agency code {changes['code']} is already used.", code="duplicate_agency_code")
    if "kind" in changes and changes["kind"] not in AgencyKind.values:
        raise InvalidInput(f"Unknown agency kind {changes['kind']!r}.", code="invalid_agency_kind")
    if "level" in changes and changes["level"] not in Level.values:
        raise InvalidInput(f"Unknown level {changes['level']!r}.", code="invalid_level")
    valid_from = changes.get("valid_from", agency.valid_from)
    valid_to = changes.get("valid_to", agency.valid_to)
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidInput("An agency cannot end before it starts.", code="invalid_validity")
    if changes.get("working_hours") is not None:
        _check_working_hours(changes["working_hours"])
    successor = changes.get("successor")
    if successor is not None and successor.pk == agency.pk:
        raise InvalidInput("An agency cannot succeed itself.", code="invalid_successor")
    # The stored row, not the instance: a form may already have set the new parent on it.
    old_path, old_parent_id = Agency.objects.values_list("path", "parent_id").get(pk=agency.pk)
    for name, value in changes.items():
        setattr(agency, name, value)
    agency.path = old_path
    agency.save()
    if "parent" in changes:
        parent: Agency | None = changes["parent"]
        if (parent.pk if parent else None) != old_parent_id:
            _agency_move(agency, parent, old_path)
    transaction.on_commit(_forget_reference_data)
    return agency


def _forget_reference_data() -> None:
    """Clear the per-process caches built from agencies: lookups and calendars (working
    hours, and day swaps inherited along the path, which register with `lib.cache`)."""
    clear_all()


def _agency_move(agency: Agency, parent: Agency | None, old_path: str) -> None:
    """Rewrite the path prefix `old_path` of the agency and its descendants in one UPDATE."""
    if error := agency_parent_error(agency, parent):
        raise InvalidInput(error, code="invalid_parent")
    parent_path = "/" if parent is None else Agency.objects.values_list("path", flat=True).get(pk=parent.pk)
    new_path = f"{parent_path}{agency.pk}/"
    Agency.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=CharField())
    )
    agency.path = new_path


@transaction.atomic
def agency_delete(*, agency: Agency) -> None:
    """Remove an agency that nothing refers to (the database refuses otherwise: every
    reference to an agency protects it)."""
    agency.delete()
    transaction.on_commit(_forget_reference_data)


def _check_working_hours(windows: list[list[str]]) -> None:
    try:
        parse_windows(windows)
    except ValueError as exc:
        raise InvalidInput(str(exc), code="invalid_working_hours") from exc


@transaction.atomic
def agency_set_successor(*, agency: Agency, successor: Agency, valid_to: date) -> Agency:
    """Close `agency` on `valid_to` and name who continues its work (mergers, 2025)."""
    if successor.pk == agency.pk:
        raise InvalidInput("An agency cannot succeed itself.", code="invalid_successor")
    agency.successor = successor
    agency.valid_to = valid_to
    agency.save(update_fields=["successor", "valid_to"])
    return agency


def membership_grant(*, user: User, agency: Agency, role: str, active: bool = True) -> Membership:
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}.", code="invalid_role")
    membership, _ = Membership.objects.update_or_create(
        user=user, agency=agency, role=role, defaults={"active": active}
    )
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, agency: Agency, role: str, active: bool, user: User | None = None
) -> Membership:
    """Change an officer's role, agency or whether the role is active."""
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}.", code="invalid_role")
    if user is not None:
        membership.user = user
    membership.agency = agency
    membership.role = role
    membership.active = active
    membership.save()
    return membership


def membership_delete(*, membership: Membership) -> None:
    membership.delete()


def user_set_full_name(*, user: User, full_name: str) -> UserName:
    """Record a user's full name as written on their identity card (Vietnamese order: family,
    middle, given). Django's first/last name fields are refreshed from it for the admin."""
    name = normalise_full_name(full_name)
    if not name:
        raise InvalidInput("A full name is needed.", code="full_name_required")
    if len(name) > 255:
        raise InvalidInput("A full name has at most 255 characters.", code="full_name_too_long")
    record, _ = UserName.objects.update_or_create(user=user, defaults={"full_name": name})
    user.first_name, user.last_name = django_name_parts(name)
    user.save(update_fields=["first_name", "last_name"])
    return record
