"""Writes for agencies and officers. Every caller (API, admin, commands) goes through here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from motcua.lib.errors import InvalidInput
from motcua.lib.hours import parse_windows
from motcua.lib.ids import agency_code_error
from motcua.lib.names import django_name_parts, normalise_full_name
from motcua.organizations.models import Agency, AgencyKind, Level, Membership, Role, UserName

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


def membership_grant(*, user: User, agency: Agency, role: str) -> Membership:
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}.", code="invalid_role")
    membership, _ = Membership.objects.update_or_create(user=user, agency=agency, role=role, defaults={"active": True})
    return membership


@transaction.atomic
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
