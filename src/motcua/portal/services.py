"""Writes for online-submission drafts (hồ sơ nháp): start, save, submit, delete.

A draft belongs to the citizen who started it and becomes a dossier through `dossier_submit`
(which checks, as for every channel, that the mandatory papers are there). Files leave the
storage only once the transaction that forgot them has committed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction

from motcua.catalog.models import CompetentLevel, ProcedureVersion, RequiredDocument
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.lib.errors import DomainError, InvalidInput, TooManyRequests
from motcua.lib.files import display_name
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency
from motcua.people.models import Person
from motcua.portal.models import Draft, DraftFile


def _forget_files(names: list[str | None]) -> None:
    """Delete stored files after the commit (a rolled-back change keeps them)."""
    storage = DraftFile._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def draft_create(*, owner: Person, version: ProcedureVersion) -> Draft:
    """Start `owner`'s draft of `version`, or give back the one already started."""
    if version.online_level == "none":
        raise InvalidInput("This procedure is not offered online; file it at the counter.", code="not_online")
    draft = Draft.objects.filter(owner=owner, version=version).first()
    if draft is not None:
        return draft
    if Draft.objects.filter(owner=owner).count() >= settings.CITIZEN_LIMITS["MAX_OPEN_DRAFTS"]:
        raise TooManyRequests("This person has too many open drafts.", code="too_many_drafts")
    return Draft.objects.create(owner=owner, version=version)


@transaction.atomic
def draft_save(
    *,
    draft: Draft,
    form_data: dict[str, Any],
    settling_agency: Agency | None = None,
    remove: list[RequiredDocument] | None = None,
    uploads: dict[RequiredDocument, Any] | None = None,
) -> dict[int, DomainError]:
    """Keep the e-form data, the chosen commune (commune-level procedures) and the papers.

    `remove` drops the uploaded paper of those slots; `uploads` puts a new file in a slot
    (replacing the one there). A file that is refused leaves its slot as it was; the rest of
    the draft is saved anyway, and the refusals come back by required document id.
    """
    draft.form_data = form_data
    if draft.version.competent_level == CompetentLevel.COMMUNE:
        draft.settling_agency = settling_agency
    draft.save()
    refused: dict[int, DomainError] = {}
    for doc in remove or []:
        _draft_file_drop(draft, doc)
    for doc, upload in (uploads or {}).items():
        try:
            checked = ds.upload_check(file=upload)
        except DomainError as error:
            refused[doc.pk] = error
            continue
        _draft_file_drop(draft, doc)
        DraftFile.objects.create(
            draft=draft,
            required_document=doc,
            file=upload,
            file_name=display_name(upload.name or ""),
            content_type=checked.content_type,
            size_bytes=checked.size_bytes,
        )
    return refused


def _draft_file_drop(draft: Draft, doc: RequiredDocument) -> None:
    old = DraftFile.objects.filter(draft=draft, required_document=doc)
    names: list[str | None] = list(old.values_list("file", flat=True))
    old.delete()
    _forget_files(names)


def draft_submit(*, draft: Draft, actor: Actor, applicant: Person) -> Dossier:
    """File the draft as an online dossier; the draft and its stored files go away."""
    version = draft.version
    components = [
        ds.ComponentIn(name=doc.name, required_document_id=doc.pk, digitized=True)
        for doc in version.documents.filter(e_form=True)
        if version.e_form_schema
    ]
    uploads = list(draft.files.select_related("required_document"))
    for upload in uploads:
        upload.file.open("rb")
        components.append(
            ds.ComponentIn(
                name=upload.required_document.name,
                required_document_id=upload.required_document_id,
                file=File(upload.file, name=upload.file_name),
                file_name=upload.file_name,
                content_type=upload.content_type,
            )
        )
    with transaction.atomic():
        dossier = ds.dossier_submit(
            actor=actor,
            version=version,
            applicant=applicant,
            settling_agency=draft.settling_agency,
            form_data=draft.form_data,
            components=components,
        )
        draft_delete(draft=draft)
    return dossier


@transaction.atomic
def draft_delete(*, draft: Draft) -> None:
    """Forget the draft and, once committed, its uploaded files."""
    names: list[str | None] = list(draft.files.values_list("file", flat=True))
    draft.delete()
    _forget_files(names)
