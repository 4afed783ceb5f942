"""Draft services: one draft per citizen and procedure, papers replaced or refused per slot,
stored files deleted only once the change is committed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import Dossier
from motcua.lib.errors import InvalidInput
from motcua.portal.models import Draft, DraftFile
from motcua.portal.services import draft_create, draft_delete, draft_save, draft_submit
from motcua.portal.tests.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _storage() -> Any:
    return DraftFile._meta.get_field("file").storage


def _birth_certificate(version: Any) -> Any:
    return version.documents.get(name="Giấy chứng sinh")


def test_a_citizen_has_one_draft_per_procedure(world: Any, eform_procedure: Any) -> None:
    first = draft_create(owner=world.citizen_person, version=eform_procedure)

    assert draft_create(owner=world.citizen_person, version=eform_procedure).pk == first.pk
    assert Draft.objects.count() == 1


def test_a_procedure_not_offered_online_has_no_draft(world: Any, eform_procedure: Any) -> None:
    eform_procedure.online_level = "none"

    with pytest.raises(InvalidInput) as caught:
        draft_create(owner=world.citizen_person, version=eform_procedure)

    assert caught.value.code == "not_online"


def test_a_new_paper_replaces_the_old_one_whose_file_goes_after_the_commit(
    world: Any, eform_procedure: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = draft_create(owner=world.citizen_person, version=eform_procedure)
    slot = _birth_certificate(eform_procedure)
    draft_save(draft=draft, form_data={}, uploads={slot: pdf_upload("a.pdf")})
    old = DraftFile.objects.get(draft=draft).file.name

    with django_capture_on_commit_callbacks(execute=True):
        draft_save(draft=draft, form_data={}, uploads={slot: pdf_upload("b.pdf")})

    assert DraftFile.objects.get(draft=draft).file_name == "b.pdf"
    assert not _storage().exists(old)


def test_a_refused_paper_leaves_the_slot_as_it_was_and_the_rest_is_saved(world: Any, eform_procedure: Any) -> None:
    draft = draft_create(owner=world.citizen_person, version=eform_procedure)
    slot = _birth_certificate(eform_procedure)
    draft_save(draft=draft, form_data={}, uploads={slot: pdf_upload("a.pdf")})
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")

    refused = draft_save(draft=draft, form_data={"ho_ten": "Bé"}, uploads={slot: exe})

    assert refused[slot.pk].code == "upload_refused"
    assert DraftFile.objects.get(draft=draft).file_name == "a.pdf"
    assert Draft.objects.get(pk=draft.pk).form_data == {"ho_ten": "Bé"}


def test_deleting_a_draft_deletes_its_files_once_committed(
    world: Any, eform_procedure: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = draft_create(owner=world.citizen_person, version=eform_procedure)
    draft_save(draft=draft, form_data={}, uploads={_birth_certificate(eform_procedure): pdf_upload()})
    stored = DraftFile.objects.get(draft=draft).file.name
    assert _storage().exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        draft_delete(draft=draft)

    assert not Draft.objects.exists()
    assert not _storage().exists(stored)


def test_a_draft_without_its_mandatory_papers_is_not_filed(world: Any) -> None:
    draft = draft_create(owner=world.citizen_person, version=world.procedure)

    with pytest.raises(InvalidInput) as caught:
        draft_submit(draft=draft, actor=world.citizen, applicant=world.citizen_person)

    assert caught.value.code == "documents_missing"
    assert Draft.objects.filter(pk=draft.pk).exists()
    assert not Dossier.objects.exists()
