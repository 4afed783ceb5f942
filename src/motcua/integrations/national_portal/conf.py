"""Settings of the national portal connector, read from the environment.

Paths and codes that no official text confirms stay configurable (docs/integrations.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass

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

    @property
    def configured(self) -> bool:
        return bool(self.url)


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    return float(raw) if raw.strip() else default


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _codes(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    return tuple(c.strip() for c in raw.split(",") if c.strip()) if raw.strip() else default


def load() -> PortalSettings:
    env = os.environ.get
    return PortalSettings(
        url=env("MOTCUA_NATIONAL_PORTAL_URL", "").rstrip("/"),
        username=env("MOTCUA_NATIONAL_PORTAL_USERNAME", ""),
        password=env("MOTCUA_NATIONAL_PORTAL_PASSWORD", ""),
        unit_code=env("MOTCUA_NATIONAL_PORTAL_UNIT_CODE", ""),
        dstcode=env("MOTCUA_NATIONAL_PORTAL_DSTCODE", ""),
        auth_path=env("MOTCUA_NATIONAL_PORTAL_AUTH_PATH", "/login"),
        integration_path=env("MOTCUA_NATIONAL_PORTAL_INTEGRATION_PATH", "/integration"),
        timeout_seconds=_float("MOTCUA_NATIONAL_PORTAL_TIMEOUT", 6.0),
        max_attempts=_int("MOTCUA_NATIONAL_PORTAL_MAX_ATTEMPTS", 8),
        backoff_base_seconds=_float("MOTCUA_NATIONAL_PORTAL_BACKOFF_BASE", 30.0),
        backoff_cap_seconds=_float("MOTCUA_NATIONAL_PORTAL_BACKOFF_CAP", 3600.0),
        session_expired_codes=_codes("MOTCUA_NATIONAL_PORTAL_SESSION_EXPIRED_CODES", ("401", "-401")),
        exists_codes=_codes("MOTCUA_NATIONAL_PORTAL_EXISTS_CODES", ("3", "-3")),
    )
