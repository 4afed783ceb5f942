"""The procedure page a citizen reads before filing, and the blank forms it offers.

Everything the published procedure says (steps, conditions, papers with their blank forms,
fees, time limit, legal basis), plus what a citizen needs to act on it today: the appointment
a dossier filed now would get (computed by `calendars.worktime` on the competent agency's
calendar, Decree 63/2024 Art. 7.2), where and when to file (the receiving one-stop unit's
address and office hours, Decree 118/2025 Art. 14) and the agency's public on-time record
(sub-indicator 2.1 of Decision 766/QĐ-TTg, from the indicator counters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for, default_cutoff
from motcua.catalog.models import CompetentLevel, ProcedureVersion, RequiredDocument, Requirement
from motcua.catalog.selectors import version_in_force
from motcua.indicators.selectors.public import OnTimeRecord, on_time_record
from motcua.lib.files import send_file
from motcua.organizations.models import Agency
from motcua.organizations.selectors import one_stop_unit_for
from motcua.portal.views.common import domain_errors_as_pages

WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]
#: Days off announced ahead on the page (holidays, swapped days) looking this far forward.
DAYS_OFF_AHEAD = timedelta(days=45)


@dataclass(frozen=True)
class OfficeHours:
    days: str  # "Monday – Friday"
    windows: list[tuple[time, time]]
    closed: list[tuple[date, str]]  # upcoming days off with their reason
    extra: list[tuple[date, str]]  # upcoming working weekend days


def _lang() -> str:
    return "vi" if (get_language() or "vi").startswith("vi") else "en"


def _settling_agency_id(version: ProcedureVersion) -> int | None:
    return version.competent_agency_id if version.competent_level == CompetentLevel.AGENCY else None


def due_if_submitted_now(version: ProcedureVersion) -> worktime.DueDate:
    """The appointment a dossier received now would get (the calendar contract, Decree 63/2024 Art. 7.2)."""
    cutoff = version.cutoff_time if version.cutoff_time is not None else default_cutoff()
    return worktime.compute_due(
        timezone.now(),
        version.time_limit_amount,
        version.time_limit_unit,
        calendar_for(_settling_agency_id(version), lang=_lang()),
        cutoff=cutoff,
    )


def _day_span(workdays: list[int]) -> str:
    if not workdays:
        return ""
    if workdays == list(range(workdays[0], workdays[-1] + 1)) and len(workdays) > 2:
        return f"{WEEKDAYS[workdays[0]]} – {WEEKDAYS[workdays[-1]]}"
    return ", ".join(str(WEEKDAYS[d]) for d in workdays)


def office_hours(agency: Agency | None) -> OfficeHours:
    """When the one-stop unit receives dossiers: its days, daily windows and the days off ahead."""
    calendar = calendar_for(agency.pk if agency else None, lang=_lang())
    today = timezone.localdate(timezone.now(), worktime.VN_TZ)
    until = today + DAYS_OFF_AHEAD
    return OfficeHours(
        days=_day_span([d for d in range(7) if d not in calendar.weekend]),
        windows=list(calendar.windows),
        closed=sorted((d, r) for d, r in calendar.days_off.items() if today <= d <= until and d.weekday() < 5),
        extra=sorted((d, r) for d, r in calendar.extra_working_days.items() if today <= d <= until),
    )


def _record(version: ProcedureVersion) -> OnTimeRecord | None:
    if version.competent_agency is None or version.competent_level != CompetentLevel.AGENCY:
        return None
    return on_time_record(version.competent_agency)


def procedure_context(version: ProcedureVersion) -> dict[str, Any]:
    """What the procedure page shows of `version` (also the catalogue editor's preview)."""
    commune_level = version.competent_level == CompetentLevel.COMMUNE
    receiving = (
        one_stop_unit_for(version.competent_agency)
        if version.competent_agency is not None and not commune_level
        else None
    )
    documents = list(version.documents.all())
    return {
        "version": version,
        "due": due_if_submitted_now(version),
        "commune_level": commune_level,
        "online": version.online_level != "none",
        "steps": list(version.steps.select_related("agency")),
        "documents": documents,
        "has_conditional": any(d.requirement == Requirement.CONDITIONAL for d in documents),
        "receiving": receiving,
        "hours": office_hours(receiving),
        "record": _record(version),
    }


@domain_errors_as_pages
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "portal/citizen/procedure.html", procedure_context(version_in_force(code)))


@domain_errors_as_pages
def blank_form(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """The blank form of a paper of the procedure in force: a public document, for anyone."""
    version = version_in_force(code) if code.strip() else None
    document = (
        RequiredDocument.objects.filter(pk=pk, version=version).exclude(blank_form="").first() if version else None
    )
    if document is None:
        raise Http404(_("This paper has no blank form."))
    return send_file(
        document.blank_form,
        filename=document.blank_form_name or f"mau-{code}-{pk}",
        content_type=document.blank_form_type or "application/octet-stream",
        inline=False,
        public=True,
    )
