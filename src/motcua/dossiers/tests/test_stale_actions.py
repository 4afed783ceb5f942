"""Stale actions are refused: an action carries the version of the dossier it was read at;
on a dossier that changed since, it answers a conflict naming who changed it and when."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.api.tests.support import assert_error, session_client
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, IdempotencyRecord, Status
from motcua.dossiers.tests.states import ACT_AT, T0, snapshot, vn
from motcua.dossiers.workflow import Action
from motcua.lib.errors import Conflict
from motcua.testing.world import World


def _processing(world: World) -> Dossier:
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=vn(2026, 6, 1, 9, 30))
    return world.refresh(dossier)


# ---------------------------------------------------------------- the service


def test_an_action_read_at_an_older_version_is_refused_naming_who_changed_it_and_when(world: Any) -> None:
    dossier = _processing(world)  # version 2
    read_at = dossier.row_version
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve", at=vn(2026, 6, 1, 14, 5))
    fresh = world.refresh(dossier)
    before = snapshot(dossier.pk)

    with pytest.raises(Conflict) as caught:
        ds.dossier_approve(dossier=fresh, actor=world.leader, expected_version=read_at, at=ACT_AT)

    assert caught.value.code == "dossier_changed"
    assert "Phạm Minh Đức" in caught.value.message
    assert "14:05 01/06/2026" in caught.value.message
    assert caught.value.details == {
        "expected_version": read_at,
        "version": read_at + 1,
        "changed_by": "Phạm Minh Đức",
        "changed_at": "2026-06-01T14:05:00+07:00",
    }
    assert snapshot(dossier.pk) == before
    ds.dossier_approve(dossier=fresh, actor=world.leader, expected_version=read_at + 1, at=ACT_AT)
    assert world.refresh(dossier).approved_at is not None


def test_a_write_race_lost_after_reading_also_names_the_winner(world: Any) -> None:
    dossier = _processing(world)
    theirs = world.refresh(dossier)
    ds.dossier_approve(dossier=dossier, actor=world.leader, at=ACT_AT)
    with pytest.raises(Conflict) as caught:
        ds.dossier_finish(dossier=theirs, actor=world.leader, expected_version=theirs.row_version, at=ACT_AT)
    assert caught.value.details["changed_by"] == "Hoàng Văn Nam"


# ---------------------------------------------------------------- the pages


def _act(client: Client, dossier: Dossier, action: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("portal:office-act", args=[dossier.code, action]), data, follow=True)


def test_every_action_form_on_the_dossier_page_carries_the_version(world: Any) -> None:
    dossier = _processing(world)
    html = session_client(world.leader).get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()
    forms = html.count('action="/can-bo/ho-so/')
    assert forms >= 5
    assert html.count(f'<input type="hidden" name="version" value="{dossier.row_version}">') == forms


def test_a_page_action_on_a_dossier_changed_since_the_page_was_read_is_refused(world: Any) -> None:
    dossier = _processing(world)
    leader = session_client(world.leader)
    read_at = dossier.row_version  # the leader opens the page
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve")  # meanwhile

    page = _act(leader, dossier, "approve", {"version": read_at, "approve-note": ""}).content.decode()

    assert "Phạm Minh Đức" in page
    assert world.refresh(dossier).approved_at is None
    # The page shown again carries the new version: acting again, knowingly, works.
    assert f'name="version" value="{read_at + 1}"' in page
    _act(leader, dossier, "approve", {"version": read_at + 1, "approve-note": ""})
    assert world.refresh(dossier).approved_at is not None


def test_a_page_action_without_a_version_is_refused(world: Any) -> None:
    dossier = _processing(world)
    before = DossierEvent.objects.filter(dossier=dossier).count()
    page = _act(session_client(world.leader), dossier, "approve", {"approve-note": ""}).content.decode()
    assert "Trang này đã cũ" in page or "out of date" in page
    assert DossierEvent.objects.filter(dossier=dossier).count() == before


def test_a_citizen_supplement_on_a_dossier_changed_since_is_refused(world: Any) -> None:
    from motcua.portal.tests.conftest import pdf_upload

    dossier = world.register()
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    ds.dossier_request_supplement(dossier=dossier, actor=world.specialist, reason="Thiếu", items=["CCCD"])
    read_at = world.refresh(dossier).row_version
    ds.dossier_stop(
        dossier=world.refresh(dossier), actor=world.reception, reason="Công dân đề nghị dừng", channel="counter"
    )
    client = session_client(world.citizen)
    page = client.post(
        reverse("portal:my-resubmit", args=[dossier.code]),
        {"version": read_at, "name-0": "CCCD", "file-0": pdf_upload("cccd.pdf")},
        follow=True,
    ).content.decode()
    assert "Lê Thu Hà" in page  # who changed it, not merely "not allowed now"
    assert world.refresh(dossier).status == Status.STOPPED
    assert not dossier.components.filter(name="CCCD").exists()


# ---------------------------------------------------------------- the API


def _command(client: Client, dossier: Dossier, action: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(
        f"/api/v1/dossiers/{dossier.code}/{action}", body, content_type="application/json", headers=headers
    )


def test_the_api_detail_gives_the_version_to_send_back(world: Any) -> None:
    dossier = _processing(world)
    detail = session_client(world.leader).get(f"/api/v1/dossiers/{dossier.code}")
    assert detail.json()["version"] == dossier.row_version
    assert detail["ETag"] == f'"{dossier.row_version}"'


def test_an_api_command_with_an_old_expected_version_answers_409(world: Any) -> None:
    dossier = _processing(world)
    read_at = dossier.row_version
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve")
    leader = session_client(world.leader)

    body = assert_error(_command(leader, dossier, "approve", {"expected_version": read_at}), 409, "dossier_changed")
    assert body["details"]["changed_by"] == "Phạm Minh Đức"
    assert "Phạm Minh Đức" in body["message"]
    assert_error(_command(leader, dossier, "approve", {}, **{"If-Match": f'"{read_at}"'}), 409, "dossier_changed")
    assert world.refresh(dossier).approved_at is None

    done = _command(leader, dossier, "approve", {}, **{"If-Match": f'"{read_at + 1}"'})
    assert done.status_code == 200, done.content
    assert done.json()["version"] == read_at + 2


@pytest.mark.parametrize("key", [None, "approve-without-version"])
def test_an_api_command_without_a_version_answers_428_and_changes_nothing(world: Any, key: str | None) -> None:
    dossier = _processing(world)
    before = snapshot(dossier.pk)
    headers = {"Idempotency-Key": key} if key else {}
    body = assert_error(
        _command(session_client(world.leader), dossier, "approve", {"note": "Đồng ý"}, **headers),
        428,
        "version_required",
    )
    assert "expected_version" in body["message"]
    assert "If-Match" in body["message"]
    assert snapshot(dossier.pk) == before
    assert not IdempotencyRecord.objects.exists()


def test_every_api_command_requires_the_version(world: Any) -> None:
    """Checked before the dossier is even looked up: a version-less command is 428 whatever it
    names, so the answer says nothing about the dossier."""
    dossier = _processing(world)
    before = snapshot(dossier.pk)
    leader = session_client(world.leader)
    # A body valid for any command (Form 02 items, Form 04 date, a payment, a counter request, a delivery).
    valid = {
        "reason": "Lý do",
        "items": ["Tờ khai"],
        "new_due_at": "2026-07-01T09:00:00+07:00",
        "amount_vnd": 1,
        "channel": "counter",
        "delivery": "in_person",
    }
    for action in sorted(a.value for a in Action if a != Action.SUBMIT):
        assert_error(_command(leader, dossier, action, valid), 428, "version_required")
    assert_error(
        leader.post("/api/v1/dossiers/H99.01-260101-9999/approve", {}, content_type="application/json"),
        428,
        "version_required",
    )
    assert snapshot(dossier.pk) == before


def test_an_api_command_refuses_a_malformed_or_contradictory_if_match(world: Any) -> None:
    dossier = _processing(world)
    leader = session_client(world.leader)
    assert_error(_command(leader, dossier, "approve", {}, **{"If-Match": "abc"}), 422, "invalid_if_match")
    assert_error(
        _command(leader, dossier, "approve", {"expected_version": 2}, **{"If-Match": "3"}), 422, "invalid_if_match"
    )


def test_the_openapi_document_describes_the_version_of_every_command(world: Any) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/dossiers/{code}/approve"]["post"]
    assert any(p["in"] == "header" and p["name"] == "If-Match" for p in operation["parameters"])
    schema_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "expected_version" in document["components"]["schemas"][schema_ref]["properties"]
    assert {"200", "409", "428"} <= set(operation["responses"])
