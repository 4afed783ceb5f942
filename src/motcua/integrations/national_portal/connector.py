"""The national portal's consumer of the dossier event log.

For each dossier event: send the dossier record as it stands (`DongBoHoSoMC`, a create the first
time, then updates; "already exists" → resend as an update), then the event as one processing
step (`CapNhatTienDoHoSoMC`). On success the dossier's `national_synced_at` is set and its
indicator facts are refreshed (indicator 1.4)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.services import dossier_mark_national_synced
from motcua.indicators.services import indicator_facts_refresh
from motcua.integrations.models import OutboundMessage
from motcua.integrations.national_portal import mapping
from motcua.integrations.national_portal.client import PortalClient
from motcua.integrations.national_portal.conf import CONSUMER, PortalSettings
from motcua.integrations.national_portal.interface import AlreadyExists, NationalPortal
from motcua.integrations.selectors import remote_created
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

    def deliver(self, message: OutboundMessage) -> None:
        dossier = (
            Dossier.objects.select_related(
                "procedure_version__procedure", "procedure_version__field", "applicant", "settling_agency"
            )
            .prefetch_related(
                Prefetch("components", DossierComponent.objects.order_by("id")), "procedure_version__fees"
            )
            .get(pk=message.dossier_id)
        )
        event = DossierEvent.objects.select_related("actor_agency").get(pk=message.event_id)
        record = mapping.dossier_record(dossier, base_url=self.base_url)
        if remote_created(self.name, dossier.pk):
            self.portal.publish_dossier(record, update=True)
        else:
            try:
                self.portal.publish_dossier(record, update=False)
            except AlreadyExists:
                self.portal.publish_dossier(record, update=True)
            dossier_sync_mark_created(consumer=self.name, dossier_id=dossier.pk)
        self.portal.publish_progress(mapping.progress_record(event, dossier))
        if dossier_mark_national_synced(dossier=dossier, at=timezone.now()):
            # No event marks a sync: refold the dossier's indicator facts (1.4) now.
            indicator_facts_refresh(dossier_ids=[dossier.pk])
