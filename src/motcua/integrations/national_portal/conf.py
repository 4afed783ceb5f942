"""Settings of the national portal connector (`settings.NATIONAL_PORTAL`, from the
`MOTCUA_NATIONAL_PORTAL_*` environment variables; docs/integrations.md).

Paths and codes that no official text confirms stay configurable (docs/integrations.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

CONSUMER = "national_portal"


@dataclass(frozen=True)
class PortalSettings:
    url: str  # the adapter address (ADAPTER_URL); empty: not connected (`make run` uses the simulator)
    username: str
    password: str
    unit_code: str  # madonvi
    dstcode: str = ""
    auth_path: str = "/login"  # NOT CONFIRMED: the auth_endpoint of the province's adapter
    integration_path: str = "/integration"  # NOT CONFIRMED: the integration_endpoint
    timeout_seconds: float = 6.0
    max_attempts: int = 8
    backoff_base_seconds: float = 30.0
    backoff_cap_seconds: float = 3600.0
    #: error_code values that mean the session expired (NOT CONFIRMED): log in again and retry once.
    session_expired_codes: tuple[str, ...] = ("401", "-401")
    #: error_code values answered to a create of a dossier the portal already has.
    exists_codes: tuple[str, ...] = ("3", "-3")
    #: Fetch the dossiers filed on the portal (for deployments the portal does not push to).
    pull: bool = False
    #: The listing service of filed dossiers (NOT CONFIRMED: no national contract is known).
    pull_service: str = "LayDanhSachHoSoTrucTuyen"
    #: The listing service of supplements, withdrawals and stop requests (NOT CONFIRMED).
    pull_requests_service: str = "LayDanhSachYeuCauHoSo"
    #: Where inbound attachments may be fetched from; empty: the portal's own address.
    file_url_prefixes: tuple[str, ...] = ()

    @property
    def configured(self) -> bool:
        return bool(self.url)


def load() -> PortalSettings:
    """The settings as they stand (`settings.NATIONAL_PORTAL`, read from the environment)."""
    raw: dict[str, Any] = getattr(settings, "NATIONAL_PORTAL", {})
    return PortalSettings(
        url=str(raw.get("URL", "")).rstrip("/"),
        username=raw.get("USERNAME", ""),
        password=raw.get("PASSWORD", ""),
        unit_code=raw.get("UNIT_CODE", ""),
        dstcode=raw.get("DSTCODE", ""),
        auth_path=raw.get("AUTH_PATH", "/login"),
        integration_path=raw.get("INTEGRATION_PATH", "/integration"),
        timeout_seconds=float(raw.get("TIMEOUT", 6.0)),
        max_attempts=int(raw.get("MAX_ATTEMPTS", 8)),
        backoff_base_seconds=float(raw.get("BACKOFF_BASE", 30.0)),
        backoff_cap_seconds=float(raw.get("BACKOFF_CAP", 3600.0)),
        session_expired_codes=tuple(raw.get("SESSION_EXPIRED_CODES", ("401", "-401"))),
        exists_codes=tuple(raw.get("EXISTS_CODES", ("3", "-3"))),
        pull=bool(raw.get("PULL", False)),
        pull_service=raw.get("PULL_SERVICE", "LayDanhSachHoSoTrucTuyen"),
        pull_requests_service=raw.get("PULL_REQUESTS_SERVICE", "LayDanhSachYeuCauHoSo"),
        file_url_prefixes=tuple(raw.get("FILE_URL_PREFIXES", ())),
    )
