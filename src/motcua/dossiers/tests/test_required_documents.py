"""A dossier is filed with the mandatory papers its procedure version lists, whatever the
channel: the portal and the counter ask for them on their pages, the services refuse a dossier
without them, so the API gets the same answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.api.tests.support import assert_error, bearer_client, session_client
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.lib.errors import InvalidInput

DECLARATION = "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"
ID_COPY = "Bản chụp giấy tờ tùy thân"


def _body(world: Any, components: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure": world.procedure.procedure.code,
        "channel": "online",
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "components": components,
    }
    return {**body, **changes}


def test_the_api_refuses_an_online_dossier_without_a_mandatory_paper(world: Any) -> None:
    client = session_client(world.citizen)

    response = client.post("/api/v1/dossiers", _body(world, [{"name": DECLARATION}]), content_type="application/json")

    body = assert_error(response, 422, "documents_missing")
    assert [item["name"] for item in body["details"]["missing"]] == [ID_COPY]
    assert not Dossier.objects.exists()


def test_the_api_refuses_a_counter_dossier_without_a_mandatory_paper(world: Any) -> None:
    client = session_client(world.reception)
    body = _body(world, [{"name": ID_COPY}], channel="counter", receiving_agency=world.centre.code)

    response = client.post("/api/v1/dossiers", body, content_type="application/json")

    assert [item["name"] for item in assert_error(response, 422, "documents_missing")["details"]["missing"]] == [
        DECLARATION
    ]
    assert not Dossier.objects.exists()


def test_the_api_files_a_dossier_whose_papers_are_named_or_referenced(world: Any) -> None:
    id_copy = world.procedure.documents.get(name=ID_COPY)
    components = [{"name": DECLARATION}, {"name": "Căn cước", "required_document_id": id_copy.pk}]

    response = bearer_client(world.portal).post(
        "/api/v1/dossiers",
        _body(world, components, source="national_portal", external_id="G-1"),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert sorted(c["name"] for c in response.json()["components"]) == ["Căn cước", DECLARATION]


def test_a_paper_marked_not_provided_does_not_count(world: Any) -> None:
    components = [
        ds.ComponentIn(name=doc.name, required_document_id=doc.pk, provided=doc.name != ID_COPY)
        for doc in world.procedure.documents.all()
    ]
    with pytest.raises(InvalidInput) as caught:
        world.register(components=components)
    assert caught.value.code == "documents_missing"


def test_an_optional_paper_may_be_left_out(world: Any) -> None:
    world.procedure.documents.filter(name=ID_COPY).update(requirement="optional")

    dossier = world.submit(components=[ds.ComponentIn(name=DECLARATION)])

    assert list(dossier.components.values_list("name", flat=True)) == [DECLARATION]


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf"), "too_large"),
        (SimpleUploadedFile("virus.exe", b"MZ" + b"\0" * 64, "application/x-msdownload"), "archive_or_program"),
    ],
)
def test_the_services_refuse_an_attached_file_that_is_too_large_or_of_another_type(
    world: Any, upload: Any, reason: str
) -> None:
    papers = world.papers()
    papers[1].file, papers[1].content_type = upload, upload.content_type

    with pytest.raises(InvalidInput) as caught:
        world.register(components=papers)

    assert caught.value.code == "upload_refused"
    assert caught.value.details["reason"] == reason
    assert not Dossier.objects.exists()


def test_a_component_cannot_name_a_document_of_another_procedure(world: Any) -> None:
    papers = world.papers()
    papers[0].required_document_id = world.procedure.documents.order_by("-pk").first().pk + 1000

    with pytest.raises(InvalidInput) as caught:
        world.register(components=papers)

    assert caught.value.code == "unknown_required_document"
