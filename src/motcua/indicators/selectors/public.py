"""The public on-time record of an agency, shown to citizens on the procedure page.

Read from the same monthly counters and fact rows as the dashboards (`totals.subtree_totals`),
so the citizen sees the figure of sub-indicator 2.1 of Decision 766/QĐ-TTg as the manager does:
of the dossiers the agency (and its units) received in the last twelve months (the setting
`PUBLIC_RECORD_MONTHS`) and has settled,
the share settled by the appointment date. Open dossiers already past their date are counted
apart (`overdue_open`), not hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from motcua.indicators.conf import indicator_settings
from motcua.indicators.periods import Period, last_months, local_day
from motcua.indicators.selectors.totals import subtree_totals
from motcua.organizations.models import Agency


@dataclass(frozen=True)
class OnTimeRecord:
    period: Period
    settled: int  # received in the period and settled (a final verdict)
    on_time: int  # of those, settled by the appointment date
    overdue_open: int  # received in the period, not settled, already past the appointment

    @property
    def share(self) -> int | None:
        """Whole percent settled on time, None when nothing was settled."""
        return round(100 * self.on_time / self.settled) if self.settled else None


def on_time_record(agency: Agency, *, now: datetime | None = None) -> OnTimeRecord:
    """The agency's on-time record over the last months (setting `PUBLIC_RECORD_MONTHS`, 12), to today."""
    now = now or timezone.now()
    cfg = indicator_settings()
    first = last_months(now, max(1, cfg.public_record_months))[0].first
    today = local_day(now)
    period = Period(first, today, f"{first.isoformat()}..{today.isoformat()}")
    totals = subtree_totals(agency, period, now, cfg).totals[agency.pk]
    on_time, late = totals.counts["on_time"], totals.counts["late"]
    return OnTimeRecord(period=period, settled=on_time + late, on_time=on_time, overdue_open=totals.open_overdue)
