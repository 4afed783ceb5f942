"""Dossiers filed on the national portal arrive through /api/v1/integrations/national-portal/dossiers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from motcua.api.tests.support import bearer_token
from motcua.dossiers.models import Dossier, OnlineSource, Status
from motcua.integrations.models import InboundDossier

URL = "/api/v1/integrations/national-portal/dossiers"


def _filing(world: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "MaHoSo": "G22.99-260601-00001",
        "MaTTHC": world.procedure.procedure.code,
        "MaCoQuan": world.centre.code,
        "ChuHoSo": world.citizen_person.full_name,
        "SoGiayToChuHoSo": world.citizen_person.id_number,
        "NgayNopHoSo": "20260601080000",
        "TaiLieuNop": [{"TenTepDinhKem": "to-khai.pdf"}],
    }
    return {**body, **overrides}


def _post(client: Client, body: Any) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, raw, content_type="application/json")


@pytest.fixture
def portal(world: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {bearer_token(world.portal)}"})


def test_a_portal_filing_becomes_an_online_dossier_waiting_for_reception(world: Any, portal: Client) -> None:
    response = _post(portal, _filing(world))

    assert response.status_code == 201
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert (dossier.status, dossier.online_source) == (Status.SUBMITTED, OnlineSource.NATIONAL_PORTAL)
    assert dossier.external_id == "G22.99-260601-00001"
    assert dossier.receiving_agency == world.centre
    assert dossier.applicant.id_number == world.citizen_person.id_number
    assert [c.name for c in dossier.components.all()] == ["to-khai.pdf"]
    assert InboundDossier.objects.get().attachments[0]["name"] == "to-khai.pdf"


def test_a_second_delivery_of_the_same_filing_creates_nothing(world: Any, portal: Client) -> None:
    first = _post(portal, _filing(world))
    again = _post(portal, _filing(world))

    assert again.status_code == 200
    assert again.json()["error_code"] == 1
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"MaTTHC": "9.999999"}, "procedure_not_found"),
        ({"MaCoQuan": "H99.77"}, "agency_not_found"),
        ({"SoGiayToChuHoSo": ""}, "applicant_id_required"),
        ({"SoGiayToChuHoSo": "12ab"}, "invalid_applicant_id"),
        ({"NgayNopHoSo": "2026-06-01"}, "invalid_date"),
        ({"ChuHoSo": ""}, "validation_error"),
    ],
)
def test_bad_input_is_refused_with_a_precise_error_and_nothing_is_stored(
    world: Any, portal: Client, overrides: dict[str, Any], code: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = Dossier.objects.count()

    response = _post(portal, _filing(world, **overrides))

    assert response.status_code in (400, 422)
    assert response.json()["code"] == code
    assert Dossier.objects.count() == before
    assert not InboundDossier.objects.exists()


def test_a_malformed_or_huge_body_is_refused(world: Any, portal: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    malformed = _post(portal, "{not json")
    huge = _post(portal, _filing(world, ChuHoSo="x" * 200, DuLieuBieuMau={"blob": "y" * 20_000}))

    assert malformed.status_code == 400
    assert huge.status_code in (400, 413)
    assert not Dossier.objects.exists()


def test_a_wrong_credential_is_refused(world: Any) -> None:
    wrong = Client(headers={"Authorization": "Bearer not-a-token"})
    payments = Client(headers={"Authorization": f"Bearer {bearer_token(world.payments)}"})

    assert _post(wrong, _filing(world)).status_code == 401
    assert _post(payments, _filing(world)).status_code == 403  # another connected system
    assert not Dossier.objects.exists()


def test_an_online_dossier_waiting_beyond_the_limit_is_flagged(world: Any, portal: Client) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from motcua.dossiers.selectors import reception_wait

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    dossier = Dossier.objects.get(code=_post(portal, _filing(world, NgayNopHoSo="20260601080000")).json()["code"])

    same_day = reception_wait(dossier, datetime(2026, 6, 1, 11, tzinfo=vn))
    next_day = reception_wait(dossier, datetime(2026, 6, 2, 14, tzinfo=vn))

    assert same_day is not None
    assert next_day is not None
    assert not same_day.overdue
    assert next_day.overdue
    assert next_day.waited > same_day.waited


def test_the_dossier_page_shows_the_wait_for_reception(world: Any, portal: Client) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    code = _post(portal, _filing(world, NgayNopHoSo="20260601080000")).json()["code"]
    officer = Client()
    officer.force_login(get_user_model().objects.get(pk=world.reception.user_id))

    html = officer.get(reverse("portal:office-dossier", args=[code])).content.decode()

    assert 'data-testid="reception-wait" class="overdue-text" data-overdue="1"' in html


def test_a_withdrawal_made_on_the_portal_reaches_the_dossier_once(world: Any, portal: Client) -> None:
    created = _post(portal, _filing(world)).json()
    url = f"{URL}/{created['external_id']}/withdrawal"

    first = portal.post(url, {"LyDo": "Nộp nhầm"}, content_type="application/json")
    again = portal.post(url, {"LyDo": "Nộp nhầm"}, content_type="application/json")

    assert (first.json()["error_code"], first.json()["status"]) == (0, Status.WITHDRAWN)
    assert again.json()["error_code"] == 1
    assert Dossier.objects.get(code=created["code"]).events.filter(action="withdraw").count() == 1


def test_a_supplement_made_on_the_portal_goes_back_to_reception(world: Any, portal: Client) -> None:
    from motcua.dossiers import services as ds

    created = _post(portal, _filing(world)).json()
    dossier = Dossier.objects.get(code=created["code"])
    ds.dossier_return_for_completion(dossier=dossier, actor=world.reception, reason="Thiếu bản sao", items=["Bản sao"])

    response = portal.post(
        f"{URL}/{created['external_id']}/supplement",
        {"NoiDungBoSung": "Bổ sung", "TaiLieuNop": [{"TenTepDinhKem": "ban-sao.pdf"}]},
        content_type="application/json",
    )

    assert response.status_code == 200
    # Completed, it waits for the reception officer again: never received by itself.
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED
    assert dossier.events.filter(action="resubmit").count() == 1
    assert "ban-sao.pdf" in [c.name for c in dossier.components.all()]


def test_an_action_on_an_unknown_portal_dossier_is_refused(world: Any, portal: Client) -> None:
    response = portal.post(f"{URL}/NOPE/withdrawal", {}, content_type="application/json")

    assert response.status_code == 404
    assert response.json()["code"] == "dossier_not_found"
