"""Writes for citizens' ratings of a settled dossier (docs/legal-basis.md#ratings-and-feedback)
and for feedback (PAKN).

The nine criteria come from the provincial evaluation built on Circular 01/2018; each
is scored 0–2 so an agency's average lands on the 0–18 scale the province classes
(>15 Xuất sắc … <6 Yếu). One rating per dossier, given by the applicant after the result.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.lib.errors import Conflict, InvalidInput, PermissionDenied
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency
from motcua.people.models import Person
from motcua.ratings.models import CRITERIA, Feedback, FeedbackKind, FeedbackStatus, Rating, Satisfaction

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


def feedback_submit(
    *,
    agency: Agency,
    content: str,
    dossier: Dossier | None = None,
    person: Person | None = None,
    kind: str = FeedbackKind.SETTLEMENT,
    at: datetime | None = None,
) -> Feedback:
    """A citizen's feedback or recommendation (phản ánh, kiến nghị) to `agency`, open until handled."""
    if not content.strip():
        raise InvalidInput("Say what the feedback is about.", code="feedback_content_required")
    if kind not in FeedbackKind.values:
        raise InvalidInput(f"Unknown feedback kind {kind!r}.", code="invalid_feedback_kind")
    return Feedback.objects.create(
        agency=agency,
        dossier=dossier,
        person=person,
        kind=kind,
        content=content.strip(),
        received_at=at or timezone.now(),
    )


@transaction.atomic
def feedback_handle(*, feedback: Feedback, answer: str, at: datetime | None = None) -> Feedback:
    """The agency answers open feedback."""
    if feedback.status != FeedbackStatus.OPEN:
        raise Conflict("This feedback is not open.", code="feedback_not_open")
    if not answer.strip():
        raise InvalidInput("The answer is required.", code="answer_required")
    feedback.status = FeedbackStatus.HANDLED
    feedback.answer = answer.strip()
    feedback.handled_at = at or timezone.now()
    feedback.save(update_fields=["status", "answer", "handled_at"])
    return feedback


def feedback_vote(*, feedback: Feedback, likes: int = 0, dislikes: int = 0) -> None:
    """Count citizens' likes and dislikes of an answer (added in the database, so concurrent
    votes all count)."""
    if likes < 0 or dislikes < 0:
        raise InvalidInput("Votes are counted up only.", code="invalid_vote")
    Feedback.objects.filter(pk=feedback.pk).update(likes=F("likes") + likes, dislikes=F("dislikes") + dislikes)
