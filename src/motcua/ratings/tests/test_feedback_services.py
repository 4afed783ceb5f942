"""Feedback (PAKN): received open with a tracking code, refused, supplemented, answered and
published by the officers of its agency within their deadlines, every step recorded; votes
counted once per voter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from motcua.calendars.worktime import VN_TZ
from motcua.lib.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TooManyRequests
from motcua.organizations.actors import ANONYMOUS
from motcua.people.models import Person
from motcua.ratings.models import Feedback, FeedbackAction, FeedbackStatus
from motcua.ratings.selectors import (
    feedback_by_code,
    feedback_deadlines,
    feedback_for,
    feedback_public_sender,
    feedback_queue,
    mask_name,
    published_answers,
)
from motcua.ratings.services import (
    FeedbackContact,
    feedback_handle,
    feedback_publish,
    feedback_refuse,
    feedback_request_supplement,
    feedback_submit,
    feedback_vote,
    feedback_vote_once,
)

#: Monday 2 March 2026, 09:00 in Viet Nam: no holiday in the following weeks.
MONDAY = datetime(2026, 3, 2, 9, tzinfo=VN_TZ)
ANON = FeedbackContact(name="Lê Thị Hoa", phone="0987654321")


def vn(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=VN_TZ)


def sent(world: Any, at: datetime = MONDAY, **kwargs: Any) -> Feedback:
    kwargs.setdefault("person", world.citizen_person)
    return feedback_submit(agency=world.justice, content="Hồ sơ chậm so với giấy hẹn.", at=at, **kwargs)


def test_feedback_is_received_open_and_answered_once(world: Any) -> None:
    feedback = feedback_submit(agency=world.justice, content="  Hồ sơ chậm.  ", person=world.citizen_person)
    assert (feedback.status, feedback.content) == (FeedbackStatus.OPEN, "Hồ sơ chậm.")
    assert feedback.code
    assert feedback.code.startswith("PAKN-")
    assert len(feedback.code) == 13

    feedback_handle(feedback=feedback, answer="Đã xử lý.", actor=world.specialist)

    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.status, stored.answer) == (FeedbackStatus.HANDLED, "Đã xử lý.")
    assert stored.handled_at is not None
    with pytest.raises(Conflict) as caught:
        feedback_handle(feedback=stored, answer="Lần nữa.", actor=world.specialist)
    assert caught.value.code == "feedback_status"


def test_it_refuses_empty_feedback(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        feedback_submit(agency=world.justice, content="   ", person=world.citizen_person)
    assert caught.value.code == "feedback_content_required"
    assert not Feedback.objects.exists()


def test_it_refuses_feedback_longer_than_4000_characters(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        feedback_submit(agency=world.justice, content="a" * 4001, person=world.citizen_person)
    assert caught.value.code == "feedback_too_long"
    assert not Feedback.objects.exists()


def test_an_anonymous_sender_gives_a_name_and_a_phone_or_an_email(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        feedback_submit(agency=world.justice, content="Thái độ cán bộ", contact=FeedbackContact(name=""))
    assert caught.value.code == "feedback_name_required"
    with pytest.raises(InvalidInput) as caught:
        feedback_submit(agency=world.justice, content="Thái độ cán bộ", contact=FeedbackContact(name="Hoa"))
    assert caught.value.code == "feedback_contact_required"
    assert not Feedback.objects.exists()

    feedback = feedback_submit(agency=world.justice, content="Thái độ cán bộ", contact=ANON, kind="staff")
    assert (feedback.contact_name, feedback.contact_phone, feedback.kind) == ("Lê Thị Hoa", "0987654321", "staff")
    assert feedback.actions.get().action == FeedbackAction.SUBMIT


def test_only_the_applicant_links_their_dossier(world: Any) -> None:
    dossier = world.register()
    with pytest.raises(PermissionDenied) as caught:
        feedback_submit(agency=world.justice, content="Chậm", dossier=dossier, contact=ANON)
    assert caught.value.code == "feedback_dossier_not_yours"
    other = Person.objects.get(pk=world.other_citizen.person_id)
    with pytest.raises(PermissionDenied):
        feedback_submit(agency=world.justice, content="Chậm", dossier=dossier, person=other)
    feedback = feedback_submit(agency=world.justice, content="Chậm", dossier=dossier, person=world.citizen_person)
    assert feedback.dossier_id == dossier.pk


def test_an_unknown_kind_is_refused(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        sent(world, kind="praise")
    assert caught.value.code == "invalid_feedback_kind"


def test_one_sender_sends_at_most_the_daily_limit(world: Any, settings: Any) -> None:
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "MAX_FEEDBACK_PER_DAY": 2}
    sent(world, at=vn(2026, 3, 2, 9), actor=world.citizen)
    sent(world, at=vn(2026, 3, 2, 10), actor=world.citizen)
    with pytest.raises(TooManyRequests) as caught:
        sent(world, at=vn(2026, 3, 2, 11), actor=world.citizen)
    assert caught.value.code == "too_much_feedback"
    sent(world, at=vn(2026, 3, 3, 10), actor=world.citizen)  # a day after the first one

    def anonymous(content: str, contact: FeedbackContact) -> Feedback:
        return feedback_submit(agency=world.justice, content=content, contact=contact, actor=ANONYMOUS, at=MONDAY)

    anonymous("Một", ANON)
    anonymous("Hai", FeedbackContact("Khác", phone=ANON.phone))
    with pytest.raises(TooManyRequests):
        anonymous("Ba", ANON)
    assert Feedback.objects.count() == 5
    # Recorded without an actor (an import, the generator), no limit applies.
    sent(world, at=vn(2026, 3, 3, 11))
    assert Feedback.objects.count() == 6


def test_deadlines_are_counted_in_working_days_on_the_agency_calendar(world: Any) -> None:
    feedback = sent(world)
    due = feedback_deadlines(feedback)
    names = ("refuse", "supplement", "handle")
    local = {name: timezone.localtime(getattr(due, name), VN_TZ).date().isoformat() for name in names}
    # 2 working days → Wednesday; 5 → the next Monday; 15 → Monday 23 March (weekends skipped).
    assert local == {"refuse": "2026-03-04", "supplement": "2026-03-09", "handle": "2026-03-23"}
    assert due.publish is None
    feedback_handle(feedback=feedback, answer="Trả lời", actor=world.specialist, at=vn(2026, 3, 6, 10))
    publish = feedback_deadlines(feedback).publish
    assert publish is not None
    assert timezone.localtime(publish, VN_TZ).date().isoformat() == "2026-03-10"


def test_refusing_needs_a_reason_and_is_possible_only_within_two_working_days(world: Any) -> None:
    feedback = sent(world)
    with pytest.raises(InvalidInput) as caught:
        feedback_refuse(feedback=feedback, actor=world.specialist, reason="  ", at=vn(2026, 3, 3, 9))
    assert caught.value.code == "feedback_reason_required"
    with pytest.raises(Conflict) as late:
        feedback_refuse(feedback=feedback, actor=world.specialist, reason="Trùng", at=vn(2026, 3, 5, 9))
    assert late.value.code == "feedback_refuse_too_late"
    assert Feedback.objects.get(pk=feedback.pk).status == FeedbackStatus.OPEN

    feedback_refuse(feedback=feedback, actor=world.specialist, reason="Không thuộc thẩm quyền", at=vn(2026, 3, 3, 9))
    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.status, stored.refusal_reason) == (FeedbackStatus.REFUSED, "Không thuộc thẩm quyền")
    with pytest.raises(Conflict):
        feedback_handle(feedback=stored, answer="Trả lời", actor=world.specialist)


def test_asking_for_more_is_possible_within_five_working_days_then_the_answer_follows(world: Any) -> None:
    feedback = sent(world)
    with pytest.raises(InvalidInput) as caught:
        feedback_request_supplement(feedback=feedback, actor=world.leader, request="", at=vn(2026, 3, 4, 9))
    assert caught.value.code == "feedback_request_required"
    with pytest.raises(Conflict) as late:
        feedback_request_supplement(feedback=feedback, actor=world.leader, request="Số hồ sơ", at=vn(2026, 3, 10, 9))
    assert late.value.code == "feedback_supplement_too_late"

    feedback_request_supplement(feedback=feedback, actor=world.leader, request="Số hồ sơ", at=vn(2026, 3, 4, 9))
    assert Feedback.objects.get(pk=feedback.pk).status == FeedbackStatus.SUPPLEMENT_REQUESTED
    feedback_handle(feedback=feedback, answer="Đã kiểm tra", actor=world.leader, at=vn(2026, 3, 12, 9))
    assert Feedback.objects.get(pk=feedback.pk).status == FeedbackStatus.HANDLED


def test_an_answer_is_published_once_given_and_every_step_names_who_and_when(world: Any) -> None:
    feedback = sent(world)
    with pytest.raises(Conflict):
        feedback_publish(feedback=feedback, actor=world.leader, at=vn(2026, 3, 3, 9))
    feedback_handle(feedback=feedback, answer="Đã xử lý", actor=world.specialist, at=vn(2026, 3, 5, 9))
    with pytest.raises(InvalidInput) as caught:
        feedback_publish(feedback=feedback, actor=world.leader, at=vn(2026, 3, 4, 9))
    assert caught.value.code == "invalid_publish_time"
    feedback_publish(feedback=feedback, actor=world.leader, at=vn(2026, 3, 6, 9))

    stored = Feedback.objects.get(pk=feedback.pk)
    assert stored.status == FeedbackStatus.PUBLISHED
    assert stored.published_at == vn(2026, 3, 6, 9)
    steps = [(a.action, a.actor_name, a.at) for a in stored.actions.all()]
    assert steps == [
        ("submit", "", MONDAY),
        ("answer", "Phạm Minh Đức", vn(2026, 3, 5, 9)),
        ("publish", "Hoàng Văn Nam", vn(2026, 3, 6, 9)),
    ]
    assert list(published_answers("xử lý")) == [stored]
    assert list(published_answers("không có")) == []


def test_an_officer_of_another_agency_or_a_citizen_may_not_act(world: Any) -> None:
    feedback = sent(world)
    for actor in (world.outsider, world.citizen, world.tax_specialist):
        with pytest.raises(PermissionDenied):
            feedback_handle(feedback=feedback, answer="Trả lời", actor=actor)
        with pytest.raises(PermissionDenied):
            feedback_refuse(feedback=feedback, actor=actor, reason="Không")
    assert Feedback.objects.get(pk=feedback.pk).status == FeedbackStatus.OPEN


def test_the_agency_and_its_superiors_see_the_feedback_and_no_one_else(world: Any) -> None:
    feedback = sent(world)
    for actor in (world.specialist, world.leader, world.manager, world.admin):
        assert feedback_for(actor, feedback.pk) == feedback
        assert list(feedback_queue(actor)) == [feedback]
    for actor in (world.outsider, world.citizen, world.reception, world.tax_specialist):
        with pytest.raises(NotFound):
            feedback_for(actor, feedback.pk)
        assert list(feedback_queue(actor)) == []
    # A manager of the province answers for the department below it.
    feedback_handle(feedback=feedback, answer="Tỉnh trả lời", actor=world.manager)


def test_queues_split_what_is_to_handle_to_publish_and_done(world: Any) -> None:
    waiting = sent(world, at=vn(2026, 3, 2, 9))
    answered = sent(world, at=vn(2026, 3, 2, 10))
    feedback_handle(feedback=answered, answer="Đã xử lý", actor=world.specialist)
    refused = sent(world, at=vn(2026, 3, 2, 11))
    feedback_refuse(feedback=refused, actor=world.specialist, reason="Trùng", at=vn(2026, 3, 2, 12))
    assert list(feedback_queue(world.specialist, "open")) == [waiting]
    assert list(feedback_queue(world.specialist, "to_publish")) == [answered]
    assert list(feedback_queue(world.specialist, "done")) == [refused]
    assert list(feedback_queue(world.specialist, "all", q=refused.code or "")) == [refused]


def test_the_tracking_code_finds_the_feedback_whatever_its_case(world: Any) -> None:
    feedback = sent(world)
    assert feedback_by_code(f" {(feedback.code or '').lower()} ") == feedback
    with pytest.raises(NotFound):
        feedback_by_code("PAKN-NOTTHERE")


def test_the_public_sees_the_sender_as_initials_only(world: Any) -> None:
    assert mask_name("Nguyễn Văn An") == "N. V. A."
    assert mask_name("") == ""
    assert feedback_public_sender(sent(world)) == "N. V. A."
    anonymous = feedback_submit(agency=world.justice, content="Chậm", contact=ANON)
    assert feedback_public_sender(anonymous) == "L. T. H."


def test_votes_add_up(world: Any) -> None:
    feedback = sent(world)
    feedback_vote(feedback=feedback, likes=2)
    feedback_vote(feedback=feedback, likes=1, dislikes=1)

    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.likes, stored.dislikes) == (3, 1)
    with pytest.raises(InvalidInput):
        feedback_vote(feedback=feedback, dislikes=-1)


def test_each_voter_rates_a_published_answer_once(world: Any) -> None:
    feedback = sent(world)
    with pytest.raises(Conflict) as caught:
        feedback_vote_once(feedback=feedback, voter="p:1", like=True)
    assert caught.value.code == "feedback_not_published"
    feedback_handle(feedback=feedback, answer="Đã xử lý", actor=world.specialist)
    feedback_publish(feedback=feedback, actor=world.leader)

    feedback_vote_once(feedback=feedback, voter="p:1", like=True)
    feedback_vote_once(feedback=feedback, voter="s:abc", like=False)
    with pytest.raises(Conflict) as caught:
        feedback_vote_once(feedback=feedback, voter="p:1", like=False)
    assert caught.value.code == "already_voted"
    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.likes, stored.dislikes) == (1, 1)
