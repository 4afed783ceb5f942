"""Dossiers filed on the national portal, arriving in MotCua as online dossiers that wait for
reception. Everything is checked before anything is stored; a second delivery of the same
portal code returns the dossier of the first one."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from motcua.catalog.selectors import version_in_force
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, OnlineSource, Status
from motcua.integrations.models import InboundDossier
from motcua.integrations.national_portal.conf import CONSUMER
from motcua.lib.errors import InvalidInput, NotFound, PermissionDenied
from motcua.lib.ids import personal_id_error
from motcua.organizations.actors import Actor
from motcua.organizations.selectors import agency_get
from motcua.people.services import person_find_or_create

log = logging.getLogger("motcua.integrations.national_portal")


@dataclass(frozen=True)
class InboundAttachment:
    name: str
    url: str = ""
    component_code: str = ""


@dataclass(frozen=True)
class InboundFiling:
    """A dossier as the portal hands it over, in MotCua's words (mapping: `api.py`)."""

    external_id: str  # the portal's dossier code (MaHoSo)
    procedure_code: str
    agency_code: str  # the receiving agency's electronic code
    applicant_name: str
    applicant_id_number: str
    submitted_at: datetime | None = None
    phone: str = ""
    email: str = ""
    form_data: dict[str, Any] = field(default_factory=dict)
    attachments: list[InboundAttachment] = field(default_factory=list)


def _refuse(filing: InboundFiling, error: InvalidInput) -> InvalidInput:
    log.warning("Inbound dossier %r refused: %s (%s)", filing.external_id, error.message, error.code)
    return error


def inbound_dossier_accept(*, actor: Actor, filing: InboundFiling) -> tuple[Dossier, bool]:
    """Create the online dossier of a portal filing; (dossier, True) the first time, (the same
    dossier, False) on a repeated delivery."""
    if actor.system != CONSUMER:
        raise PermissionDenied("Only the national portal's connector may deliver its dossiers.", code="not_the_portal")
    if known := _known(filing.external_id):
        return known, False
    if not filing.external_id.strip():
        raise _refuse(
            filing, InvalidInput("The portal's dossier code (MaHoSo) is required.", code="external_id_required")
        )
    if not filing.applicant_id_number.strip():
        raise _refuse(filing, InvalidInput("The applicant's ID number is required.", code="applicant_id_required"))
    if id_error := personal_id_error(filing.applicant_id_number):
        raise _refuse(filing, InvalidInput(id_error, code="invalid_applicant_id"))
    try:
        with transaction.atomic():
            version = version_in_force(filing.procedure_code)
            agency = agency_get(code=filing.agency_code)
            applicant = person_find_or_create(
                id_number=filing.applicant_id_number,
                full_name=filing.applicant_name,
                phone=filing.phone,
                email=filing.email,
            )
            dossier = ds.dossier_submit(
                actor=actor,
                version=version,
                applicant=applicant,
                receiving_agency=agency,
                form_data=filing.form_data,
                components=[ds.ComponentIn(name=a.name[:500], digitized=True) for a in filing.attachments],
                source=OnlineSource.NATIONAL_PORTAL,
                external_id=filing.external_id,
                at=filing.submitted_at,
            )
            InboundDossier.objects.create(
                source=CONSUMER,
                external_id=filing.external_id,
                dossier=dossier,
                attachments=[{"name": a.name, "url": a.url, "code": a.component_code} for a in filing.attachments],
            )
    except IntegrityError:
        # The same filing arrived twice at once: the other delivery created it.
        if known := _known(filing.external_id):
            return known, False
        raise
    except NotFound as missing:  # an unknown procedure or agency is bad input here, not a missing page
        raise _refuse(filing, InvalidInput(missing.message, code=missing.code)) from None
    except InvalidInput as invalid:
        raise _refuse(filing, invalid) from None
    return dossier, True


def _known(external_id: str) -> Dossier | None:
    row = InboundDossier.objects.filter(source=CONSUMER, external_id=external_id).select_related("dossier").first()
    return row.dossier if row else None


def _portal_dossier(actor: Actor, external_id: str) -> Dossier:
    if actor.system != CONSUMER:
        raise PermissionDenied("Only the national portal's connector may act on its dossiers.", code="not_the_portal")
    if (dossier := _known(external_id)) is None:
        raise NotFound(f"No dossier was received from the portal as {external_id}.", code="dossier_not_found")
    return Dossier.objects.get(pk=dossier.pk)


def inbound_supplement(
    *, actor: Actor, external_id: str, note: str, attachments: list[InboundAttachment], at: datetime | None = None
) -> Dossier:
    """The applicant completed the dossier on the portal: it goes back where it was."""
    dossier = _portal_dossier(actor, external_id)
    with transaction.atomic():
        ds.dossier_resubmit(
            dossier=dossier,
            actor=actor,
            components=[ds.ComponentIn(name=a.name[:500], digitized=True) for a in attachments] or None,
            note=note,
            at=at,
        )
        row = InboundDossier.objects.select_for_update().get(source=CONSUMER, external_id=external_id)
        row.attachments = [
            *row.attachments,
            *({"name": a.name, "url": a.url, "code": a.component_code} for a in attachments),
        ]
        row.save(update_fields=["attachments"])
    return dossier


def inbound_withdrawal(
    *, actor: Actor, external_id: str, reason: str, at: datetime | None = None
) -> tuple[Dossier, bool]:
    """The applicant withdrew the dossier on the portal; (dossier, False) if it already was."""
    dossier = _portal_dossier(actor, external_id)
    if dossier.status == Status.WITHDRAWN:
        return dossier, False
    ds.dossier_withdraw(dossier=dossier, actor=actor, reason=reason, at=at)
    return dossier, True
