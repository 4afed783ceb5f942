"""The same content checks at every entry point: a refused upload is told plainly and stores nothing.

Each hostile file is made in the test (see motcua.testing.files) and sent where a person or a
system can send one: the citizen's draft, the citizen's supplement, the counter's scans, the
officer's supplement scans and the API. After a refusal there is no file on disk and no row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from motcua.api.tests.support import assert_error, client_for
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierComponent, Status
from motcua.portal.models import DraftFile
from motcua.portal.tests.conftest import current_version
from motcua.portal.tests.test_citizen import VALID, _draft
from motcua.portal.tests.test_counter import _intake
from motcua.testing import files

pytestmark = pytest.mark.django_db

BIG = 64 * 1024

#: (file name, bytes, declared type, words of the Vietnamese message shown)
HOSTILE = {
    "javascript": ("to-khai.pdf", files.pdf_with_javascript(), "application/pdf", "mã lệnh"),
    "embedded-file": ("to-khai.pdf", files.pdf_with_embedded_file(), "application/pdf", "tệp đính kèm"),
    "zip-as-pdf": ("to-khai.pdf", files.zip_bytes(), "application/pdf", "tệp nén"),
    "exe-as-jpg": ("anh.jpg", files.EXE_HEADER, "image/jpeg", "chương trình"),
    "empty": ("rong.pdf", b"", "application/pdf", "Tệp rỗng"),
    "too-big": ("lon.pdf", files.pdf_bytes() + b"%" * BIG, "application/pdf", "lớn hơn"),
    "too-many-pages": ("dai.pdf", files.pdf_bytes(pages=4), "application/pdf", "nhiều hơn 3 trang"),
    "truncated-png": ("anh.png", files.image_bytes("PNG", (64, 64))[:-40], "image/png", "không đọc được"),
}


@pytest.fixture(autouse=True)
def _small_limits(settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "UPLOAD_MAX_BYTES": BIG, "UPLOAD_MAX_PAGES": 3}


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _hostile(kind: str) -> Any:
    name, content, declared, _words = HOSTILE[kind]
    return files.upload(name, content, declared)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_citizen_draft_refuses_a_hostile_upload_and_keeps_nothing(
    kind: str, world: Any, login: Any, eform_procedure: Any
) -> None:
    client, draft = _draft(login, world, eform_procedure)
    slot = eform_procedure.documents.get(name="Giấy chứng sinh")
    response = client.post(
        reverse("portal:draft", args=[draft.pk]), {**VALID, "next": "save", f"doc-{slot.pk}": _hostile(kind)}
    )
    assert response.status_code == 200
    assert HOSTILE[kind][3] in response.content.decode()
    assert not DraftFile.objects.exists()
    assert _stored_files() == []


def test_the_citizen_draft_keeps_a_real_scan_under_a_random_name_with_its_real_type(
    world: Any, login: Any, eform_procedure: Any
) -> None:
    client, draft = _draft(login, world, eform_procedure)
    slot = eform_procedure.documents.get(name="Giấy chứng sinh")
    png = files.upload("Giấy chứng sinh của bé.pdf", files.image_bytes("PNG"), "application/pdf")
    client.post(reverse("portal:draft", args=[draft.pk]), {**VALID, "next": "save", f"doc-{slot.pk}": png})
    kept = DraftFile.objects.get()
    assert (kept.file_name, kept.content_type) == ("Giấy chứng sinh của bé.pdf", "image/png")
    assert "chung" not in str(kept.file.name)
    assert "Giấy" not in str(kept.file.name)
    assert len(_stored_files()) == 1


@pytest.mark.parametrize("kind", ["javascript", "exe-as-jpg", "empty"])
def test_the_citizen_supplement_refuses_a_hostile_upload_and_keeps_nothing(kind: str, world: Any, login: Any) -> None:
    dossier = world.submit()
    ds.dossier_return_for_completion(dossier=dossier, actor=world.reception, reason="Thiếu", items=["CCCD"])
    response = login(world.citizen).post(
        reverse("portal:my-resubmit", args=[dossier.code]),
        {"version": current_version(dossier), "name-0": "CCCD", "file-0": _hostile(kind)},
        follow=True,
    )
    assert HOSTILE[kind][3] in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED_FOR_COMPLETION
    assert not DossierComponent.objects.filter(name="CCCD").exists()
    assert _stored_files() == []


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_counter_refuses_a_hostile_scan_and_receives_nothing(kind: str, world: Any, login: Any) -> None:
    docs = list(world.procedure.documents.all())
    response = login(world.reception).post(
        reverse("portal:counter-new"), _intake(world, **{f"scan-{docs[1].pk}": _hostile(kind)})
    )
    assert response.status_code == 422
    assert HOSTILE[kind][3] in response.content.decode()
    assert not Dossier.objects.exists()
    assert not DossierComponent.objects.exists()
    assert _stored_files() == []


def test_the_counter_supplement_scans_are_checked_too(world: Any, login: Any) -> None:
    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    ds.dossier_request_supplement(
        dossier=world.refresh(dossier), actor=world.specialist, reason="Thiếu", items=["Giấy A"]
    )
    response = login(world.reception).post(
        reverse("portal:office-act", args=[dossier.code, "resubmit"]),
        {
            "version": current_version(dossier),
            "resubmit-scans": [_hostile("zip-as-pdf")],
            "resubmit-note": "Nộp tại quầy",
        },
        follow=True,
    )
    assert HOSTILE["zip-as-pdf"][3] in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_REQUESTED
    assert _stored_files() == []


def _listed(world: Any) -> Dossier:
    """A dossier the national portal delivered, with a component listed without its file."""
    return world.submit(  # type: ignore[no-any-return]
        actor=world.portal,
        source="national_portal",
        components=[*world.papers(digitized=True), ds.ComponentIn(name="CCCD", file_name="cccd.pdf")],
    )


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_api_refuses_a_hostile_file_and_stores_nothing(kind: str, world: Any) -> None:
    dossier = _listed(world)
    response = client_for(world, "portal").post(
        f"/api/v1/dossiers/{dossier.code}/files", {"name": "CCCD", "file": _hostile(kind)}
    )
    body = assert_error(response, 422, "upload_refused")
    assert body["message"].startswith(HOSTILE[kind][0])
    component = DossierComponent.objects.get(dossier=dossier, name="CCCD")
    assert not component.file
    assert component.sha256 == ""
    assert _stored_files() == []


def test_the_api_stores_a_real_scan_for_a_listed_component(world: Any) -> None:
    dossier = _listed(world)
    response = client_for(world, "citizen").post(
        f"/api/v1/dossiers/{dossier.code}/files", {"name": "CCCD", "file": files.pdf_upload("cccd mặt trước.pdf")}
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf"
    component = DossierComponent.objects.get(dossier=dossier, name="CCCD")
    assert component.file
    assert component.digitized
    assert len(component.sha256) == 64
    assert component.file_name == "cccd.pdf"  # as listed when filing
    assert "cccd" not in str(component.file.name)
    assert len(_stored_files()) == 1


def test_only_the_applicant_a_system_or_the_receiving_counter_may_send_a_file(world: Any) -> None:
    dossier = _listed(world)
    for persona in ("specialist", "other_citizen"):
        response = client_for(world, persona).post(
            f"/api/v1/dossiers/{dossier.code}/files", {"name": "CCCD", "file": files.pdf_upload()}
        )
        assert response.status_code in {403, 404}, persona
    assert _stored_files() == []


def test_the_services_check_the_bytes_whatever_the_caller(world: Any) -> None:
    from motcua.lib.uploads import UploadRefused

    with pytest.raises(UploadRefused):
        ds.dossier_register(
            actor=world.reception,
            version=world.procedure,
            applicant=world.citizen_person,
            receiving_agency=world.centre,
            components=[
                ds.ComponentIn(name="Tờ khai", file=files.pdf_upload("a.pdf")),
                ds.ComponentIn(name="CCCD", file=_hostile("javascript")),
            ],
        )
    assert not Dossier.objects.exists()
    assert _stored_files() == []
