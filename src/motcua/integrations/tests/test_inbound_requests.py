"""Supplements, withdrawals and requests to stop made on the national portal reach the dossier
it filed there: pushed to MotCua's endpoints or pulled from the portal (its simulator here),
applied through the dossier's own services, once per delivery."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.api.tests.support import bearer_token
from motcua.documents.forms import form_context
from motcua.dossiers import services as ds
from motcua.dossiers.models import ClockPause, Dossier, DossierComponent, Status
from motcua.dossiers.selectors import stop_request_of
from motcua.dossiers.tests.states import snapshot, vn
from motcua.integrations.models import InboundRequest
from motcua.integrations.national_portal import services
from motcua.integrations.national_portal.client import PortalClient
from motcua.integrations.national_portal.conf import load
from motcua.integrations.national_portal.filings import InboundFiling, request_from_record
from motcua.integrations.national_portal.inbound import PORTAL_ACTOR, pull_requests
from motcua.integrations.national_portal.interface import PortalError
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.lib.errors import InvalidInput
from motcua.testing.files import pdf_bytes
from motcua.testing.world import World

URL = "/api/v1/integrations/national-portal/dossiers"
FILED = vn(2026, 6, 1, 8)
#: The working week of the lifecycle below: received Monday 09:00, processing from 09:05.
RECEIVED, PROCESSING, ASKED = vn(2026, 6, 1, 9), vn(2026, 6, 1, 9, 5), vn(2026, 6, 1, 9, 10)


def _filed(world: World, code: str, status: Status = Status.SUBMITTED) -> Dossier:
    """A dossier filed on the portal as `code`, brought into `status` by the officers."""
    filing = InboundFiling(
        external_id=code,
        procedure_code=world.procedure.procedure.code,
        agency_code=world.centre.code,
        applicant_name=world.citizen_person.full_name,
        applicant_id_number=world.citizen_person.id_number,
        submitted_at=FILED,
    )
    dossier, created = services.inbound_dossier_accept(actor=PORTAL_ACTOR, filing=filing)
    assert created
    if status == Status.RETURNED_FOR_COMPLETION:
        ds.dossier_return_for_completion(dossier=dossier, actor=world.reception, items=["Bản sao CCCD"], at=RECEIVED)
    elif status != Status.SUBMITTED:
        ds.dossier_receive(dossier=dossier, actor=world.reception, at=RECEIVED)
        if status != Status.RECEIVED:
            ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=PROCESSING)
        if status == Status.SUPPLEMENT_REQUESTED:
            ds.dossier_request_supplement(
                dossier=world.refresh(dossier), actor=world.specialist, reason="Thiếu bản sao", items=["CCCD"], at=ASKED
            )
        elif status == Status.PROCESSED:
            ds.dossier_finish(dossier=world.refresh(dossier), actor=world.leader, at=ASKED)
    fresh = world.refresh(dossier)
    assert fresh.status == status, (fresh.status, status)
    return fresh


@pytest.fixture
def portal(world: World) -> Client:
    return Client(headers={"Authorization": f"Bearer {bearer_token(world.portal)}"})


def _send(portal: Client, code: str, kind: str, body: Any) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return portal.post(f"{URL}/{code}/{kind}", raw, content_type="application/json")


# ---------------------------------------------------------------- pushed to the endpoints


def test_a_dossier_returned_for_completion_is_completed_on_the_portal_once_and_waits_for_reception(
    world: World, portal: Client, simulator: PortalSimulator
) -> None:
    dossier = _filed(world, "G-10", Status.RETURNED_FOR_COMPLETION)
    simulator.files["s1"] = pdf_bytes()
    body = {
        "MaYeuCau": "YC-1",
        "NoiDungBoSung": "Bổ sung bản sao",
        "TaiLieuNop": [{"TenTepDinhKem": "ban-sao.pdf", "DuongDanTaiTepTin": simulator.file_url("s1")}],
    }

    first = _send(portal, "G-10", "supplement", body)
    simulator.files.clear()  # a repeated delivery fetches nothing
    again = _send(portal, "G-10", "supplement", body)

    assert first.status_code == 200, first.content
    assert (first.json()["error_code"], first.json()["status"]) == (0, Status.SUBMITTED)
    assert (again.status_code, again.json()["error_code"]) == (200, 1)
    assert dossier.events.filter(action="resubmit").count() == 1
    added = DossierComponent.objects.get(dossier=dossier, name="ban-sao.pdf")
    assert added.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    applied = InboundRequest.objects.get()
    assert (applied.kind, applied.key, applied.dossier_id) == ("supplement", "supplement:YC-1", dossier.pk)
    assert applied.event.action == "resubmit"


def test_a_supplement_delivered_again_with_its_file_at_a_new_address_is_the_same_supplement(
    world: World, portal: Client, simulator: PortalSimulator
) -> None:
    dossier = _filed(world, "G-17", Status.RETURNED_FOR_COMPLETION)
    simulator.files.update(a=pdf_bytes(), b=pdf_bytes())

    def body(key: str) -> dict[str, Any]:
        file = {"TenTepDinhKem": "ban-sao.pdf", "DuongDanTaiTepTin": simulator.file_url(key)}
        return {"NoiDungBoSung": "Bổ sung", "NgayYeuCau": "20260602080000", "TaiLieuNop": [file]}

    assert _send(portal, "G-17", "supplement", body("a")).json()["error_code"] == 0
    assert _send(portal, "G-17", "supplement", body("b")).json()["error_code"] == 1
    assert DossierComponent.objects.filter(dossier=dossier, name="ban-sao.pdf").count() == 1


def test_a_supplement_asked_during_processing_is_handed_in_on_the_portal_and_the_clock_resumes(
    world: World, portal: Client
) -> None:
    dossier = _filed(world, "G-11", Status.SUPPLEMENT_REQUESTED)

    response = _send(portal, "G-11", "supplement", {"NoiDungBoSung": "Đã bổ sung CCCD"})

    assert response.json()["status"] == Status.SUPPLEMENT_SUBMITTED
    fresh = world.refresh(dossier)
    assert fresh.paused_since is None
    assert not ClockPause.objects.filter(dossier=dossier, ended_at__isnull=True).exists()
    resubmit = fresh.events.get(action="resubmit")
    assert (resubmit.actor_role, resubmit.reason) == ("system", "Đã bổ sung CCCD")
    # The same supplement again, without a request code, is known by what it says.
    assert _send(portal, "G-11", "supplement", {"NoiDungBoSung": "Đã bổ sung CCCD"}).json()["error_code"] == 1


def test_a_withdrawal_made_on_the_portal_is_applied_once_with_the_portals_date(world: World, portal: Client) -> None:
    dossier = _filed(world, "G-12", Status.PROCESSING)
    body = {"MaYeuCau": "RUT-1", "LyDo": "Không còn nhu cầu", "NgayYeuCau": "20260602100000"}

    first = _send(portal, "G-12", "withdrawal", body)
    again = _send(portal, "G-12", "withdrawal", body)
    other = _send(portal, "G-12", "withdrawal", {"LyDo": "Rút lần nữa"})  # already withdrawn

    assert (first.json()["error_code"], first.json()["status"]) == (0, Status.WITHDRAWN)
    assert again.json()["error_code"] == 1
    assert other.json()["error_code"] == 1
    withdraw = dossier.events.get(action="withdraw")
    assert withdraw.data["request"] == {"channel": "online", "requested_at": "2026-06-02T10:00:00+07:00"}
    assert InboundRequest.objects.count() == 1


def test_a_request_to_stop_made_on_the_portal_is_recorded_for_the_one_stop_unit_which_issues_form_05(
    world: World, portal: Client
) -> None:
    dossier = _filed(world, "G-13", Status.PROCESSING)

    first = _send(portal, "G-13", "stop-request", {"LyDo": "Không còn nhu cầu", "NgayYeuCau": "20260602100000"})
    again = _send(portal, "G-13", "stop-request", {"LyDo": "Không còn nhu cầu", "NgayYeuCau": "20260602100000"})

    # Recorded, not stopped: the one-stop unit checks and issues the notice.
    assert (first.json()["error_code"], first.json()["status"]) == (0, Status.PROCESSING)
    assert again.json()["error_code"] == 1
    assert stop_request_of(world.refresh(dossier)) == {
        "channel": "online",
        "requested_at": "2026-06-02T10:00:00+07:00",
        "reason": "Không còn nhu cầu",
    }
    notice = ds.dossier_stop(dossier=world.refresh(dossier), actor=world.reception)
    assert notice.form == "05"
    assert form_context(world.refresh(dossier), "05")["requested_date"] == "02/06/2026"
    # Stopped, a later request to stop changes nothing.
    assert _send(portal, "G-13", "stop-request", {"LyDo": "Lần nữa"}).json()["error_code"] == 1


@pytest.mark.parametrize(
    ("status", "kind", "body", "http", "code"),
    [
        (Status.PROCESSING, "supplement", {"NoiDungBoSung": "x"}, 409, "transition_not_allowed"),
        (Status.SUBMITTED, "stop-request", {"LyDo": "Dừng"}, 409, "transition_not_allowed"),
        (Status.PROCESSED, "withdrawal", {"LyDo": "Rút"}, 409, "result_exists"),
        (Status.PROCESSED, "stop-request", {"LyDo": "Dừng"}, 409, "result_exists"),
        (Status.PROCESSING, "stop-request", {"LyDo": ""}, 422, "reason_required"),
        (Status.PROCESSING, "withdrawal", {"LyDo": "x" * 2001}, 422, "validation_error"),
        (Status.PROCESSING, "withdrawal", {"LyDo": "Rút", "NgayYeuCau": "02/06/2026"}, 422, "invalid_date"),
        (Status.PROCESSING, "withdrawal", "{not json", 400, "invalid_json"),
    ],
)
def test_a_request_the_dossier_cannot_take_or_a_bad_body_is_refused_precisely_and_nothing_is_stored(
    world: World, portal: Client, status: Status, kind: str, body: Any, http: int, code: str
) -> None:
    dossier = _filed(world, "G-14", status)
    before = snapshot(dossier.pk)

    response = _send(portal, "G-14", kind, body)

    assert (response.status_code, response.json()["code"]) == (http, code), response.content
    assert snapshot(dossier.pk) == before
    assert not InboundRequest.objects.exists()


def test_a_request_on_a_dossier_the_portal_never_delivered_is_not_found(world: World, portal: Client) -> None:
    walk_in = world.register(at=RECEIVED)  # MotCua's own dossier: the portal does not know it

    for code in ("NOPE", walk_in.code):
        response = _send(portal, code, "withdrawal", {"LyDo": "Rút"})
        assert (response.status_code, response.json()["code"]) == (404, "dossier_not_found")
    assert world.refresh(walk_in).status == Status.RECEIVED


def test_a_supplement_whose_file_cannot_be_fetched_changes_nothing_and_may_be_delivered_again(
    world: World, portal: Client, simulator: PortalSimulator
) -> None:
    dossier = _filed(world, "G-15", Status.RETURNED_FOR_COMPLETION)
    before = snapshot(dossier.pk)
    body = {"TaiLieuNop": [{"TenTepDinhKem": "ban-sao.pdf", "DuongDanTaiTepTin": simulator.file_url("s2")}]}

    missing = _send(portal, "G-15", "supplement", body)
    assert (missing.status_code, missing.json()["code"]) == (422, "attachment_unavailable")
    assert snapshot(dossier.pk) == before
    assert not DossierComponent.objects.filter(dossier=dossier, name="ban-sao.pdf").exists()
    assert not InboundRequest.objects.exists()

    simulator.files["s2"] = pdf_bytes()
    assert _send(portal, "G-15", "supplement", body).json()["error_code"] == 0


def test_another_connected_system_may_not_deliver_the_portals_requests(world: World) -> None:
    dossier = _filed(world, "G-16", Status.PROCESSING)
    payments = Client(headers={"Authorization": f"Bearer {bearer_token(world.payments)}"})

    response = _send(payments, "G-16", "withdrawal", {"LyDo": "Rút"})

    assert response.status_code == 403
    assert world.refresh(dossier).status == Status.PROCESSING


# ---------------------------------------------------------------- pulled from the portal


def _listed(code: str, kind: str, at: str, **fields: Any) -> dict[str, Any]:
    return {"MaHoSo": code, "LoaiYeuCau": kind, "NgayYeuCau": at, **fields}


def test_the_pull_job_applies_each_request_made_on_the_portal_once(
    world: World, simulator: PortalSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    completing = _filed(world, "P-20", Status.RETURNED_FOR_COMPLETION)
    withdrawing = _filed(world, "P-21", Status.PROCESSING)
    stopping = _filed(world, "P-22", Status.RECEIVED)
    finished = _filed(world, "P-23", Status.PROCESSED)
    simulator.filings += [{"MaHoSo": code} for code in ("P-20", "P-21", "P-22", "P-23")]
    simulator.files["b1"] = pdf_bytes()
    file = {"TenTepDinhKem": "bo-sung.pdf", "DuongDanTaiTepTin": simulator.file_url("b1")}
    simulator.make_request(_listed("P-20", "BoSung", "20260602080000", NoiDungBoSung="Bổ sung", TaiLieuNop=[file]))
    simulator.make_request(_listed("P-21", "RutHoSo", "20260602090000", LyDo="Nộp nhầm"))
    simulator.make_request(_listed("P-22", "DungXuLy", "20260602093000", LyDo="Không cần nữa"))
    simulator.make_request(_listed("P-23", "RutHoSo", "20260602100000", LyDo="Muộn rồi"))
    conf = load()

    first = pull_requests(PortalClient(conf), conf)
    again = pull_requests(PortalClient(conf), conf)

    assert (first.received, first.repeated, first.refused) == (3, 0, ["P-23: result_exists"])
    assert (again.received, again.repeated) == (0, 3)
    assert world.refresh(completing).status == Status.SUBMITTED
    assert completing.components.get(name="bo-sung.pdf").sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert world.refresh(withdrawing).status == Status.WITHDRAWN
    assert stop_request_of(world.refresh(stopping))["requested_at"] == "2026-06-02T09:30:00+07:00"  # type: ignore[index]
    assert world.refresh(finished).status == Status.PROCESSED
    assert "result_exists" in caplog.text
    assert InboundRequest.objects.count() == 3


def test_a_pull_asks_only_from_shortly_before_the_last_request_applied(
    world: World, simulator: PortalSimulator
) -> None:
    _filed(world, "P-30", Status.PROCESSING)
    simulator.filings.append({"MaHoSo": "P-30"})
    simulator.make_request(_listed("P-30", "DungXuLy", "20260610080000", LyDo="Dừng"))
    conf = load()

    pull_requests(PortalClient(conf), conf)
    pull_requests(PortalClient(conf), conf)

    # The first pull asks for everything; the next from a day before the request applied.
    assert simulator.listings == [("LayDanhSachYeuCauHoSo", ""), ("LayDanhSachYeuCauHoSo", "20260609080000")]


def test_the_simulator_refuses_a_malformed_request_and_a_pull_skips_a_malformed_listing(
    world: World, simulator: PortalSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    dossier = _filed(world, "P-40", Status.PROCESSING)
    simulator.filings.append({"MaHoSo": "P-40"})
    for bad in (
        _listed("P-40", "Khac", "20260602080000"),  # no such kind
        _listed("P-40", "DungXuLy", "20260602080000"),  # a stop gives its reason
        _listed("P-40", "RutHoSo", "2026-06-02", LyDo="Rút"),  # not yyyyMMddHHmmss
        _listed("NOT-FILED", "RutHoSo", "20260602080000", LyDo="Rút"),
        _listed("P-40", "RutHoSo", "20260602080000", LyDo="Rút", TaiLieuNop=[{"TenTepDinhKem": "x.pdf"}]),
    ):
        with pytest.raises(ValueError):
            simulator.make_request(bad)
    assert simulator.requests == []
    # What a portal might still list: garbage next to a good request.
    simulator.requests += [cast(dict[str, Any], "not an object"), _listed("P-40", "Khac", "20260602080000")]
    simulator.make_request(_listed("P-40", "RutHoSo", "20260602090000", LyDo="Rút"))
    conf = load()

    result = pull_requests(PortalClient(conf), conf)

    assert (result.received, len(result.refused)) == (1, 2)
    assert world.refresh(dossier).status == Status.WITHDRAWN
    assert "validation_error" in caplog.text


def test_a_failed_listing_of_requests_applies_nothing_and_is_tried_again(
    world: World, simulator: PortalSimulator
) -> None:
    dossier = _filed(world, "P-50", Status.PROCESSING)
    simulator.filings.append({"MaHoSo": "P-50"})
    simulator.make_request(_listed("P-50", "RutHoSo", "20260602090000", LyDo="Rút"))
    conf = load()

    for kind in ("5xx", "garbage"):
        simulator.fail("LayDanhSachYeuCauHoSo", kind)
        with pytest.raises(PortalError):
            pull_requests(PortalClient(conf), conf)
        assert world.refresh(dossier).status == Status.PROCESSING

    assert pull_requests(PortalClient(conf), conf).received == 1


def test_the_delivery_pass_pulls_a_filing_and_its_withdrawal_in_one_pass(
    world: World, simulator: PortalSimulator, settings: Any
) -> None:
    settings.NATIONAL_PORTAL = {**settings.NATIONAL_PORTAL, "PULL": True}
    simulator.filings.append(
        {
            "MaHoSo": "R-60",
            "MaTTHC": world.procedure.procedure.code,
            "MaCoQuan": world.centre.code,
            "ChuHoSo": world.citizen_person.full_name,
            "SoGiayToChuHoSo": world.citizen_person.id_number,
            "NgayNopHoSo": "20260601080000",
        }
    )
    simulator.make_request(_listed("R-60", "RutHoSo", "20260601090000", LyDo="Nộp nhầm"))

    call_command("run_connectors", "--once")
    call_command("run_connectors", "--once")

    dossier = Dossier.objects.get(external_id="R-60")
    assert dossier.status == Status.WITHDRAWN
    assert dossier.events.filter(action="withdraw").count() == 1


def test_a_listed_request_reads_its_kind_and_fields_from_the_one_mapping() -> None:
    request = request_from_record(_listed("X-1", "DungXuLy", "20260602080000", LyDo="Dừng", MaYeuCau="YC-9"))

    assert (request.kind, request.external_id, request.text) == ("stop", "X-1", "Dừng")
    assert request.requested_at == datetime(2026, 6, 2, 8, tzinfo=vn(2026, 1, 1).tzinfo)
    assert request.key == "stop:YC-9"
    with pytest.raises(InvalidInput) as caught:
        request_from_record(_listed("X-1", "Khac", "20260602080000"))
    assert caught.value.code == "validation_error"
