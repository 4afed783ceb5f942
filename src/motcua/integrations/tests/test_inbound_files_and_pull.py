"""Dossiers filed on the national portal bring their files, fetched over HTTP from the portal
(its simulator here) and checked like any upload; deployments the portal does not push to pull
the filings instead, and a filing received twice is one dossier."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.api.tests.support import bearer_token
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierComponent, OnlineSource, Status
from motcua.integrations.models import InboundDossier
from motcua.integrations.national_portal.client import PortalClient
from motcua.integrations.national_portal.conf import load
from motcua.integrations.national_portal.inbound import pull_filings
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.testing.files import pdf_bytes, zip_bytes

URL = "/api/v1/integrations/national-portal/dossiers"


def _record(world: Any, code: str, files: list[tuple[str, str]], **overrides: Any) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "MaTTHC": world.procedure.procedure.code,
        "MaCoQuan": world.centre.code,
        "ChuHoSo": world.citizen_person.full_name,
        "SoGiayToChuHoSo": world.citizen_person.id_number,
        "NgayNopHoSo": "20260601080000",
        "TaiLieuNop": [{"TenTepDinhKem": name, "DuongDanTaiTepTin": url} for name, url in files],
        **overrides,
    }


@pytest.fixture
def portal(world: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {bearer_token(world.portal)}"})


def _push(portal: Client, body: dict[str, Any]) -> Any:
    return portal.post(URL, json.dumps(body), content_type="application/json")


def test_a_pushed_filing_brings_its_files_fetched_from_the_portal_and_stored_privately(
    world: Any, portal: Client, simulator: PortalSimulator
) -> None:
    data = pdf_bytes(pages=2)
    simulator.files["f1"] = data

    response = _push(portal, _record(world, "G-1", [("to-khai.pdf", simulator.file_url("f1"))]))

    assert response.status_code == 201
    component = DossierComponent.objects.get(dossier__code=response.json()["code"])
    assert (component.file_name, component.content_type, component.size_bytes) == (
        "to-khai.pdf",
        "application/pdf",
        len(data),
    )
    assert component.sha256 == hashlib.sha256(data).hexdigest()
    assert component.digitized
    stored_name = component.file.name or ""
    assert stored_name.startswith("dossiers/")
    assert "to-khai" not in stored_name
    with component.file.open("rb") as stored:
        assert stored.read() == data


@pytest.mark.parametrize(
    ("prepare", "code"),
    [
        (lambda sim: sim.files.update(f1=zip_bytes()), "upload_refused"),
        (lambda sim: None, "attachment_unavailable"),  # the portal has no such file (404)
        (lambda sim: (sim.files.update(f1=pdf_bytes()), sim.fail("files", "5xx")), "attachment_unavailable"),
        (lambda sim: (sim.files.update(f1=pdf_bytes()), sim.fail("files", "timeout")), "attachment_unavailable"),
    ],
)
def test_a_filing_whose_file_cannot_be_fetched_or_is_not_a_paper_is_refused_and_nothing_is_stored(
    world: Any, portal: Client, simulator: PortalSimulator, prepare: Any, code: str
) -> None:
    prepare(simulator)

    response = _push(portal, _record(world, "G-2", [("to-khai.pdf", simulator.file_url("f1"))]))

    assert response.status_code in (400, 422)
    assert response.json()["code"] == code
    assert not Dossier.objects.exists()
    assert not InboundDossier.objects.exists()


def test_a_file_at_an_address_other_than_the_portal_is_not_fetched(
    world: Any, portal: Client, simulator: PortalSimulator
) -> None:
    response = _push(portal, _record(world, "G-3", [("to-khai.pdf", "http://169.254.169.254/latest/meta-data")]))

    assert response.json()["code"] == "attachment_url_not_allowed"
    assert not Dossier.objects.exists()


def test_a_supplement_made_on_the_portal_brings_its_file(
    world: Any, portal: Client, simulator: PortalSimulator
) -> None:
    created = _push(portal, _record(world, "G-4", [])).json()
    dossier = Dossier.objects.get(code=created["code"])
    # Waiting for reception, it is returned for completion (Form 02), never received yet.
    ds.dossier_return_for_completion(dossier=dossier, actor=world.reception, reason="Thiếu bản sao", items=["Bản sao"])
    simulator.files["s1"] = pdf_bytes()

    response = portal.post(
        f"{URL}/G-4/supplement",
        {"TaiLieuNop": [{"TenTepDinhKem": "ban-sao.pdf", "DuongDanTaiTepTin": simulator.file_url("s1")}]},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    added = dossier.components.get(name="ban-sao.pdf")
    assert added.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()


def test_the_pull_job_receives_each_filing_once_and_logs_a_malformed_one(
    world: Any, simulator: PortalSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    simulator.files["p1"] = pdf_bytes()
    simulator.filings += [
        _record(world, "P-1", [("don.pdf", simulator.file_url("p1"))]),
        _record(world, "P-2", [], NgayNopHoSo="20260602090000"),
        _record(world, "P-3", [], SoGiayToChuHoSo=""),
    ]
    conf = load()
    client = PortalClient(conf)

    first = pull_filings(client, conf)
    again = pull_filings(client, conf)

    assert (first.received, first.repeated, first.refused) == (2, 0, ["P-3: applicant_id_required"])
    assert (again.received, again.repeated) == (0, 1)  # P-2 listed again (look-back), P-1 too old
    assert sorted(Dossier.objects.values_list("external_id", flat=True)) == ["P-1", "P-2"]
    pulled = Dossier.objects.get(external_id="P-1")
    assert (pulled.status, pulled.online_source) == (Status.SUBMITTED, OnlineSource.NATIONAL_PORTAL)
    assert pulled.components.get().sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert "applicant_id_required" in caplog.text


def test_a_second_pull_asks_only_from_shortly_before_the_last_filing_received(
    world: Any, simulator: PortalSimulator
) -> None:
    simulator.filings.append(_record(world, "P-9", [], NgayNopHoSo="20260610080000"))
    simulator.filings.append(_record(world, "P-OLD", [], NgayNopHoSo="20260601080000"))
    conf = load()
    pull_filings(PortalClient(conf), conf)  # first pull: everything listed
    simulator.filings.append(_record(world, "P-OLDER", [], NgayNopHoSo="20260501080000"))

    second = pull_filings(PortalClient(conf), conf)

    assert second.received == 0  # a filing dated long before the last one is not listed again
    assert not Dossier.objects.filter(external_id="P-OLDER").exists()


def test_run_connectors_pulls_when_told_to(world: Any, simulator: PortalSimulator, settings: Any) -> None:
    settings.NATIONAL_PORTAL = {**settings.NATIONAL_PORTAL, "PULL": True}
    simulator.filings.append(_record(world, "R-1", []))

    call_command("run_connectors", "--once")
    call_command("run_connectors", "--once")

    assert Dossier.objects.filter(external_id="R-1").count() == 1


def test_a_pull_the_portal_fails_or_garbles_receives_nothing_and_stores_nothing(
    world: Any, simulator: PortalSimulator
) -> None:
    simulator.filings.append(_record(world, "F-1", []))
    conf = load()
    from motcua.integrations.national_portal.interface import PortalError

    for kind in ("5xx", "garbage", "timeout"):
        simulator.fail("LayDanhSachHoSoTrucTuyen", kind)
        with pytest.raises(PortalError):
            pull_filings(PortalClient(conf), conf)

    assert not Dossier.objects.exists()
    assert pull_filings(PortalClient(conf), conf).received == 1
