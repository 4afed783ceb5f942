"""What MotCua needs from the national portal, in MotCua's words."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class NationalPortal(Protocol):
    def publish_dossier(self, record: dict[str, Any], *, update: bool) -> None:
        """Create (`update=False`) or update the dossier record. Raises `AlreadyExists` on a
        create of a dossier the portal has, and `PortalError` on any other refusal."""

    def publish_progress(self, step: dict[str, Any]) -> None:
        """Add one processing step to a dossier the portal has."""

    def publish_satisfaction(self, items: list[dict[str, Any]]) -> None:
        """Send a monthly satisfaction summary."""

    def fetch_filings(self, since: datetime | None) -> list[dict[str, Any]]:
        """The dossiers filed on the portal since `since`, in the portal's field names."""

    def fetch_requests(self, since: datetime | None) -> list[dict[str, Any]]:
        """The supplements, withdrawals and stop requests made on the portal since `since`."""


class PortalError(Exception):
    """The portal did not take the call (network, timeout, refusal, garbage)."""


class AlreadyExists(PortalError):
    """A create of a dossier the portal already has: resend it as an update."""
