"""Feedback (PAKN): received open, answered once, votes counted up."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.lib.errors import Conflict, InvalidInput
from motcua.ratings.models import Feedback, FeedbackStatus
from motcua.ratings.services import feedback_handle, feedback_submit, feedback_vote


def test_feedback_is_received_open_and_answered_once(world: Any) -> None:
    feedback = feedback_submit(agency=world.justice, content="  Hồ sơ chậm.  ", person=world.citizen_person)
    assert (feedback.status, feedback.content) == (FeedbackStatus.OPEN, "Hồ sơ chậm.")

    feedback_handle(feedback=feedback, answer="Đã xử lý.")

    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.status, stored.answer) == (FeedbackStatus.HANDLED, "Đã xử lý.")
    assert stored.handled_at is not None
    with pytest.raises(Conflict) as caught:
        feedback_handle(feedback=stored, answer="Lần nữa.")
    assert caught.value.code == "feedback_not_open"


def test_it_refuses_empty_feedback(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        feedback_submit(agency=world.justice, content="   ")
    assert caught.value.code == "feedback_content_required"
    assert not Feedback.objects.exists()


def test_votes_add_up(world: Any) -> None:
    feedback = feedback_submit(agency=world.justice, content="PAKN")
    feedback_vote(feedback=feedback, likes=2)
    feedback_vote(feedback=feedback, likes=1, dislikes=1)

    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.likes, stored.dislikes) == (3, 1)
    with pytest.raises(InvalidInput):
        feedback_vote(feedback=feedback, dislikes=-1)
