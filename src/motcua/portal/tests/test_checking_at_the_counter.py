"""Checking before receiving, on the counter's page and through the API: only a complete
dossier is received; an incomplete one is returned with Form 02, an unacceptable one refused
with Form 03 after a confirmation step (docs/legal-basis.md#checking-before-receiving)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.api.tests.support import session_client
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.people.models import Person
from motcua.portal.tests.test_counter import _intake
from motcua.testing.world import ANY_HOUR_REASON

pytestmark = pytest.mark.django_db


def test_an_incomplete_walk_in_dossier_is_returned_with_form_02_listing_what_is_missing(world: Any, login: Any) -> None:
    declaration, id_copy = list(world.procedure.documents.all())
    client = login(world.reception)

    response = client.post(
        reverse("portal:counter-new"),
        _intake(world, component=[str(declaration.pk)], outcome="return", items="Ảnh 4×6\n", reason="Thiếu giấy tờ"),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.received_at, dossier.due_at) == (Status.RETURNED_FOR_COMPLETION, None, None)
    event = dossier.events.get()
    assert event.data["form"]["items"] == [id_copy.name, "Ảnh 4×6"]  # the unticked paper first
    printed = client.get(response["Location"]).content.decode()
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in printed
    assert id_copy.name in printed
    assert "Ảnh 4×6" in printed
    home = client.get(reverse("portal:counter")).content.decode()
    assert dossier.code in home
    assert "Đã hướng dẫn hoàn thiện, chưa tiếp nhận" in home


def test_a_refusal_at_the_counter_is_confirmed_before_form_03_is_issued(world: Any, login: Any) -> None:
    client = login(world.reception)
    reasons = "Thủ tục không thuộc thẩm quyền của Trung tâm"

    without = client.post(reverse("portal:counter-new"), _intake(world, outcome="refuse", reason=""))
    assert without.status_code == 422
    assert "Ghi rõ lý do từ chối" in without.content.decode()

    first = client.post(reverse("portal:counter-new"), _intake(world, outcome="refuse", reason=reasons))
    page = first.content.decode()
    assert first.status_code == 200
    assert 'data-testid="confirm-refusal"' in page
    assert reasons in page
    assert 'value="Lò Thị Mai"' in page  # everything typed is kept for the second press
    assert not Dossier.objects.exists()
    assert not Person.objects.filter(id_number="001190000123").exists()

    done = client.post(reverse("portal:counter-new"), _intake(world, outcome="refuse_confirmed", reason=reasons))

    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.received_at) == (Status.REFUSED, None)
    printed = client.get(done["Location"]).content.decode()
    assert "Phiếu từ chối tiếp nhận giải quyết hồ sơ" in printed
    assert reasons in printed


def test_the_counter_receives_only_a_complete_dossier(world: Any, login: Any) -> None:
    declaration = world.procedure.documents.first()
    response = login(world.reception).post(
        reverse("portal:counter-new"), _intake(world, component=[str(declaration.pk)], outcome="receive")
    )
    assert response.status_code == 422
    assert not Dossier.objects.exists()


# ------------------------------------------------------------------ the API


def test_the_api_files_a_counter_dossier_not_received_and_a_refusal_needs_its_reason(world: Any) -> None:
    client = session_client(world.reception)
    body: dict[str, Any] = {
        "procedure": "2.000488",
        "channel": "counter",
        "applicant": {"id_number": "001190000123", "full_name": "Lò Thị Mai"},
    }

    refused = client.post("/api/v1/dossiers", {**body, "outcome": "refuse"}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["code"] == "reason_required"
    assert not Dossier.objects.exists()

    returned = client.post(
        "/api/v1/dossiers",
        {**body, "outcome": "return_for_completion", "items": ["Bản chụp CCCD"]},
        content_type="application/json",
    )
    assert returned.status_code == 201, returned.content
    assert (returned.json()["status"], returned.json()["received_at"]) == ("returned_for_completion", None)


def test_the_api_returns_an_online_dossier_and_accepts_a_supplement(world: Any) -> None:
    online = world.submit()
    reception = session_client(world.reception)
    answer = reception.post(
        f"/api/v1/dossiers/{online.code}/return_for_completion",
        {"items": ["Bản chụp CCCD"], "expected_version": online.row_version},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "returned_for_completion"

    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    ds.dossier_request_supplement(dossier=world.refresh(dossier), actor=world.specialist, reason="Thiếu", items=["A"])
    ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen)
    accepted = reception.post(
        f"/api/v1/dossiers/{dossier.code}/accept_supplement",
        {"expected_version": world.refresh(dossier).row_version, "outside_hours_reason": ANY_HOUR_REASON},
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "processing"
    assert world.refresh(dossier).events.filter(action="accept_supplement", form="01").exists()
