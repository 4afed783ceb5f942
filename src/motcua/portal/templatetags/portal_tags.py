"""Formatting for the pages: dates dd/mm/yyyy and times in Asia/Ho_Chi_Minh, VND, working time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from motcua.calendars.worktime import VN_TZ
from motcua.catalog.models import RequiredDocument, Requirement
from motcua.catalog.selectors import condition_text
from motcua.dossiers.models import Channel, Delivery, Status
from motcua.portal import inputs

register = template.Library()

#: One working day is 8 working hours (Decree 63/2024 Art. 7; the default windows).
WORKING_DAY = timedelta(hours=8)
#: A deadline within this much working time shows amber ("due soon"), as the "due soon" queue.
DEADLINE_SOON = 2 * WORKING_DAY


@register.filter
def vndate(value: date | datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value, VN_TZ).strftime("%d/%m/%Y")
    return str(value.strftime("%d/%m/%Y"))


@register.filter
def vndatetime(value: datetime | str | None) -> str:
    """Time and date in Vietnam time: "14:30 ngày 05/12/2025"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value, VN_TZ)
    return _("%(time)s, %(date)s") % {"time": value.strftime("%H:%M"), "date": value.strftime("%d/%m/%Y")}


@register.filter
def vnd(value: int | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".") + " ₫"


@register.filter
def worktime(value: timedelta | None) -> str:
    """Working time left, in working days and hours; negative = overdue."""
    if value is None:
        return "—"
    late = value < timedelta(0)
    total = abs(value)
    days, rest = divmod(total, WORKING_DAY)
    hours = int(rest.total_seconds() // 3600)
    minutes = int((rest.total_seconds() % 3600) // 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    text = " ".join(parts)
    return _("overdue by %(time)s") % {"time": text} if late else text


@register.filter
def is_overdue(value: timedelta | None) -> bool:
    return value is not None and value < timedelta(0)


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


@register.filter
def channel_label(value: str) -> str:
    """How a dossier or an applicant's request came: at the counter, online, by post."""
    try:
        return str(Channel(value).label)
    except ValueError:
        return value


@register.filter
def delivery_label(value: str) -> str:
    """How the result reaches the applicant: at the counter, by public post, online."""
    try:
        return str(inputs.DELIVERY_WORDS[Delivery(value)])
    except (ValueError, KeyError):
        return value


@register.filter
def action_label(value: str) -> str:
    from motcua.portal.views.workspace import ACTION_LABELS

    labels: dict[str, Any] = {
        **ACTION_LABELS,
        "submit": _("Submitted online"),
        "receive": _("Received (Form 01)"),
        "choose_delivery": _("How to receive the result chosen"),
    }
    return str(labels.get(value, value))


#: The steps of a feedback's history (ratings.models.FeedbackAction), as the officer reads them.
FEEDBACK_ACTIONS: dict[str, Any] = {
    "submit": gettext_lazy("Feedback received"),
    "refuse": gettext_lazy("Refused"),
    "request_supplement": gettext_lazy("More details asked of the sender"),
    "answer": gettext_lazy("Answered"),
    "publish": gettext_lazy("Answer published"),
}


@register.filter
def feedback_action_label(value: str) -> str:
    return str(FEEDBACK_ACTIONS.get(value, value))


@register.filter
def get(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def requirement_note(document: RequiredDocument) -> str:
    """How a paper of a procedure is required, for the reader: "" when it is mandatory,
    "optional", or when it is mandatory (a conditional paper, named by its e-form field)."""
    if document.requirement == Requirement.OPTIONAL:
        return _("optional")
    return condition_text(document, document.version.e_form_schema)


@register.filter
def error_links(form: Any) -> list[tuple[str, str]]:
    """The lines of the error summary of a page form (`inputs.error_links`)."""
    return inputs.error_links(form)


@register.inclusion_tag("portal/partials/deadline.html")
def deadline(left: timedelta | None) -> dict[str, Any]:
    """The deadline badge of a list row: red overdue, amber due soon, green on time, always
    with its words (never colour alone)."""
    if left is None:
        return {"state": ""}
    if left < timedelta(0):
        return {"state": "overdue", "label": _("Overdue"), "left": left}
    if left <= DEADLINE_SOON:
        return {"state": "soon", "label": _("Due soon"), "left": left}
    return {"state": "ok", "label": _("On time"), "left": left}
