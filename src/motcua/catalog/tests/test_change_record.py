"""The catalogue editor's services: every change of a version is recorded (who, when, what),
a published version cannot be edited, publication supersedes the version in force, and an
abolition takes a decision and a date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.api.tests.support import session_client
from motcua.catalog.models import ChangeAction, ProcedureVersion, VersionChange, VersionStatus
from motcua.catalog.selectors import version_differences
from motcua.catalog.services import (
    DocumentSpec,
    FeeSpec,
    StepSpec,
    procedure_abolish,
    procedure_version_draft_from,
    procedure_version_edit,
    procedure_version_publish,
    version_documents_set,
    version_eform_set,
    version_fees_set,
    version_steps_set,
)
from motcua.lib.errors import Conflict, InvalidInput
from motcua.organizations.actors import actor_for
from motcua.organizations.services import membership_grant

pytestmark = pytest.mark.django_db

SIMPLE_FORM = {"type": "object", "properties": {"ho_ten": {"type": "string", "title": "Họ và tên"}}}


def _draft(world: Any) -> ProcedureVersion:
    return procedure_version_draft_from(version=world.procedure, by=world.admin)


def test_a_new_draft_copies_the_version_in_force_and_records_who_started_it(world: Any) -> None:
    draft = _draft(world)
    assert draft.status == VersionStatus.DRAFT
    assert draft.number == world.procedure.number + 1
    assert version_differences(world.procedure, draft) == []
    change = draft.changes.get()
    assert (change.action, change.user_id, change.actor_name) == (ChangeAction.DRAFTED, world.admin.user_id, "Quản Trị")


def test_each_edit_records_the_parts_that_changed_with_their_values_before_and_after(world: Any) -> None:
    draft = _draft(world)
    procedure_version_edit(version=draft, changes={"time_limit_amount": 7, "result_name": "Phiếu"}, by=world.admin)
    version_fees_set(version=draft, fees=[FeeSpec(name="Lệ phí", amount_vnd=50_000)], by=world.admin)
    version_documents_set(version=draft, documents=[DocumentSpec(name="Tờ khai", e_form=True)], by=world.admin)
    version_eform_set(version=draft, schema=SIMPLE_FORM, by=world.admin)
    edits = list(draft.changes.filter(action=ChangeAction.EDITED).order_by("id"))
    assert [e.changed for e in edits] == [
        ["time_limit_amount", "result_name"],
        ["fees"],
        ["documents"],
        ["e_form_schema"],
    ]
    assert edits[0].details["time_limit_amount"] == {"before": world.procedure.time_limit_amount, "after": 7}
    assert edits[1].details["fees"]["after"][0]["amount_vnd"] == 50_000
    assert all(e.user_id == world.admin.user_id and e.at <= timezone.now() for e in edits)


def test_an_edit_that_changes_nothing_records_nothing(world: Any) -> None:
    draft = _draft(world)
    procedure_version_edit(version=draft, changes={"name": draft.name}, by=world.admin)
    assert list(draft.changes.values_list("action", flat=True)) == [ChangeAction.DRAFTED]


def test_editing_the_fees_keeps_the_papers_and_the_steps(world: Any) -> None:
    draft = _draft(world)
    papers = list(draft.documents.values_list("pk", flat=True))
    steps = list(draft.steps.values_list("key", flat=True))
    version_fees_set(version=draft, fees=[], by=world.admin)
    assert list(draft.documents.values_list("pk", flat=True)) == papers
    assert list(draft.steps.values_list("key", flat=True)) == steps


def test_steps_are_checked_by_the_service(world: Any) -> None:
    draft = _draft(world)
    bad = [
        StepSpec(key="a", name="A", actor_role="specialist", budget_amount=1, budget_unit="working_days", next=["z"])
    ]
    with pytest.raises(InvalidInput) as caught:
        version_steps_set(version=draft, steps=bad, by=world.admin)
    assert "steps.a.next" in caught.value.details
    assert not draft.changes.filter(action=ChangeAction.EDITED).exists()


def test_an_invalid_e_form_is_refused(world: Any) -> None:
    draft = _draft(world)
    with pytest.raises(InvalidInput):
        version_eform_set(version=draft, schema={"type": "array"}, by=world.admin)


def test_a_published_version_cannot_be_edited(world: Any) -> None:
    with pytest.raises(Conflict) as caught:
        version_fees_set(version=world.procedure, fees=[], by=world.admin)
    assert caught.value.code == "version_not_draft"
    assert not world.procedure.changes.filter(action=ChangeAction.EDITED).exists()


def test_publishing_records_the_decision_and_supersedes_the_version_in_force(world: Any) -> None:
    old = world.procedure
    draft = _draft(world)
    procedure_version_publish(
        version=draft,
        decision_number="20/QĐ-UBND",
        decision_date=date(2026, 4, 1),
        effective_date=date(2026, 4, 15),
        by=world.admin,
    )
    old.refresh_from_db()
    assert old.status == VersionStatus.SUPERSEDED
    published = draft.changes.get(action=ChangeAction.PUBLISHED)
    assert published.details == {
        "decision_number": "20/QĐ-UBND",
        "decision_date": "2026-04-01",
        "effective_date": "2026-04-15",
    }
    superseded = old.changes.get(action=ChangeAction.SUPERSEDED)
    assert superseded.details["by_version"] == draft.number
    with pytest.raises(Conflict):
        procedure_version_publish(
            version=draft, decision_number="x", decision_date=date(2026, 4, 1), effective_date=date(2026, 4, 1)
        )


def test_a_version_cannot_take_effect_before_its_decision(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        procedure_version_publish(
            version=_draft(world),
            decision_number="20/QĐ-UBND",
            decision_date=date(2026, 4, 2),
            effective_date=date(2026, 4, 1),
        )
    assert caught.value.code == "invalid_dates"


def test_an_abolition_takes_a_decision_and_a_date_not_yet_to_come(world: Any) -> None:
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as caught:
        procedure_abolish(
            procedure=world.procedure.procedure,
            decision_number="30/QĐ-UBND",
            decision_date=today,
            effective_date=today + timedelta(days=1),
        )
    assert caught.value.code == "abolition_in_future"
    with pytest.raises(InvalidInput):
        procedure_abolish(procedure=world.procedure.procedure, decision_number=" ", decision_date=today)
    version = procedure_abolish(
        procedure=world.procedure.procedure,
        decision_number="30/QĐ-UBND",
        decision_date=today - timedelta(days=3),
        effective_date=today,
        by=world.admin,
    )
    assert version.status == VersionStatus.ABOLISHED
    assert version.changes.get(action=ChangeAction.ABOLISHED).details["effective_date"] == today.isoformat()


def test_a_change_record_is_never_changed_or_deleted(world: Any) -> None:
    change = _draft(world).changes.get()
    change.actor_name = "someone else"
    with pytest.raises(ValueError):
        change.save()
    with pytest.raises(ValueError):
        change.delete()
    assert VersionChange.objects.get(pk=change.pk).actor_name == "Quản Trị"


def test_a_catalogue_manager_may_change_the_catalogue_through_the_api_and_is_recorded(world: Any) -> None:
    user = get_user_model().objects.create_user(username="catalogue", password="motcua-test-pass")
    membership_grant(user=user, agency=world.province, role="catalogue")
    client = session_client(actor_for(user))
    response = client.post(
        f"/api/v1/procedures/{world.procedure.procedure.code}/abolish",
        {"decision_number": "31/QĐ-UBND", "decision_date": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    change = world.procedure.changes.get(action=ChangeAction.ABOLISHED)
    assert change.user_id == user.pk
    refused = session_client(world.specialist).post(
        f"/api/v1/procedures/{world.commune_procedure.procedure.code}/abolish",
        {"decision_number": "32/QĐ-UBND", "decision_date": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert refused.status_code == 403
