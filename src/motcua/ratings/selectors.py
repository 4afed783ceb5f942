"""Reads for feedback (PAKN): who may see which, the deadlines of each, the public answers.

Deadlines are counted in working days from `received_at` (publication: from `handled_at`) on
the calendar of the agency the PAKN is addressed to, exactly as the indicator engine counts
them (docs/indicators.md#pakn-adopted-satisfaction); the number of days are the same settings
(`settings.MOTCUA["INDICATORS"]`, keys `PAKN_*_DAYS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.dossiers.selectors import OVERSIGHT_ROLES, WORKING_ROLES
from motcua.lib.errors import NotFound
from motcua.organizations.actors import Actor
from motcua.organizations.selectors import agency_subtree_ids
from motcua.ratings.models import Feedback, FeedbackStatus

#: Working days for each outcome (portal F; the indicator settings use the same keys).
DEFAULT_DAYS = {"handle": 15, "refuse": 2, "supplement": 5, "publish": 2}
#: Statuses still waiting for an officer.
OPEN_STATUSES = (FeedbackStatus.OPEN, FeedbackStatus.SUPPLEMENT_REQUESTED)
#: Statuses whose answer exists but is not public yet.
TO_PUBLISH = (FeedbackStatus.HANDLED,)


def feedback_days() -> dict[str, int]:
    """Working days to handle, refuse, ask for a supplement and publish."""
    configured = dict(getattr(settings, "MOTCUA", {}).get("INDICATORS", {}))
    return {key: int(configured.get(f"PAKN_{key.upper()}_DAYS", days)) for key, days in DEFAULT_DAYS.items()}


def feedback_due(agency_id: int, start: datetime, days: int) -> datetime:
    """`start` plus `days` working days on the calendar of the agency (no cut-off)."""
    cal = calendar_for(agency_id)
    return worktime.due_instant(start, days, worktime.Unit.WORKING_DAYS, cal, cutoff=None)


@dataclass(frozen=True)
class FeedbackDeadlines:
    handle: datetime
    refuse: datetime
    supplement: datetime
    #: Only once handled: two working days from the handling.
    publish: datetime | None


def feedback_deadlines(feedback: Feedback) -> FeedbackDeadlines:
    days = feedback_days()
    received = feedback.received_at
    return FeedbackDeadlines(
        handle=feedback_due(feedback.agency_id, received, days["handle"]),
        refuse=feedback_due(feedback.agency_id, received, days["refuse"]),
        supplement=feedback_due(feedback.agency_id, received, days["supplement"]),
        publish=feedback_due(feedback.agency_id, feedback.handled_at, days["publish"]) if feedback.handled_at else None,
    )


def feedback_current_due(feedback: Feedback) -> datetime | None:
    """The deadline the officer works against now: handling while open, publication once
    handled; none after publication or refusal."""
    if feedback.status in OPEN_STATUSES:
        return feedback_deadlines(feedback).handle
    if feedback.status == FeedbackStatus.HANDLED:
        return feedback_deadlines(feedback).publish
    return None


def feedback_agency_ids(actor: Actor) -> set[int]:
    """The agencies whose PAKN `actor` sees and handles: those they work at, and every unit
    below an agency they manage or administer (the visibility rule of dossiers)."""
    ids = set(actor.agency_ids(WORKING_ROLES))
    oversight = actor.agency_ids(OVERSIGHT_ROLES)
    if oversight:
        ids |= agency_subtree_ids(oversight)
    return ids


def feedback_visible_to(actor: Actor) -> QuerySet[Feedback]:
    ids = feedback_agency_ids(actor)
    if not ids:
        return Feedback.objects.none()
    return Feedback.objects.filter(agency_id__in=ids)


def feedback_for(actor: Actor, pk: int) -> Feedback:
    """The PAKN `pk` if `actor` may see it; otherwise 404, so ids do not leak."""
    found = feedback_visible_to(actor).select_related("agency", "dossier", "person").filter(pk=pk).first()
    if found is None:
        raise NotFound("No feedback with this number that you may see.", code="feedback_not_found")
    return found


def feedback_queue(actor: Actor, queue: str = "open", q: str = "") -> QuerySet[Feedback]:
    """An officer's PAKN: `open` (to handle), `to_publish`, `done` or `all`; oldest first
    while something is to do."""
    rows = feedback_visible_to(actor).select_related("agency")
    if queue == "open":
        rows = rows.filter(status__in=OPEN_STATUSES).order_by("received_at", "id")
    elif queue == "to_publish":
        rows = rows.filter(status__in=TO_PUBLISH).order_by("handled_at", "id")
    elif queue == "done":
        rows = rows.filter(status__in=(FeedbackStatus.PUBLISHED, FeedbackStatus.REFUSED)).order_by("-received_at")
    else:
        rows = rows.order_by("-received_at", "-id")
    if q := q.strip():
        rows = rows.filter(Q(code__iexact=q) | Q(content__icontains=q))
    return rows


def feedback_by_code(code: str) -> Feedback:
    """The PAKN with this tracking code (public: the code is the sender's secret)."""
    found = Feedback.objects.select_related("agency").filter(code=code.strip().upper()).first() if code else None
    if found is None:
        raise NotFound("No feedback with this tracking code.", code="feedback_not_found")
    return found


def published_answers(q: str = "", agency_id: int | None = None) -> QuerySet[Feedback]:
    """Answers made public, newest first; `q` searches the question and the answer."""
    rows = Feedback.objects.filter(status=FeedbackStatus.PUBLISHED).select_related("agency", "person")
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    if q := q.strip():
        rows = rows.filter(Q(content__icontains=q) | Q(answer__icontains=q))
    return rows.order_by("-published_at", "-id")


def mask_name(name: str) -> str:
    """A sender's name as the public sees it: the initials of the family and middle names,
    then the given name's first letter ("Nguyễn Văn An" → "N. V. A.")."""
    parts = name.split()
    return " ".join(f"{part[0].upper()}." for part in parts) if parts else ""


def feedback_sender_name(feedback: Feedback) -> str:
    return feedback.person.full_name if feedback.person_id and feedback.person else feedback.contact_name


def feedback_public_sender(feedback: Feedback) -> str:
    """Who asked, masked: no name, phone or e-mail of a sender is shown to the public."""
    return mask_name(feedback_sender_name(feedback))
