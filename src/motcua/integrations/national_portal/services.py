"""The national portal connector's writes: dossiers received from the portal (a first delivery
creates the online dossier and its inbound record; a repeated one finds it), supplements and
withdrawals made there, and the send record of the monthly reports.

Everything is checked before anything is stored. The attachments' bytes arrive already fetched
(`inbound.py` downloads them before calling here) and go through the same byte checks and private
storage as every upload (`dossiers.services`, `lib/uploads.py`, `lib/files.py`)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.selectors import version_in_force
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, OnlineSource, Status
from motcua.integrations.models import InboundDossier, PeriodicReport
from motcua.integrations.national_portal.conf import CONSUMER
from motcua.integrations.national_portal.filings import InboundAttachment, InboundFiling
from motcua.lib.errors import InvalidInput, NotFound, PermissionDenied
from motcua.lib.ids import personal_id_error
from motcua.organizations.actors import Actor
from motcua.organizations.selectors import agency_get
from motcua.people.services import person_find_or_create

log = logging.getLogger("motcua.integrations.national_portal")


def refused(external_id: str, error: InvalidInput) -> InvalidInput:
    """Log a refusal of outside input (with its code) and hand it back to raise."""
    log.warning("Inbound dossier %r refused: %s (%s)", external_id, error.message, error.code)
    return error


def check_portal(actor: Actor) -> None:
    if actor.system != CONSUMER:
        raise PermissionDenied("Only the national portal's connector may deliver its dossiers.", code="not_the_portal")


def received_dossier(external_id: str) -> Dossier | None:
    """The dossier already received from the portal as `external_id`, if any."""
    row = InboundDossier.objects.filter(source=CONSUMER, external_id=external_id).select_related("dossier").first()
    return row.dossier if row else None


def _components(attachments: list[InboundAttachment], files: list[File[Any] | None]) -> list[ds.ComponentIn]:
    return [
        ds.ComponentIn(name=a.name[:500], digitized=True, file=f, file_name=a.name[:255] if f else "")
        for a, f in zip(attachments, files, strict=True)
    ]


def _listed(attachments: list[InboundAttachment]) -> list[dict[str, str]]:
    return [{"name": a.name, "url": a.url, "code": a.component_code} for a in attachments]


def check_filing(filing: InboundFiling) -> None:
    """What can be refused before anything is fetched or stored."""
    if not filing.external_id.strip():
        raise refused(
            filing.external_id,
            InvalidInput("The portal's dossier code (MaHoSo) is required.", code="external_id_required"),
        )
    if not filing.applicant_id_number.strip():
        raise refused(
            filing.external_id, InvalidInput("The applicant's ID number is required.", code="applicant_id_required")
        )
    if id_error := personal_id_error(filing.applicant_id_number):
        raise refused(filing.external_id, InvalidInput(id_error, code="invalid_applicant_id"))
    try:
        version_in_force(filing.procedure_code)
        agency_get(code=filing.agency_code)
    except NotFound as missing:  # an unknown procedure or agency is bad input here, not a missing page
        raise refused(filing.external_id, InvalidInput(missing.message, code=missing.code)) from None


def inbound_dossier_accept(
    *, actor: Actor, filing: InboundFiling, files: list[File[Any] | None] | None = None
) -> tuple[Dossier, bool]:
    """Create the online dossier of a portal filing; (dossier, True) the first time, (the same
    dossier, False) on a repeated delivery. `files[i]` is the fetched bytes of attachment i."""
    check_portal(actor)
    if known := received_dossier(filing.external_id):
        return known, False
    check_filing(filing)
    files = files if files is not None else [None] * len(filing.attachments)
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
                components=_components(filing.attachments, files),
                source=OnlineSource.NATIONAL_PORTAL,
                external_id=filing.external_id,
                at=filing.submitted_at,
            )
            InboundDossier.objects.create(
                source=CONSUMER,
                external_id=filing.external_id,
                dossier=dossier,
                attachments=_listed(filing.attachments),
            )
    except IntegrityError:
        # The same filing arrived twice at once: the other delivery created it.
        if known := received_dossier(filing.external_id):
            return known, False
        raise
    except NotFound as missing:  # an unknown procedure or agency is bad input here, not a missing page
        raise refused(filing.external_id, InvalidInput(missing.message, code=missing.code)) from None
    except InvalidInput as invalid:
        raise refused(filing.external_id, invalid) from None
    return dossier, True


def portal_dossier(actor: Actor, external_id: str) -> Dossier:
    """The dossier received from the portal as `external_id`, for an action the portal reports."""
    check_portal(actor)
    if (dossier := received_dossier(external_id)) is None:
        raise NotFound(f"No dossier was received from the portal as {external_id}.", code="dossier_not_found")
    return Dossier.objects.get(pk=dossier.pk)


def inbound_supplement(
    *,
    actor: Actor,
    external_id: str,
    note: str,
    attachments: list[InboundAttachment],
    files: list[File[Any] | None] | None = None,
    at: Any = None,
) -> Dossier:
    """The applicant completed the dossier on the portal: it goes back where it was."""
    dossier = portal_dossier(actor, external_id)
    files = files if files is not None else [None] * len(attachments)
    with transaction.atomic():
        ds.dossier_resubmit(
            dossier=dossier, actor=actor, components=_components(attachments, files) or None, note=note, at=at
        )
        row = InboundDossier.objects.select_for_update().get(source=CONSUMER, external_id=external_id)
        row.attachments = [*row.attachments, *_listed(attachments)]
        row.save(update_fields=["attachments"])
    return dossier


def inbound_withdrawal(*, actor: Actor, external_id: str, reason: str, at: Any = None) -> tuple[Dossier, bool]:
    """The applicant withdrew the dossier on the portal; (dossier, False) if it already was."""
    dossier = portal_dossier(actor, external_id)
    if dossier.status == Status.WITHDRAWN:
        return dossier, False
    ds.dossier_withdraw(dossier=dossier, actor=actor, reason=reason, at=at)
    return dossier, True


def periodic_report_due(*, kind: str, period: date) -> PeriodicReport | None:
    """The send record of the report of `period`, unless it has gone already."""
    with transaction.atomic():
        report, _ = PeriodicReport.objects.get_or_create(consumer=CONSUMER, kind=kind, period=period)
    return None if report.sent_at is not None else report


def periodic_report_record(report: PeriodicReport, *, error: str = "") -> None:
    """One try of a periodic report: sent (no error), or kept with its reason for the next pass."""
    report.attempts += 1
    report.last_error = error[:2000]
    if not error:
        report.sent_at = timezone.now()
    report.save(update_fields=["attempts", "last_error", "sent_at"])
