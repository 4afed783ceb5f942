"""Citizens' files are never public: random stored names, no URL, sent only to who may see the dossier."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.storage import Storage, default_storage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import clear_url_caches, reverse

from motcua.api.tests.support import client_for
from motcua.dossiers import services as ds
from motcua.dossiers.models import DossierComponent
from motcua.lib.files import send_file
from motcua.testing import files
from motcua.testing.world import ANY_HOUR_REASON

pytestmark = pytest.mark.django_db

ORIGINAL = 'CCCD "mặt trước"\r\n.pdf'


def _dossier_with_scan(world: Any) -> tuple[Any, DossierComponent]:
    dossier = ds.dossier_register(
        actor=world.reception,
        version=world.procedure,
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        outside_hours_reason=ANY_HOUR_REASON,
        components=[*world.papers(), ds.ComponentIn(name="CCCD", file=files.upload(ORIGINAL, files.pdf_bytes()))],
    )
    return dossier, DossierComponent.objects.get(dossier=dossier, name="CCCD")


def test_a_scan_is_stored_under_a_random_name_with_the_original_kept_as_metadata(world: Any) -> None:
    _dossier, component = _dossier_with_scan(world)
    stored = Path(str(component.file.name))
    assert stored.parts[0] == "dossiers"
    assert len(stored.name) == 32
    assert "CCCD" not in str(component.file.name)
    assert component.file_name == 'CCCD "mặt trước".pdf'  # control characters dropped


@pytest.fixture
def debug_urls(settings: Any) -> Any:
    """The URLs as `make run` builds them (MOTCUA_DEBUG on), where media used to be served."""
    import motcua.config.urls as urls

    settings.DEBUG = True
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(urls)
    clear_url_caches()


def test_the_stored_files_have_no_url_and_no_route(world: Any, debug_urls: Any) -> None:
    _dossier, component = _dossier_with_scan(world)
    with pytest.raises(ValueError, match="no public URL"):
        default_storage.url(str(component.file.name))
    for prefix in ("/media/", "/"):
        response = Client().get(prefix + str(component.file.name))
        assert response.status_code == 404
        assert files.pdf_bytes() not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.parametrize("persona", ["citizen", "reception", "specialist"])
def test_who_may_see_the_dossier_gets_the_file_with_its_original_name(persona: str, world: Any, login: Any) -> None:
    dossier, component = _dossier_with_scan(world)
    if persona == "specialist":
        ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception)
    response = login(getattr(world, persona)).get(reverse("portal:component-file", args=[dossier.code, component.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''" + quote('CCCD "mặt trước".pdf')
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", ["other_citizen", "outsider", "tax_specialist"])
def test_who_may_not_see_the_dossier_gets_404(persona: str, world: Any, login: Any) -> None:
    dossier, component = _dossier_with_scan(world)
    response = login(getattr(world, persona)).get(reverse("portal:component-file", args=[dossier.code, component.pk]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(world: Any) -> None:
    dossier, component = _dossier_with_scan(world)
    response = Client().get(reverse("portal:component-file", args=[dossier.code, component.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_nginx_gets_the_transfer_after_the_check(world: Any, login: Any, settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "FILE_SENDING": "nginx", "FILE_INTERNAL_URL": "/_protected/"}
    dossier, component = _dossier_with_scan(world)
    url = reverse("portal:component-file", args=[dossier.code, component.pk])
    response = login(world.citizen).get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected/" + str(component.file.name)
    assert response.content == b""
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert "X-Accel-Redirect" not in login(world.other_citizen).get(url)


def test_apache_gets_the_transfer_after_the_check(world: Any, login: Any, settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "FILE_SENDING": "apache"}
    dossier, component = _dossier_with_scan(world)
    response = login(world.reception).get(reverse("portal:component-file", args=[dossier.code, component.pk]))
    assert response["X-Sendfile"] == str(Path(settings.MEDIA_ROOT) / str(component.file.name))
    assert response.content == b""


class _FakeS3(Storage):
    """Only what send_file asks of django-storages' S3Storage: no local path, signed URLs."""

    bucket_name = "motcua"

    def __init__(self) -> None:
        self.asked: dict[str, Any] = {}

    def path(self, name: str) -> str:
        raise NotImplementedError

    def url(self, name: str | None, parameters: Any = None, expire: Any = None, http_method: Any = None) -> str:
        self.asked = {"name": name, "parameters": parameters, "expire": expire}
        return f"https://s3.example/{name}?X-Amz-Expires={expire}&X-Amz-Signature=x"


def test_on_s3_the_file_is_given_by_a_short_signed_url_only_when_the_view_sends_it(settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "FILE_SENDING": "nginx", "FILE_URL_EXPIRE": 30}
    storage = _FakeS3()
    field = FileField(storage=storage)
    field.name = "file"
    stored = FieldFile(None, field, "dossiers/2026/06/" + "a" * 32)  # type: ignore[arg-type]  # no instance needed to name a file
    response = send_file(stored, filename="cccd.pdf", content_type="application/pdf", inline=True)
    assert response.status_code == 302
    assert response["Location"].startswith("https://s3.example/dossiers/2026/06/")
    assert storage.asked["expire"] == 30
    assert storage.asked["parameters"]["ResponseContentDisposition"] == 'inline; filename="cccd.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_the_api_never_gives_a_file_path_or_url(world: Any) -> None:
    dossier, component = _dossier_with_scan(world)
    body = client_for(world, "reception").get(f"/api/v1/dossiers/{dossier.code}").content.decode()
    assert str(component.file.name) not in body
