"""Feedback (PAKN) pages: the public form (anonymous and signed in), the tracking page, the
officers' queue and actions with their access rules, and the public answers with votes."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from motcua.ratings.models import Feedback, FeedbackStatus
from motcua.ratings.services import FeedbackContact, feedback_handle, feedback_publish, feedback_submit

ANON_POST = {
    "kind": "staff",
    "agency": "",
    "content": "Cán bộ tiếp nhận không hướng dẫn đầy đủ giấy tờ.",
    "name": "Lê Thị Hoa",
    "phone": "0987 654 321",
    "email": "",
}


def _anon_post(world: Any, **changes: str) -> dict[str, str]:
    return {**ANON_POST, "agency": str(world.justice.pk), **changes}


def test_anyone_sends_feedback_and_gets_a_tracking_code_and_the_answer_date(world: Any) -> None:
    client = Client()
    page = client.get("/phan-anh/gui/")
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()

    response = client.post("/phan-anh/gui/", _anon_post(world), follow=True)

    feedback = Feedback.objects.get()
    assert (feedback.contact_name, feedback.contact_phone, feedback.agency_id) == (
        "Lê Thị Hoa",
        "0987654321",
        world.justice.pk,
    )
    html = response.content.decode()
    assert response.redirect_chain == [(f"/phan-anh/ma/{feedback.code}/", 302)]
    assert 'data-testid="feedback-sent"' in html
    assert feedback.code
    assert feedback.code in html
    assert re.search(r'data-testid="feedback-due">\d\d/\d\d/\d{4}<', html)
    # Seen again later (no longer "just sent"), the page still gives the status.
    again = client.get(f"/phan-anh/ma/{feedback.code}/").content.decode()
    assert 'data-testid="feedback-sent"' not in again
    assert 'data-testid="feedback-status">Đang mở<' in again


def test_the_form_says_what_is_wrong_and_stores_nothing(world: Any) -> None:
    client = Client()
    response = client.post(
        "/phan-anh/gui/", {"kind": "", "agency": "", "content": "ngắn", "name": "", "phone": "12", "email": "x@"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'class="error-summary"' in html
    for target in ("id_kind", "id_agency", "id_content", "id_name", "id_phone", "id_email"):
        assert f'href="#{target}"' in html, target
    assert not Feedback.objects.exists()

    without_contact = client.post("/phan-anh/gui/", _anon_post(world, phone=""))
    assert without_contact.status_code == 422
    assert 'href="#id_phone"' in without_contact.content.decode()
    too_long = client.post("/phan-anh/gui/", _anon_post(world, content="a" * 4001))
    assert too_long.status_code == 422
    assert 'href="#id_content"' in too_long.content.decode()
    assert not Feedback.objects.exists()


def test_the_form_refuses_a_post_without_the_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/phan-anh/gui/", _anon_post(world))
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_a_signed_in_citizen_links_their_dossier_and_the_agency_follows_it(world: Any, login: Any) -> None:
    dossier = world.register()
    client = login(world.citizen)
    page = client.get(f"/phan-anh/gui/?ho-so={dossier.code}&kind=settlement").content.decode()
    assert 'name="name"' not in page
    assert 'name="phone"' not in page
    assert f'value="{dossier.code}" selected' in page

    response = client.post(
        "/phan-anh/gui/", {"kind": "settlement", "dossier": dossier.code, "content": "Hồ sơ quá hạn chưa có kết quả."}
    )

    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert (feedback.person_id, feedback.dossier_id) == (world.citizen_person.pk, dossier.pk)
    assert feedback.agency_id == dossier.settling_agency_id
    assert feedback.actions.get().actor_name == "Nguyễn Văn An"


def test_a_citizen_cannot_link_someone_elses_dossier(world: Any, login: Any) -> None:
    dossier = world.register()
    client = login(world.other_citizen)
    response = client.post(
        "/phan-anh/gui/", {"kind": "settlement", "dossier": dossier.code, "content": "Hồ sơ quá hạn chưa có kết quả."}
    )
    assert response.status_code == 422
    assert not Feedback.objects.exists()


def test_the_daily_limit_is_a_clear_error(world: Any, settings: Any) -> None:
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "MAX_FEEDBACK_PER_DAY": 1}
    client = Client()
    assert client.post("/phan-anh/gui/", _anon_post(world)).status_code == 302
    response = client.post("/phan-anh/gui/", _anon_post(world))
    assert response.status_code == 429
    assert 'class="error-summary"' in response.content.decode()
    assert Feedback.objects.count() == 1


def test_the_form_is_rate_limited_per_address(world: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "feedback": 2}
    client = Client()
    assert client.get("/phan-anh/gui/").status_code == 200
    assert client.get("/phan-anh/gui/").status_code == 200
    refused = client.post("/phan-anh/gui/", _anon_post(world))
    assert refused.status_code == 429
    assert refused.has_header("Retry-After")
    assert not Feedback.objects.exists()


def test_an_unknown_tracking_code_is_a_404(world: Any) -> None:
    assert Client().get("/phan-anh/ma/PAKN-NOTTHERE/").status_code == 404


def _open(world: Any) -> Feedback:
    return feedback_submit(agency=world.justice, content="Hồ sơ chậm so với giấy hẹn.", person=world.citizen_person)


def test_officers_of_the_agency_answer_and_publish_from_the_queue(world: Any, login: Any) -> None:
    feedback = _open(world)
    client = login(world.specialist)
    queue = client.get("/can-bo/phan-anh/").content.decode()
    assert f"/can-bo/phan-anh/{feedback.pk}/" in queue
    assert 'data-deadline="ok"' in queue

    detail = client.get(f"/can-bo/phan-anh/{feedback.pk}/").content.decode()
    for action in ("answer", "request_supplement", "refuse"):
        assert f'id="action-{action}"' in detail
    assert 'id="action-publish"' not in detail

    empty = client.post(f"/can-bo/phan-anh/{feedback.pk}/answer/", {"answer-answer": " "})
    assert empty.status_code == 422
    assert Feedback.objects.get().status == FeedbackStatus.OPEN

    client.post(f"/can-bo/phan-anh/{feedback.pk}/answer/", {"answer-answer": "Đã đôn đốc, xin lỗi công dân."})
    assert Feedback.objects.get().status == FeedbackStatus.HANDLED
    to_publish = client.get("/can-bo/phan-anh/?queue=to_publish").content.decode()
    assert f"/can-bo/phan-anh/{feedback.pk}/" in to_publish

    response = client.post(f"/can-bo/phan-anh/{feedback.pk}/publish/", {})
    assert response.status_code == 302
    stored = Feedback.objects.get()
    assert stored.status == FeedbackStatus.PUBLISHED
    history = client.get(f"/can-bo/phan-anh/{feedback.pk}/").content.decode()
    assert history.count('data-testid="history"') == 3
    assert "Phạm Minh Đức" in history


def test_refusing_and_asking_for_more_need_their_text(world: Any, login: Any) -> None:
    feedback = _open(world)
    client = login(world.leader)
    assert client.post(f"/can-bo/phan-anh/{feedback.pk}/refuse/", {"refuse-reason": ""}).status_code == 422
    client.post(f"/can-bo/phan-anh/{feedback.pk}/request_supplement/", {"request_supplement-request": "Số giấy hẹn"})
    stored = Feedback.objects.get()
    assert (stored.status, stored.supplement_request) == (FeedbackStatus.SUPPLEMENT_REQUESTED, "Số giấy hẹn")
    # Out of turn: refusing is no longer possible, and says so.
    late = client.post(f"/can-bo/phan-anh/{feedback.pk}/refuse/", {"refuse-reason": "Trùng"})
    assert late.status_code == 422
    assert Feedback.objects.get().status == FeedbackStatus.SUPPLEMENT_REQUESTED
    tracking = Client().get(f"/phan-anh/ma/{stored.code}/").content.decode()
    assert "Số giấy hẹn" in tracking


def test_a_citizen_or_another_agencys_officer_cannot_see_or_act(world: Any, login: Any) -> None:
    feedback = _open(world)
    citizen = login(world.citizen)
    assert citizen.get("/can-bo/phan-anh/").status_code == 403
    assert citizen.get(f"/can-bo/phan-anh/{feedback.pk}/").status_code == 403
    assert citizen.post(f"/can-bo/phan-anh/{feedback.pk}/answer/", {"answer-answer": "X"}).status_code == 403

    outsider = login(world.outsider)
    assert f"/can-bo/phan-anh/{feedback.pk}/" not in outsider.get("/can-bo/phan-anh/?queue=all").content.decode()
    assert outsider.get(f"/can-bo/phan-anh/{feedback.pk}/").status_code == 404
    assert outsider.post(f"/can-bo/phan-anh/{feedback.pk}/answer/", {"answer-answer": "X"}).status_code == 404

    anonymous = Client().get(f"/can-bo/phan-anh/{feedback.pk}/")
    assert anonymous.status_code == 302
    assert "/dang-nhap/" in anonymous["Location"]
    assert Feedback.objects.get().status == FeedbackStatus.OPEN


def _published(world: Any) -> Feedback:
    feedback = feedback_submit(
        agency=world.justice,
        content="Vì sao phải nộp bản sao có chứng thực?",
        contact=FeedbackContact(name="Lê Thị Hoa", phone="0987654321", email="hoa@example.vn"),
    )
    feedback_handle(feedback=feedback, answer="Chỉ cần bản chụp khi nộp trực tuyến.", actor=world.specialist)
    return feedback_publish(feedback=feedback, actor=world.leader)


def test_the_public_answers_show_no_personal_data_and_can_be_searched(world: Any) -> None:
    feedback = _published(world)
    _open(world)  # not published: never listed
    html = Client().get("/phan-anh/").content.decode()
    assert html.count('data-testid="answer"') == 1
    assert "Chỉ cần bản chụp" in html
    assert "L. T. H." in html
    for private in ("Lê Thị Hoa", "0987654321", "hoa@example.vn", feedback.code or "PAKN"):
        assert private not in html
    assert 'data-testid="answer"' not in Client().get("/phan-anh/?q=khai+sinh").content.decode()
    assert 'data-testid="answer"' in Client().get("/phan-anh/?q=chứng+thực").content.decode()


def test_a_session_votes_once_on_an_answer(world: Any, login: Any) -> None:
    feedback = _published(world)
    client = Client()
    client.get("/phan-anh/")
    assert client.post(f"/phan-anh/{feedback.pk}/binh-chon/", {"vote": "like"}).status_code == 302
    assert 'data-testid="like" disabled' in client.get("/phan-anh/").content.decode()
    again = client.post(f"/phan-anh/{feedback.pk}/binh-chon/", {"vote": "dislike"}, follow=True)
    assert "Bạn đã đánh giá câu trả lời này." in again.content.decode()
    login(world.citizen).post(f"/phan-anh/{feedback.pk}/binh-chon/", {"vote": "dislike"})
    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.likes, stored.dislikes) == (1, 1)
    assert Client().post(f"/phan-anh/{feedback.pk}/binh-chon/", {"vote": "maybe"}).status_code == 302
    assert Client().get(f"/phan-anh/{feedback.pk}/binh-chon/").status_code == 405
    unpublished = _open(world)
    assert Client().post(f"/phan-anh/{unpublished.pk}/binh-chon/", {"vote": "like"}).status_code == 404
    assert Feedback.objects.get(pk=feedback.pk).likes == 1


def test_the_navigation_links_to_the_feedback_pages(world: Any, login: Any) -> None:
    public = Client().get("/").content.decode()
    assert 'href="/phan-anh/"' in public
    assert 'href="/can-bo/phan-anh/"' not in public
    officer = login(world.specialist).get("/can-bo/").content.decode()
    assert 'href="/can-bo/phan-anh/"' in officer
