"""Writes for citizens' ratings of a settled dossier (docs/legal-basis.md#ratings-and-feedback).

The nine criteria come from the provincial evaluation built on Circular 01/2018; each
is scored 0–2 so an agency's average lands on the 0–18 scale the province classes
(>15 Xuất sắc … <6 Yếu). One rating per dossier, given by the applicant after the result.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.lib.errors import Conflict, InvalidInput, PermissionDenied
from motcua.organizations.actors import Actor
from motcua.ratings.models import CRITERIA, Rating, Satisfaction

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
