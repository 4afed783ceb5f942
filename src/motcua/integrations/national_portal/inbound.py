"""Dossiers filed on the national portal, arriving in MotCua as online dossiers that wait for
reception, and the applicant's later requests on them (supplement, withdrawal, stop): pushed to
MotCua's endpoints (`integrations/api.py`) or pulled by the delivery passes (`pull_filings`,
`pull_requests`). Both fetch the attachments' bytes from the portal first, then hand everything
to the services (`national_portal/services.py`), which check it all before storing anything; a
second delivery of the same portal code returns the dossier of the first one and fetches nothing.

Fetching: only from the addresses allowed by `MOTCUA_NATIONAL_PORTAL_FILE_URL_PREFIXES` (the
portal's own address by default), with the portal's timeout, and never more than the upload
limit plus one byte; the bytes are then checked like any upload."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile

from motcua.dossiers.models import Dossier
from motcua.integrations.national_portal import services
from motcua.integrations.national_portal.conf import CONSUMER, PortalSettings
from motcua.integrations.national_portal.filings import (
    InboundAttachment,
    InboundFiling,
    PortalRequest,
    filing_from_record,
    request_from_record,
)
from motcua.integrations.national_portal.interface import NationalPortal, PortalError
from motcua.integrations.selectors import latest_inbound_request, latest_inbound_submission
from motcua.lib.errors import DomainError, InvalidInput
from motcua.organizations.actors import Actor

log = logging.getLogger("motcua.integrations.national_portal")

#: The actor of the pull job: the portal's connector acting for the applicants who filed there.
PORTAL_ACTOR = Actor(user_id=None, name="Cổng Dịch vụ công quốc gia", system=CONSUMER)


def _fetch_one(attachment: InboundAttachment, conf: PortalSettings) -> File[Any] | None:
    if not attachment.url:
        return None
    prefixes = conf.file_url_prefixes or ((conf.url + "/",) if conf.url else ())
    if not attachment.url.startswith(("http://", "https://")) or not attachment.url.startswith(prefixes):
        raise InvalidInput(
            f"The file {attachment.name!r} is not at an allowed address: {attachment.url!r}.",
            code="attachment_url_not_allowed",
        )
    limit = int(settings.MOTCUA["UPLOAD_MAX_BYTES"])
    try:
        with urllib.request.urlopen(attachment.url, timeout=conf.timeout_seconds) as response:  # noqa: S310 - http(s) under an allowed prefix, checked above
            data: bytes = response.read(limit + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise InvalidInput(
            f"The file {attachment.name!r} could not be fetched: {exc}.", code="attachment_unavailable"
        ) from None
    return ContentFile(data, name=attachment.name[:255])


def fetch_attachments(attachments: list[InboundAttachment], conf: PortalSettings) -> list[File[Any] | None]:
    """The bytes of each listed file (None for a file listed without an address)."""
    return [_fetch_one(a, conf) for a in attachments]


def receive_filing(*, actor: Actor, filing: InboundFiling, conf: PortalSettings) -> tuple[Dossier, bool]:
    """Fetch a filing's files and create its dossier; (dossier, False) if it was received before."""
    services.check_portal(actor)
    if known := services.received_dossier(filing.external_id):
        return known, False
    services.check_filing(filing)
    try:
        files = fetch_attachments(filing.attachments, conf)
    except InvalidInput as error:
        raise services.refused(filing.external_id, error) from None
    return services.inbound_dossier_accept(actor=actor, filing=filing, files=files)


def receive_request(*, actor: Actor, request: PortalRequest, conf: PortalSettings) -> tuple[Dossier, bool]:
    """A supplement, withdrawal or stop request made on the portal: checked first (unknown
    dossier, a status that does not allow it, a repeated delivery), then the supplement's new
    files fetched, then applied; (dossier, False) if it was applied before."""
    dossier, to_apply = services.check_request(actor, request)
    if not to_apply:
        return dossier, False
    try:
        files = fetch_attachments(request.attachments, conf)
    except InvalidInput as error:
        raise services.refused(request.external_id, error) from None
    return services.inbound_request_accept(actor=actor, request=request, files=files)


@dataclass
class PullResult:
    received: int = 0
    repeated: int = 0
    refused: list[str] = field(default_factory=list)


def pull_filings(portal: NationalPortal, conf: PortalSettings) -> PullResult:
    """Fetch the dossiers filed on the portal since shortly before the last one received (the
    listing service is configurable: no confirmed contract) and receive each; a filing already
    received creates nothing, a malformed one is logged and left for the portal to correct."""
    result = PullResult()
    since = latest_inbound_submission(CONSUMER)
    try:
        records = portal.fetch_filings(since)
    except PortalError as exc:
        log.warning("Pulling filings from the national portal failed: %s", exc)
        raise
    for record in records:
        try:
            _, created = receive_filing(actor=PORTAL_ACTOR, filing=filing_from_record(record), conf=conf)
        except InvalidInput as error:
            code = record.get("MaHoSo", "?") if isinstance(record, dict) else "?"
            log.warning("Pulled filing %r refused: %s (%s)", code, error.message, error.code)
            result.refused.append(f"{code}: {error.code}")
            continue
        if created:
            result.received += 1
        else:
            result.repeated += 1
    return result


def pull_requests(portal: NationalPortal, conf: PortalSettings) -> PullResult:
    """Fetch the supplements, withdrawals and stop requests made on the portal since shortly
    before the last one applied (the listing service is configurable: no confirmed contract)
    and apply each; one applied before changes nothing, one that cannot be applied (malformed,
    unknown dossier, a status that does not allow it) is logged and skipped."""
    result = PullResult()
    records = portal.fetch_requests(latest_inbound_request(CONSUMER))
    for record in records:
        code = record.get("MaHoSo", "?") if isinstance(record, dict) else "?"
        try:
            _, applied = receive_request(actor=PORTAL_ACTOR, request=request_from_record(record), conf=conf)
        except DomainError as error:
            log.warning("Pulled request for %r refused: %s (%s)", code, error.message, error.code)
            result.refused.append(f"{code}: {error.code}")
            continue
        if applied:
            result.received += 1
        else:
            result.repeated += 1
    return result
