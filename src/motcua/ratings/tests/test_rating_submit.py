"""rating_submit: only the applicant, only after the result, once, every criterion scored 0–2."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers import services as ds
from motcua.lib.errors import Conflict, InvalidInput, PermissionDenied
from motcua.ratings.models import CRITERIA, Rating
from motcua.ratings.services import rating_submit

pytestmark = pytest.mark.django_db

GOOD = dict.fromkeys(CRITERIA, 2)


def _processed(world: Any) -> Any:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    dossier = world.refresh(dossier)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve")
    dossier = world.refresh(dossier)
    ds.dossier_finish(dossier=dossier, actor=world.leader)
    return world.refresh(dossier)


def test_the_applicant_rates_a_settled_dossier_once(world: Any) -> None:
    dossier = _processed(world)
    rating = rating_submit(dossier=dossier, actor=world.citizen, scores=GOOD, satisfaction="satisfied")
    assert rating.person_id == world.citizen_person.pk
    assert rating.scores == GOOD
    with pytest.raises(Conflict) as error:
        rating_submit(dossier=dossier, actor=world.citizen, scores=GOOD, satisfaction="satisfied")
    assert error.value.code == "already_rated"
    assert Rating.objects.count() == 1


def test_it_refuses_a_rating_from_someone_else(world: Any) -> None:
    dossier = _processed(world)
    for actor in (world.other_citizen, world.reception):
        with pytest.raises(PermissionDenied):
            rating_submit(dossier=dossier, actor=actor, scores=GOOD, satisfaction="satisfied")


def test_it_refuses_a_rating_before_the_result(world: Any) -> None:
    with pytest.raises(Conflict) as error:
        rating_submit(dossier=world.register(), actor=world.citizen, scores=GOOD, satisfaction="satisfied")
    assert error.value.code == "no_result_yet"


@pytest.mark.parametrize(
    ("scores", "satisfaction", "field"),
    [
        ({**GOOD, "staff_attitude": 3}, "satisfied", "staff_attitude"),
        ({k: v for k, v in GOOD.items() if k != "contacts"}, "satisfied", "contacts"),
        ({**GOOD, "bonus": 1}, "satisfied", "bonus"),
        ({**GOOD, "publication": True}, "satisfied", "publication"),
        (GOOD, "ecstatic", "satisfaction"),
    ],
)
def test_it_refuses_bad_scores_naming_the_criterion(
    world: Any, scores: dict[str, Any], satisfaction: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        rating_submit(dossier=_processed(world), actor=world.citizen, scores=scores, satisfaction=satisfaction)
    assert field in error.value.details
