"""Abuse limits: public tracking, search and the e-form endpoints are rate limited per client
address; a citizen's open drafts and daily submissions are capped; e-form data has a size limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.lib.errors import InvalidInput, TooManyRequests
from motcua.portal.models import Draft


def _limit(settings: Any, scope: str) -> int:
    return int(settings.RATE_LIMITS[scope])


def test_public_tracking_cannot_be_enumerated_from_one_address(world: Any, settings: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [client.get(f"/tra-cuu/H99.01-261203-{n:04d}/").status_code for n in range(_limit(settings, "tracking"))]
    assert 429 not in answers
    refused = client.get("/tra-cuu/H99.01-261203-9999/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "Bạn đã gửi quá nhiều yêu cầu" in page
    assert "Too many requests" in page
    # Another address is not affected.
    assert Client(REMOTE_ADDR="203.0.113.8").get("/tra-cuu/H99.01-261203-9999/").status_code == 404


def test_the_tracking_api_answers_429_in_json_once_its_limit_is_spent(world: Any, settings: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    code = world.submit().code
    for _ in range(_limit(settings, "tracking")):
        assert client.get(f"/api/v1/dossiers/{code}/track").status_code == 200
    refused = client.get(f"/api/v1/dossiers/{code}/track")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert "Too many requests" in refused.json()["message"]


def test_the_tracking_pages_and_the_api_share_one_allowance(world: Any, settings: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(_limit(settings, "tracking")):
        client.get("/tra-cuu/H99.01-261203-0001/")
    assert client.get("/api/v1/dossiers/H99.01-261203-0001/track").status_code == 429


def test_search_is_rate_limited(world: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": 3}
    client = Client(REMOTE_ADDR="203.0.113.11")
    assert [client.get("/thu-tuc/?q=khai").status_code for _ in range(3)] == [200, 200, 200]
    assert client.get("/thu-tuc/?q=khai").status_code == 429
    assert client.get("/api/v1/procedures?q=khai").status_code == 429


def test_the_eform_pages_are_rate_limited(world: Any, settings: Any, login: Any, eform_procedure: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "eform": 2}
    client = login(world.citizen)
    url = reverse("portal:apply", args=[eform_procedure.procedure.code])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 429


def test_a_citizen_cannot_open_more_drafts_than_the_limit(
    world: Any, settings: Any, login: Any, eform_procedure: Any
) -> None:
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "MAX_OPEN_DRAFTS": 1}
    client = login(world.citizen)
    assert client.post(reverse("portal:apply", args=[eform_procedure.procedure.code])).status_code == 302
    # Resuming the open draft is always possible; a second draft is not.
    assert client.post(reverse("portal:apply", args=[eform_procedure.procedure.code])).status_code == 302
    refused = client.post(reverse("portal:apply", args=[world.procedure.procedure.code]))
    assert refused.status_code == 429
    assert Draft.objects.filter(owner=world.citizen_person).count() == 1


def test_a_citizen_submits_at_most_the_daily_limit_online(world: Any, settings: Any) -> None:
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "MAX_SUBMISSIONS_PER_DAY": 2}
    world.submit()
    world.submit()
    with pytest.raises(TooManyRequests) as refused:
        world.submit()
    assert refused.value.code == "too_many_submissions"
    # Counter officers file for walk-in applicants without that limit.
    assert world.register().applicant_id == world.citizen_person.pk


def test_the_api_refuses_a_citizens_submission_over_the_daily_limit_with_429(
    world: Any, settings: Any, login: Any
) -> None:
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "MAX_SUBMISSIONS_PER_DAY": 1}
    world.submit()
    response = login(world.citizen).post(
        "/api/v1/dossiers",
        data={"procedure": world.procedure.procedure.code, "channel": "online"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_submissions"


def test_eform_data_over_the_size_limit_is_refused(world: Any, settings: Any) -> None:
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "EFORM_MAX_BYTES": 2048}
    with pytest.raises(InvalidInput) as refused:
        world.submit(form_data={"ghi_chu": "x" * 3000})
    assert refused.value.code == "invalid_form"


def test_a_draft_over_the_size_limit_is_not_saved(world: Any, settings: Any, login: Any, eform_procedure: Any) -> None:
    settings.CITIZEN_LIMITS = {**settings.CITIZEN_LIMITS, "EFORM_MAX_BYTES": 2048}
    client = login(world.citizen)
    client.post(reverse("portal:apply", args=[eform_procedure.procedure.code]))
    draft = Draft.objects.get(owner=world.citizen_person)
    response = client.post(reverse("portal:draft", args=[draft.pk]), {"ef.ho_ten": "x" * 3000, "next": "save"})
    assert response.status_code == 413
    draft.refresh_from_db()
    assert draft.form_data == {}


def test_a_connected_systems_token_is_not_held_to_the_per_address_limit(world: Any, settings: Any) -> None:
    """The national portal's adapter files every online dossier of the province from one
    address: its token, not its address, is what the API holds it to."""
    from motcua.api.tests.support import bearer_token
    from motcua.dossiers.tests.test_access import _create_body

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "eform": 2, "tracking": 2}
    portal = Client(REMOTE_ADDR="203.0.113.20", headers={"Authorization": f"Bearer {bearer_token(world.portal)}"})
    body = _create_body(world, "online")
    filed = [portal.post("/api/v1/dossiers", body, content_type="application/json") for _ in range(3)]
    assert [answer.status_code for answer in filed] == [201, 201, 201]
    code = filed[0].json()["code"]
    assert [portal.get(f"/api/v1/dossiers/{code}/track").status_code for _ in range(3)] == [200, 200, 200]


def test_a_made_up_token_is_counted_like_any_anonymous_request(world: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tracking": 2}
    code = world.submit().code
    stranger = Client(REMOTE_ADDR="203.0.113.21", headers={"Authorization": "Bearer not-a-token-of-ours"})
    assert [stranger.get(f"/api/v1/dossiers/{code}/track").status_code for _ in range(3)] == [200, 200, 429]
