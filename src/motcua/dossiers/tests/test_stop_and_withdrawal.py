"""Stopping and withdrawal (Circular 03/2025/TT-VPCP Art. 7; docs/legal-basis.md#stopping-withdrawal-and-refusal)
and the competent agency's refusal during processing, through the services and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from motcua.api.tests.support import session_client
from motcua.documents.forms import form_context
from motcua.dossiers import services as ds
from motcua.dossiers.models import Status
from motcua.dossiers.selectors import stop_request_of
from motcua.dossiers.tests.states import dossier_in, snapshot, vn
from motcua.lib.errors import Conflict, InvalidInput, TransitionNotAllowed
from motcua.testing.world import World

LATER = vn(2026, 6, 3, 9)


def test_a_citizens_request_from_the_portal_is_recorded_online_and_the_unit_then_issues_form_05(world: World) -> None:
    dossier = dossier_in(world, Status.PROCESSING)
    assert dossier is not None

    request = ds.dossier_request_stop(
        dossier=dossier, actor=world.citizen, reason="Không còn nhu cầu", channel="post", at=vn(2026, 6, 2, 20)
    )

    # The request does not stop anything: it waits for the one-stop unit's check and notice.
    assert (request.actor_role, request.form, request.to_status) == ("applicant", "", Status.PROCESSING)
    assert request.data["request"] == {"channel": "online", "requested_at": "2026-06-02T20:00:00+07:00"}
    assert stop_request_of(world.refresh(dossier)) == {
        "channel": "online",
        "requested_at": "2026-06-02T20:00:00+07:00",
        "reason": "Không còn nhu cầu",
    }

    notice = ds.dossier_stop(dossier=world.refresh(dossier), actor=world.reception, at=LATER)

    assert notice.form == "05"
    assert notice.reason == "Không còn nhu cầu"
    form = notice.data["form"]
    assert form["id_number"] == world.citizen_person.id_number
    assert form["request"] == {"channel": "online", "requested_at": "2026-06-02T20:00:00+07:00"}
    assert (form["unit"], form["signed_by"]) == (world.centre.name, world.reception.name)
    assert world.refresh(dossier).status == Status.STOPPED
    printed = form_context(world.refresh(dossier), "05")
    assert (printed["requested_date"], printed["request_channel"]) == ("02/06/2026", "trực tuyến")
    assert printed["signer_unit"] == world.centre.name.upper()


def test_a_request_from_the_national_portal_keeps_the_date_made_there_never_later_than_now(world: World) -> None:
    dossier = world.submit(actor=world.portal, source="national_portal", at=vn(2026, 6, 1, 8))
    ds.dossier_receive(dossier=dossier, actor=world.reception, at=vn(2026, 6, 1, 9))
    withdrawn = world.submit(actor=world.portal, source="national_portal", at=vn(2026, 6, 1, 8))

    stop = ds.dossier_request_stop(
        dossier=world.refresh(dossier),
        actor=world.portal,
        reason="Không còn nhu cầu",
        channel="counter",  # a connected system's request is online, whatever it says
        requested_at=vn(2026, 6, 2, 20),
        at=LATER,
    )
    ahead = ds.dossier_withdraw(dossier=withdrawn, actor=world.portal, requested_at=vn(2026, 6, 4), at=LATER)

    assert stop.data["request"] == {"channel": "online", "requested_at": "2026-06-02T20:00:00+07:00"}
    # The portal's clock ran ahead of MotCua's: recorded as made now, not refused.
    assert ahead.data["request"] == {"channel": "online", "requested_at": "2026-06-03T09:00:00+07:00"}


def test_an_officer_records_a_request_made_at_the_counter_or_by_post_with_its_date(world: World) -> None:
    dossier = dossier_in(world, Status.RECEIVED)
    assert dossier is not None
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_request_stop(dossier=dossier, actor=world.reception, reason="Đơn gửi qua bưu điện", at=LATER)
    assert caught.value.code == "request_channel_required"
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_request_stop(
            dossier=dossier, actor=world.reception, reason="Đơn", channel="post", requested_at=vn(2026, 6, 4), at=LATER
        )
    assert caught.value.code == "invalid_request_date"

    event = ds.dossier_request_stop(
        dossier=dossier, actor=world.reception, reason="Đơn", channel="post", requested_at=vn(2026, 6, 2), at=LATER
    )

    assert event.data["request"] == {"channel": "post", "requested_at": "2026-06-02T00:00:00+07:00"}
    with pytest.raises(Conflict) as again:
        ds.dossier_request_stop(dossier=world.refresh(dossier), actor=world.citizen, reason="Lần nữa", at=LATER)
    assert again.value.code == "stop_already_requested"


def test_a_stop_without_a_recorded_request_needs_the_request_now(world: World) -> None:
    dossier = dossier_in(world, Status.RECEIVED)
    assert dossier is not None
    before = snapshot(dossier.pk)

    with pytest.raises(InvalidInput) as caught:
        ds.dossier_stop(dossier=dossier, actor=world.reception, reason="Công dân đề nghị", at=LATER)

    assert caught.value.code == "stop_request_required"
    assert snapshot(dossier.pk) == before
    event = ds.dossier_stop(
        dossier=dossier, actor=world.reception, reason="Công dân đề nghị", channel="counter", at=LATER
    )
    assert event.data["request"] == {"channel": "counter", "requested_at": "2026-06-03T09:00:00+07:00"}


@pytest.mark.parametrize("status", [Status.PROCESSED, Status.RETURNED])
def test_once_a_result_exists_stop_and_withdrawal_are_refused_with_that_reason(world: World, status: Status) -> None:
    dossier = dossier_in(world, status)
    assert dossier is not None
    before = snapshot(dossier.pk)
    attempts: list[Callable[[], object]] = [
        lambda: ds.dossier_request_stop(dossier=dossier, actor=world.citizen, reason="Dừng", at=LATER),
        lambda: ds.dossier_stop(dossier=dossier, actor=world.reception, reason="Dừng", channel="counter", at=LATER),
        lambda: ds.dossier_withdraw(dossier=dossier, actor=world.citizen, at=LATER),
    ]
    for attempt in attempts:
        with pytest.raises(TransitionNotAllowed) as caught:
            attempt()
        assert caught.value.code == "result_exists"
        assert "result" in caught.value.message
    assert snapshot(dossier.pk) == before


def test_a_withdrawal_records_how_and_when_the_applicant_asked(world: World) -> None:
    online = dossier_in(world, Status.SUBMITTED)
    at_counter = dossier_in(world, Status.PROCESSING)
    assert online is not None
    assert at_counter is not None

    mine = ds.dossier_withdraw(dossier=online, actor=world.citizen, reason="Nộp nhầm", at=LATER)
    theirs = ds.dossier_withdraw(
        dossier=at_counter, actor=world.reception, reason="Đơn rút hồ sơ", channel="counter", at=LATER
    )

    assert mine.data["request"]["channel"] == "online"
    assert theirs.data["request"] == {"channel": "counter", "requested_at": "2026-06-03T09:00:00+07:00"}
    assert world.refresh(at_counter).status == Status.WITHDRAWN


def test_a_refusal_during_processing_is_the_competent_agencys_notice_not_form_03(world: World) -> None:
    intake = dossier_in(world, Status.SUBMITTED)  # checked at reception, never received
    processing = dossier_in(world, Status.PROCESSING)
    assert intake is not None
    assert processing is not None

    at_intake = ds.dossier_refuse(dossier=intake, actor=world.reception, reason="Thiếu thẩm quyền", at=LATER)
    in_processing = ds.dossier_refuse(dossier=processing, actor=world.leader, reason="Không đủ điều kiện", at=LATER)

    assert at_intake.form == "03"
    assert in_processing.form == "TC"
    notice = form_context(world.refresh(processing), "TC")
    assert notice["title"] == "Văn bản từ chối giải quyết hồ sơ thủ tục hành chính"
    assert notice["agency"]["name"] == world.justice.name.upper()
    assert (notice["signer_unit"], notice["signer"]) == (world.justice.name.upper(), world.leader.name)
    assert notice["reasons"] == "Không đủ điều kiện"
    assert notice["form_label"] == ""
    with pytest.raises(Exception, match="Form 03"):
        form_context(world.refresh(processing), "03")


def test_the_api_records_a_request_then_stops_and_answers_result_exists_after_a_result(world: World) -> None:
    dossier = dossier_in(world, Status.PROCESSING)
    finished = dossier_in(world, Status.PROCESSED)
    assert dossier is not None
    assert finished is not None
    citizen, reception = session_client(world.citizen), session_client(world.reception)

    def post(client: Any, code: str, action: str, body: dict[str, Any]) -> Any:
        return client.post(f"/api/v1/dossiers/{code}/{action}", body, content_type="application/json")

    asked = post(
        citizen, dossier.code, "request_stop", {"reason": "Không còn nhu cầu", "expected_version": dossier.row_version}
    )
    assert asked.status_code == 200, asked.content
    stopped = post(reception, dossier.code, "stop", {"expected_version": asked.json()["version"]})
    refused = post(citizen, finished.code, "withdraw", {"expected_version": finished.row_version})

    assert asked.json()["event"]["data"]["request"]["channel"] == "online"
    assert stopped.status_code == 200, stopped.content
    assert stopped.json()["status"] == "stopped"
    assert stopped.json()["event"]["form"] == "05"
    assert (refused.status_code, refused.json()["code"]) == (409, "result_exists")


def test_the_api_takes_an_officers_postal_request_with_its_date(world: World) -> None:
    dossier = dossier_in(world, Status.RECEIVED)
    assert dossier is not None

    response = session_client(world.reception).post(
        f"/api/v1/dossiers/{dossier.code}/withdraw",
        {
            "reason": "Đơn rút",
            "channel": "post",
            "requested_at": "2020-01-02T08:00:00+07:00",
            "expected_version": dossier.row_version,
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["event"]["data"]["request"] == {
        "channel": "post",
        "requested_at": "2020-01-02T08:00:00+07:00",
    }
