"""Public list of agencies (the organisation tree)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from motcua.organizations.models import Agency
from motcua.organizations.selectors import agency_get

router = Router(tags=["agencies"])


class AgencyOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    level: str
    parent: str | None
    valid_from: date | None
    valid_to: date | None
    successor: str | None
    working_hours: list[list[str]]


def _out(agency: Agency) -> dict[str, object]:
    return {
        "code": agency.code,
        "name": agency.name,
        "name_en": agency.name_en,
        "kind": agency.kind,
        "level": agency.level,
        "parent": agency.parent.code if agency.parent_id else None,  # type: ignore[union-attr]
        "valid_from": agency.valid_from,
        "valid_to": agency.valid_to,
        "successor": agency.successor.code if agency.successor_id else None,  # type: ignore[union-attr]
        "working_hours": agency.working_hours,
    }


@router.get("", response=list[AgencyOut], auth=None, summary="The agency tree, root first")
def agency_list(
    request: HttpRequest,
    kind: str | None = None,
    level: str | None = None,
    parent: str | None = None,
    current: bool = False,
) -> list[dict[str, object]]:
    agencies = Agency.objects.select_related("parent", "successor")
    if kind:
        agencies = agencies.filter(kind=kind)
    if level:
        agencies = agencies.filter(level=level)
    if parent:
        agencies = agencies.filter(parent__code=parent)
    if current:
        agencies = agencies.filter(valid_to__isnull=True)
    return [_out(a) for a in agencies]


@router.get("/{code}", response=AgencyOut, auth=None, summary="One agency")
def agency_detail(request: HttpRequest, code: str) -> dict[str, object]:
    agency = agency_get(code=code)
    return _out(agency)
