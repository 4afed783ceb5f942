"""The national portal's consumer of the dossier event log.

For each dossier event: the dossier record as it stands (`DongBoHoSoMC`, a create the first
time, then updates; "already exists" → resend as an update), then the event as one processing
step (`CapNhatTienDoHoSoMC`). The backbone hands over a dossier's due events as a *run*, one
after the other: the record goes once, before the run's first step (it is the dossier as it
stands, the same for every event of the run), then one step per event. On the first success the
dossier's `national_synced_at` is set at once; its indicator facts (indicator 1.4) are refolded
with those of the other dossiers synced for the first time in the same read-ahead, in `settle`.

`prepare` reads everything a read-ahead of due messages needs in a few queries (the dossiers
with their papers and fees, the events, which records the portal holds), so a send costs no
query of its own."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import dossier_mark_national_synced
from motcua.indicators.services import indicator_facts_refresh
from motcua.integrations.models import OutboundMessage
from motcua.integrations.national_portal import mapping
from motcua.integrations.national_portal.client import PortalClient
from motcua.integrations.national_portal.conf import CONSUMER, PortalSettings
from motcua.integrations.national_portal.interface import AlreadyExists, NationalPortal
from motcua.integrations.selectors import dossiers_to_publish, events_by_id, remote_created_among
from motcua.integrations.services import dossier_sync_mark_created


class NationalPortalConnector:
    name = CONSUMER

    def __init__(self, settings: PortalSettings, portal: NationalPortal | None = None, *, base_url: str = "") -> None:
        self.settings = settings
        self.portal: NationalPortal = portal or PortalClient(settings)
        self.max_attempts = settings.max_attempts
        self.backoff_base_seconds = settings.backoff_base_seconds
        self.backoff_cap_seconds = settings.backoff_cap_seconds
        self.base_url = base_url
        self._dossiers: dict[int, Dossier] = {}
        self._events: dict[int, DossierEvent] = {}
        self._created: set[int] = set()
        self._first_synced: set[int] = set()

    def prepare(self, messages: Sequence[OutboundMessage]) -> None:
        """Read what sending `messages` needs (and forget what the previous read-ahead held)."""
        dossier_ids = {m.dossier_id for m in messages}
        self._dossiers = dossiers_to_publish(dossier_ids)
        self._events = events_by_id(m.event_id for m in messages)
        self._created = remote_created_among(self.name, dossier_ids)

    def deliver(self, message: OutboundMessage, *, first: bool = True) -> None:
        if message.dossier_id not in self._dossiers or message.event_id not in self._events:
            self.prepare([message])
        dossier = self._dossiers[message.dossier_id]
        if first:
            self._publish_record(dossier)
        self.portal.publish_progress(mapping.progress_record(self._events[message.event_id], dossier))
        if dossier.national_synced_at is None:
            now = timezone.now()
            if dossier_mark_national_synced(dossier=dossier, at=now):
                self._first_synced.add(dossier.pk)
            dossier.national_synced_at = now

    def settle(self) -> None:
        """No event marks a sync: refold the indicator facts (1.4) of the dossiers synced for the
        first time since the last call, in one go."""
        if self._first_synced:
            indicator_facts_refresh(dossier_ids=self._first_synced)
            self._first_synced = set()

    def _publish_record(self, dossier: Dossier) -> None:
        record = mapping.dossier_record(dossier, base_url=self.base_url)
        if dossier.pk in self._created:
            self.portal.publish_dossier(record, update=True)
            return
        try:
            self.portal.publish_dossier(record, update=False)
        except AlreadyExists:
            self.portal.publish_dossier(record, update=True)
        dossier_sync_mark_created(consumer=self.name, dossier_id=dossier.pk)
        self._created.add(dossier.pk)
