"""The national portal connector's writes: dossiers received from the portal (a first delivery
creates the online dossier and its inbound record; a repeated one finds it), the supplements,
withdrawals and stop requests made there (applied through the dossier's services, once per
delivery), and the send record of the monthly reports.

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
from motcua.dossiers.models import Dossier, DossierEvent, OnlineSource, Status
from motcua.dossiers.selectors import stop_request_of
from motcua.dossiers.workflow import RESULT_STATUSES, STOPPABLE, Action, rule_for
from motcua.integrations.models import InboundDossier, InboundRequest, PeriodicReport
from motcua.integrations.national_portal.conf import CONSUMER
from motcua.integrations.national_portal.filings import InboundAttachment, InboundFiling, PortalRequest
from motcua.lib.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
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


def request_applied(request: PortalRequest) -> Dossier | None:
    """The dossier of a request delivered before (by its key), if any."""
    row = InboundRequest.objects.filter(source=CONSUMER, key=request.key).select_related("dossier").first()
    return row.dossier if row else None


def _already_done(dossier: Dossier, request: PortalRequest) -> bool:
    """The dossier already is where the request would take it (another delivery, or the
    applicant asked twice): nothing to do."""
    if request.kind == "withdrawal":
        return dossier.status == Status.WITHDRAWN
    if request.kind == "stop":
        return dossier.status == Status.STOPPED or (
            dossier.status in STOPPABLE and stop_request_of(dossier) is not None
        )
    return False


#: Why a dossier cannot take a request, by kind, when its status is not one the workflow allows.
_NOT_NOW = {
    "supplement": "it is not waiting for a supplement",
    "withdrawal": "it can no longer be withdrawn",
    "stop": "it is not being settled (a dossier not yet received is withdrawn, not stopped)",
}


def check_request(actor: Actor, request: PortalRequest) -> tuple[Dossier, bool]:
    """What can be refused before anything is fetched or stored: (the dossier, False) when the
    request was applied before or the dossier already is where it would take it, (the
    dossier, True) when it is to be applied. Unknown dossier: `dossier_not_found` (404);
    a status the workflow does not allow: `transition_not_allowed` or `result_exists` (409)."""
    if known := request_applied(request):
        check_portal(actor)
        return known, False
    dossier = portal_dossier(actor, request.external_id)
    if _already_done(dossier, request):
        return dossier, False
    action = {"supplement": Action.RESUBMIT, "withdrawal": Action.WITHDRAW, "stop": Action.REQUEST_STOP}[request.kind]
    if request.kind != "supplement" and (dossier.status in RESULT_STATUSES or dossier.processed_at is not None):
        verb = "withdrawn" if request.kind == "withdrawal" else "stopped"
        raise refused_conflict(
            request,
            TransitionNotAllowed(
                f"The result of dossier {dossier.code} already exists; it can no longer be {verb}.",
                code="result_exists",
                details={"dossier": dossier.code, "status": dossier.status},
            ),
        )
    try:
        rule_for(action, dossier.status)
    except TransitionNotAllowed:
        raise refused_conflict(
            request,
            TransitionNotAllowed(
                f"Dossier {dossier.code} is “{Status(dossier.status).label}”: {_NOT_NOW[request.kind]}.",
                details={"action": action.value, "status": dossier.status, "dossier": dossier.code},
            ),
        ) from None
    if request.kind == "stop" and not request.text.strip():
        raise refused(request.external_id, InvalidInput("A reason (LyDo) is required to stop.", code="reason_required"))
    return dossier, True


def refused_conflict(request: PortalRequest, error: TransitionNotAllowed) -> TransitionNotAllowed:
    log.warning("Inbound %s for %r refused: %s (%s)", request.kind, request.external_id, error.message, error.code)
    return error


def _apply(dossier: Dossier, actor: Actor, request: PortalRequest, files: list[File[Any] | None]) -> DossierEvent:
    if request.kind == "supplement":
        return ds.dossier_resubmit(
            dossier=dossier, actor=actor, components=_components(request.attachments, files) or None, note=request.text
        )
    if request.kind == "withdrawal":
        return ds.dossier_withdraw(dossier=dossier, actor=actor, reason=request.text, requested_at=request.requested_at)
    return ds.dossier_request_stop(dossier=dossier, actor=actor, reason=request.text, requested_at=request.requested_at)


def inbound_request_accept(
    *, actor: Actor, request: PortalRequest, files: list[File[Any] | None] | None = None
) -> tuple[Dossier, bool]:
    """Apply a supplement, withdrawal or stop request made on the portal through the dossier's
    own services (so their rules hold); (dossier, True) when applied now, (dossier, False) when
    it was delivered before or the dossier already is where it would take it. `files[i]` is the
    fetched bytes of attachment i. Nothing is stored when it is refused."""
    dossier, to_apply = check_request(actor, request)
    if not to_apply:
        return dossier, False
    files = files if files is not None else [None] * len(request.attachments)
    try:
        with transaction.atomic():
            event = _apply(dossier, actor, request, files)
            InboundRequest.objects.create(
                source=CONSUMER,
                key=request.key,
                external_id=request.external_id,
                kind=request.kind,
                dossier=dossier,
                event=event,
                requested_at=request.requested_at,
                attachments=_listed(request.attachments),
            )
    except (IntegrityError, Conflict):
        # The same request arrived twice at once: the other delivery applied it (its row, or
        # its change of the dossier, came first).
        if known := request_applied(request):
            return known, False
        raise
    except InvalidInput as invalid:
        raise refused(request.external_id, invalid) from None
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
