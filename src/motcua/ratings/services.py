"""Writes for citizens' ratings of a settled dossier (docs/legal-basis.md#ratings-and-feedback)
and for feedback (PAKN): sent by anyone, refused, supplemented, answered and published by the
officers of its agency (or of an agency above it), each step recorded in `FeedbackAction`.

The nine criteria come from the provincial evaluation built on Circular 01/2018; each
is scored 0–2 so an agency's average lands on the 0–18 scale the province classes
(>15 Xuất sắc … <6 Yếu). One rating per dossier, given by the applicant after the result.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.lib.errors import Conflict, InvalidInput, PermissionDenied, TooManyRequests
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency
from motcua.people.models import Person
from motcua.ratings.models import (
    CRITERIA,
    Feedback,
    FeedbackAction,
    FeedbackKind,
    FeedbackStatus,
    FeedbackVote,
    Rating,
    Satisfaction,
)
from motcua.ratings.selectors import OPEN_STATUSES, feedback_agency_ids, feedback_deadlines

#: The result exists: settled (processed) or already handed over (returned).
RATEABLE_STATUSES = frozenset({Status.PROCESSED, Status.RETURNED})
SCORE_RANGE = range(3)


def rating_submit(
    *,
    dossier: Dossier,
    actor: Actor,
    scores: dict[str, int],
    satisfaction: str,
    comment: str = "",
    at: datetime | None = None,
) -> Rating:
    """Store the applicant's rating of `dossier`; only the applicant, only after the result, only once."""
    if actor.person_id is None or actor.person_id != dossier.applicant_id:
        raise PermissionDenied("Only the applicant may rate this dossier.", code="not_applicant")
    if dossier.status not in RATEABLE_STATUSES:
        raise Conflict("A dossier can be rated once its result is ready.", code="no_result_yet")
    problems: dict[str, str] = {}
    for key in CRITERIA:
        value = scores.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value not in SCORE_RANGE:
            problems[key] = "Score each criterion 0, 1 or 2."
    for key in set(scores) - set(CRITERIA):
        problems[key] = "Unknown criterion."
    if satisfaction not in Satisfaction.values:
        problems["satisfaction"] = f"Satisfaction is one of {', '.join(Satisfaction.values)}."
    if problems:
        raise InvalidInput("The rating has errors.", code="invalid_rating", details=problems)
    if Rating.objects.filter(dossier_id=dossier.pk).exists():
        raise Conflict("This dossier has already been rated.", code="already_rated")
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier_id=dossier.pk,
                person_id=actor.person_id,
                scores={key: scores[key] for key in CRITERIA},
                satisfaction=satisfaction,
                comment=comment.strip()[:2000],
                rated_at=at or timezone.now(),
            )
    except IntegrityError:  # a concurrent submission of the same rating won
        raise Conflict("This dossier has already been rated.", code="already_rated") from None


# ---------------------------------------------------------------- feedback (PAKN)

#: Longest question and longest answer, reason or supplement request.
CONTENT_MAX = 4000
#: Letters of the tracking code: no 0/O or 1/I/L, so a code read aloud or copied is unambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class FeedbackContact:
    """How to answer a sender who is not signed in: a name and a phone or an e-mail."""

    name: str
    phone: str = ""
    email: str = ""


def _new_code() -> str:
    while True:
        code = "PAKN-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not Feedback.objects.filter(code=code).exists():
            return code


def _text(value: str, *, code: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(message, code=code)
    if len(value) > CONTENT_MAX:
        raise InvalidInput(f"At most {CONTENT_MAX} characters.", code="feedback_too_long")
    return value


def _check_sender(person: Person | None, contact: FeedbackContact | None, dossier: Dossier | None) -> None:
    if person is None and (contact is None or not contact.name.strip()):
        raise InvalidInput("Give your name.", code="feedback_name_required")
    if person is None and contact is not None and not (contact.phone.strip() or contact.email.strip()):
        raise InvalidInput("Give a phone number or an e-mail for the answer.", code="feedback_contact_required")
    if dossier is not None and (person is None or dossier.applicant_id != person.pk):
        raise PermissionDenied(
            "Only the applicant may link feedback to this dossier.", code="feedback_dossier_not_yours"
        )


def _check_daily_limit(person: Person | None, contact: FeedbackContact | None, at: datetime) -> None:
    """At most CITIZEN_LIMITS["MAX_FEEDBACK_PER_DAY"] PAKN a day from one person, phone or e-mail."""
    since = at - timedelta(days=1)
    rows = Feedback.objects.filter(received_at__gt=since, received_at__lte=at)
    if person is not None:
        rows = rows.filter(person=person)
    elif contact is not None:
        same = Q(pk__in=[])
        if contact.phone.strip():
            same |= Q(contact_phone=contact.phone.strip())
        if contact.email.strip():
            same |= Q(contact_email__iexact=contact.email.strip())
        rows = rows.filter(same)
    if rows.count() >= settings.CITIZEN_LIMITS["MAX_FEEDBACK_PER_DAY"]:
        raise TooManyRequests("Too much feedback from this sender today.", code="too_much_feedback")


def _record(feedback: Feedback, action: str, actor: Actor | None, at: datetime, note: str = "") -> None:
    FeedbackAction.objects.create(
        feedback=feedback,
        action=action,
        actor_id=actor.user_id if actor else None,
        actor_name=(actor.name if actor else "")[:255],
        at=at,
        note=note,
    )


def feedback_submit(
    *,
    agency: Agency,
    content: str,
    dossier: Dossier | None = None,
    person: Person | None = None,
    kind: str = FeedbackKind.SETTLEMENT,
    contact: FeedbackContact | None = None,
    actor: Actor | None = None,
    at: datetime | None = None,
) -> Feedback:
    """A citizen's feedback or recommendation (phản ánh, kiến nghị) to `agency`, open until
    handled. A signed-in citizen is `person`; anyone else gives a `contact`. Only the applicant
    links their own dossier. Sent by a citizen or an anonymous `actor` (the portal), it counts
    against the daily limit; recorded without an actor (imports, the generator) or by an
    officer, it does not."""
    content = _text(content, code="feedback_content_required", message="Say what the feedback is about.")
    if kind not in FeedbackKind.values:
        raise InvalidInput(f"Unknown feedback kind {kind!r}.", code="invalid_feedback_kind")
    _check_sender(person, contact, dossier)
    at = at or timezone.now()
    if actor is not None and not actor.is_officer and not actor.system:
        _check_daily_limit(person, contact, at)
    with transaction.atomic():
        feedback = Feedback.objects.create(
            agency=agency,
            dossier=dossier,
            person=person,
            kind=kind,
            content=content,
            received_at=at,
            code=_new_code(),
            contact_name=contact.name.strip()[:255] if contact else "",
            contact_phone=contact.phone.strip()[:20] if contact else "",
            contact_email=contact.email.strip()[:254] if contact else "",
        )
        _record(feedback, FeedbackAction.SUBMIT, actor, at)
    return feedback


def _locked(feedback: Feedback, actor: Actor | None, allowed: tuple[str, ...]) -> Feedback:
    """The feedback row, locked, once `actor` may act on it and its status allows the action."""
    if actor is not None and feedback.agency_id not in feedback_agency_ids(actor):
        raise PermissionDenied("You may not handle feedback of this agency.", code="forbidden")
    current = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if current.status not in allowed:
        raise Conflict("This action is not possible in the feedback's current status.", code="feedback_status")
    return current


def _save(feedback: Feedback, into: Feedback, fields: list[str]) -> Feedback:
    into.save(update_fields=fields)
    for name in fields:
        setattr(feedback, name, getattr(into, name))
    return feedback


@transaction.atomic
def feedback_refuse(*, feedback: Feedback, actor: Actor, reason: str, at: datetime | None = None) -> Feedback:
    """Refuse to handle open feedback, with the reason, within the refusal deadline (2 working days)."""
    reason = _text(reason, code="feedback_reason_required", message="A reason is required for this action.")
    current = _locked(feedback, actor, (FeedbackStatus.OPEN,))
    at = at or timezone.now()
    if at > feedback_deadlines(current).refuse:
        raise Conflict("The time to refuse this feedback has passed; answer it.", code="feedback_refuse_too_late")
    current.status, current.refusal_reason, current.refused_at = FeedbackStatus.REFUSED, reason, at
    _record(current, FeedbackAction.REFUSE, actor, at, reason)
    return _save(feedback, current, ["status", "refusal_reason", "refused_at"])


@transaction.atomic
def feedback_request_supplement(
    *, feedback: Feedback, actor: Actor, request: str, at: datetime | None = None
) -> Feedback:
    """Ask the sender for what is missing, within the deadline for that (5 working days)."""
    request = _text(request, code="feedback_request_required", message="Say what the sender must add.")
    current = _locked(feedback, actor, (FeedbackStatus.OPEN,))
    at = at or timezone.now()
    if at > feedback_deadlines(current).supplement:
        raise Conflict(
            "The time to ask for a supplement has passed; answer the feedback.", code="feedback_supplement_too_late"
        )
    current.status, current.supplement_request, current.supplement_requested_at = (
        FeedbackStatus.SUPPLEMENT_REQUESTED,
        request,
        at,
    )
    _record(current, FeedbackAction.REQUEST_SUPPLEMENT, actor, at, request)
    return _save(feedback, current, ["status", "supplement_request", "supplement_requested_at"])


@transaction.atomic
def feedback_handle(
    *, feedback: Feedback, answer: str, actor: Actor | None = None, at: datetime | None = None
) -> Feedback:
    """The agency answers open feedback (also after asking for a supplement). An answer after
    the 15 working days is still recorded: it counts as late."""
    answer = _text(answer, code="answer_required", message="The answer is required.")
    current = _locked(feedback, actor, OPEN_STATUSES)
    at = at or timezone.now()
    current.status, current.answer, current.handled_at = FeedbackStatus.HANDLED, answer, at
    _record(current, FeedbackAction.ANSWER, actor, at, answer)
    return _save(feedback, current, ["status", "answer", "handled_at"])


@transaction.atomic
def feedback_publish(*, feedback: Feedback, actor: Actor, at: datetime | None = None) -> Feedback:
    """Make the answer public (due 2 working days after the handling)."""
    current = _locked(feedback, actor, (FeedbackStatus.HANDLED,))
    at = at or timezone.now()
    if current.handled_at is not None and at < current.handled_at:
        raise InvalidInput("An answer is published after it is given.", code="invalid_publish_time")
    current.status, current.published_at = FeedbackStatus.PUBLISHED, at
    _record(current, FeedbackAction.PUBLISH, actor, at)
    return _save(feedback, current, ["status", "published_at"])


def feedback_vote(*, feedback: Feedback, likes: int = 0, dislikes: int = 0) -> None:
    """Count citizens' likes and dislikes of an answer (added in the database, so concurrent
    votes all count)."""
    if likes < 0 or dislikes < 0:
        raise InvalidInput("Votes are counted up only.", code="invalid_vote")
    Feedback.objects.filter(pk=feedback.pk).update(likes=F("likes") + likes, dislikes=F("dislikes") + dislikes)


def feedback_vote_once(*, feedback: Feedback, voter: str, like: bool, at: datetime | None = None) -> None:
    """One like or dislike of a published answer per voter (a person, an account or a session)."""
    if feedback.status != FeedbackStatus.PUBLISHED:
        raise Conflict("Only published answers can be rated.", code="feedback_not_published")
    if not voter:
        raise InvalidInput("The voter is unknown.", code="invalid_vote")
    try:
        with transaction.atomic():
            FeedbackVote.objects.create(feedback=feedback, voter=voter[:64], like=like, at=at or timezone.now())
            feedback_vote(feedback=feedback, likes=int(like), dislikes=int(not like))
    except IntegrityError:
        raise Conflict("You have already rated this answer.", code="already_voted") from None
