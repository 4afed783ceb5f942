"""A leader assigns a dossier, where it is now, to a specialist or a division of that agency;
the status does not change, the event records it, and the assignee finds it in their queue."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.api.tests.support import assert_error, session_client
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.selectors import assigned_to, can_see, dossiers_visible_to
from motcua.dossiers.tests.states import T0, vn
from motcua.dossiers.workflow import allowed_actions
from motcua.lib.errors import Conflict, InvalidInput, PermissionDenied
from motcua.organizations.actors import actor_for
from motcua.organizations.models import Agency
from motcua.organizations.services import agency_create
from motcua.testing.world import World, _user


def _processing(world: World) -> Dossier:
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=vn(2026, 6, 1, 9, 30))
    return world.refresh(dossier)


def _division(world: World) -> Agency:
    return agency_create(
        code="H99.10.02", name="Phòng Hộ tịch", kind="division", level="province", parent=world.justice
    )


def test_a_leader_assigns_a_dossier_to_a_specialist_without_changing_its_status(world: Any) -> None:
    dossier = _processing(world)

    event = ds.dossier_assign(
        dossier=dossier, actor=world.leader, assignee="specialist", note="Xử lý gấp", expected_version=2
    )

    dossier = world.refresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert dossier.assignee_id == world.specialist.user_id
    assert dossier.assigned_unit_id is None
    assert (event.action, event.from_status, event.to_status) == ("assign", "processing", "processing")
    assert event.data == {"assignee": "specialist", "assignee_name": "Phạm Minh Đức", "note": "Xử lý gấp"}
    assert event.actor_role == "leader"
    assert list(Dossier.objects.filter(assigned_to(world.specialist))) == [dossier]
    assert not Dossier.objects.filter(assigned_to(world.leader)).exists()


def test_only_a_leader_of_the_agency_where_the_dossier_is_may_assign(world: Any) -> None:
    dossier = _processing(world)
    for actor in (world.specialist, world.outsider, world.reception):
        with pytest.raises(PermissionDenied):
            ds.dossier_assign(dossier=dossier, actor=actor, assignee="specialist")
    assert world.refresh(dossier).assignee_id is None


def test_the_assignee_must_be_an_active_specialist_of_that_agency(world: Any) -> None:
    dossier = _processing(world)
    for username in ("taxofficer", "leader", "nobody"):
        with pytest.raises(InvalidInput) as caught:
            ds.dossier_assign(dossier=dossier, actor=world.leader, assignee=username)
        assert caught.value.code == "assignee_not_specialist"
    for assignee, unit in (("", ""), ("specialist", "H99.10.02")):
        with pytest.raises(InvalidInput) as caught:
            ds.dossier_assign(dossier=dossier, actor=world.leader, assignee=assignee, unit=unit)
        assert caught.value.code == "assignee_required"
    assert DossierEvent.objects.filter(dossier=dossier, action="assign").count() == 0


def test_a_division_assignment_reaches_the_division_s_officers(world: Any) -> None:
    dossier = _processing(world)
    division = _division(world)
    clerk = actor_for(_user("hotich", "Trịnh Văn Phúc", agency=division, roles=("specialist",)))
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_assign(dossier=dossier, actor=world.leader, unit=world.tax.code)
    assert caught.value.code == "unit_not_division"

    ds.dossier_assign(dossier=dossier, actor=world.leader, unit=division.code)

    dossier = world.refresh(dossier)
    assert (dossier.assignee_id, dossier.assigned_unit_id) == (None, division.pk)
    assert list(Dossier.objects.filter(assigned_to(clerk))) == [dossier]
    assert can_see(clerk, dossier)
    assert list(dossiers_visible_to(clerk)) == [dossier]


def test_a_division_s_specialists_work_on_a_dossier_assigned_to_it_but_do_not_approve(world: Any) -> None:
    dossier = _processing(world)
    division = _division(world)
    clerk = actor_for(_user("hotich", "Trịnh Văn Phúc", agency=division, roles=("specialist",)))
    head = actor_for(_user("truongphong", "Lê Thị Hoa", agency=division, roles=("leader",)))
    assert "hand_over" not in {rule.action.value for rule in allowed_actions(dossier, clerk)}

    ds.dossier_assign(dossier=dossier, actor=world.leader, unit=division.code)
    dossier = world.refresh(dossier)
    assert "hand_over" in {rule.action.value for rule in allowed_actions(dossier, clerk)}
    assert allowed_actions(dossier, head) == []

    event = ds.dossier_hand_over(dossier=dossier, actor=clerk, to_step="approve")

    assert (event.actor_role, event.actor_agency_id) == ("specialist", world.justice.pk)
    with pytest.raises(PermissionDenied):
        ds.dossier_approve(dossier=world.refresh(dossier), actor=clerk)
    ds.dossier_approve(dossier=world.refresh(dossier), actor=world.leader)


def test_an_assignment_read_at_an_older_version_is_refused(world: Any) -> None:
    dossier = _processing(world)
    with pytest.raises(Conflict) as caught:
        ds.dossier_assign(dossier=dossier, actor=world.leader, assignee="specialist", expected_version=1)
    assert caught.value.code == "dossier_changed"


def test_a_dossier_handed_to_another_agency_leaves_its_assignment_behind(world: Any) -> None:
    dossier = _processing(world)
    ds.dossier_assign(dossier=dossier, actor=world.leader, assignee="specialist")
    dossier = world.refresh(dossier)
    ds.dossier_hand_over(dossier=dossier, actor=world.specialist, to_step="approve")
    assert world.refresh(dossier).assignee_id == world.specialist.user_id  # same agency: kept

    ds.dossier_hand_over(dossier=world.refresh(dossier), actor=world.leader, to_agency=world.tax)

    assert world.refresh(dossier).assignee_id is None


def test_the_api_assigns_with_the_version_read(world: Any) -> None:
    dossier = _processing(world)
    leader = session_client(world.leader)
    url = f"/api/v1/dossiers/{dossier.code}/assign"

    stale = leader.post(url, {"assignee": "specialist"}, content_type="application/json", headers={"If-Match": '"1"'})
    assert_error(stale, 409, "dossier_changed")
    assert_error(leader.post(url, {"expected_version": 2}, content_type="application/json"), 422, "assignee_required")
    done = leader.post(url, {"assignee": "specialist", "expected_version": 2}, content_type="application/json")

    assert done.status_code == 200, done.content
    assert done.json()["version"] == 3
    assert world.refresh(dossier).assignee_id == world.specialist.user_id
    refused = session_client(world.specialist).post(
        url, {"assignee": "specialist", "expected_version": 3}, content_type="application/json"
    )
    assert_error(refused, 403)
