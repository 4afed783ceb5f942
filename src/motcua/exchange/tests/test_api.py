"""/api/v1/exchange: import for administrators, streamed export for administrators and managers."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.models import Dossier


def _client(world: Any, actor: Any) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=actor.user_id))
    return client


def test_an_administrator_imports_a_body_and_gets_the_report(world: Any, exported: list[str]) -> None:
    body = "".join(exported[:3]) + "not json\n"

    response = _client(world, world.admin).post(
        "/api/v1/exchange/import", data=body.encode(), content_type="application/x-ndjson"
    )

    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["imported"], report["failed"]) == (3, 1)
    assert report["errors"][0]["line"] == 4


def test_an_administrator_imports_an_upload(world: Any, exported: list[str]) -> None:
    upload = SimpleUploadedFile("d.jsonl", "".join(exported[:2]).encode(), content_type="application/x-ndjson")

    response = _client(world, world.admin).post("/api/v1/exchange/import", data={"file": upload})

    assert response.status_code == 200, response.content
    assert response.json()["imported"] == 2


def test_only_administrators_import(world: Any, exported: list[str]) -> None:
    response = _client(world, world.manager).post(
        "/api/v1/exchange/import", data=exported[0].encode(), content_type="application/x-ndjson"
    )
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_an_empty_import_is_a_clear_error(world: Any) -> None:
    response = _client(world, world.admin).post(
        "/api/v1/exchange/import", data=b"", content_type="application/x-ndjson"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "empty_import"


def test_export_streams_the_lines_to_managers_of_the_agency(world: Any, exported: list[str]) -> None:
    from motcua.exchange.importer import import_lines

    import_lines(exported)
    response = _client(world, world.manager).get("/api/v1/exchange/export", {"agency": "H99"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]  # a StreamingHttpResponse
    assert body == "".join(sorted(exported, key=lambda line: json.loads(line)["code"]))


def test_a_manager_cannot_export_everything_and_others_not_at_all(world: Any) -> None:
    assert _client(world, world.manager).get("/api/v1/exchange/export").status_code == 403
    assert _client(world, world.specialist).get("/api/v1/exchange/export").status_code == 403
    assert _client(world, world.admin).get("/api/v1/exchange/export", {"agency": "Z00"}).status_code == 404
