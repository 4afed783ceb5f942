"""Agencies: electronic codes (Decision 20/2020/QĐ-TTg Art. 4), the tree, successors (2025 mergers)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.api.tests.support import assert_error
from motcua.lib.errors import InvalidInput
from motcua.lib.ids import agency_code_error
from motcua.organizations.actors import actor_for
from motcua.organizations.models import Agency, Membership
from motcua.organizations.selectors import (
    agency_ancestors,
    agency_commune_of,
    agency_subtree,
    agency_subtree_ids,
    one_stop_unit_for,
)
from motcua.organizations.services import agency_create, agency_set_successor, membership_grant


@pytest.mark.parametrize(
    "code",
    [
        "H99",  # a level-1 group: M (A–Y) and two digits
        "A01",
        "Y99",
        "H99.01",  # left to right, as in docs/legal-basis.md#identifiers
        "H99.50.01",
        "H26.1.12345",  # groups of one to five characters
        "000.00.01.H26",  # right to left, as many provinces write them
        "G12.ABC.0Z1",
        "H99" + ".1" * 16,  # exactly 35 characters
    ],
)
def test_it_accepts_electronic_agency_codes(code: str) -> None:
    assert agency_code_error(code) is None


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("", "1 to 35"),
        ("H99" + ".1" * 16 + "2", "1 to 35"),  # 36 characters
        ("h99", "A–Z"),  # lower case
        ("H99-01", "A–Z"),
        ("H99..01", "A–Z"),
        ("H99.01.", "A–Z"),
        (".H99", "A–Z"),
        ("H99.ABCDEF", "A–Z"),  # a group of six
        ("Đ99", "A–Z"),
        ("H99 01", "A–Z"),
        ("Z99", "level-1"),  # M is A–Y
        ("H9", "level-1"),
        ("H999", "level-1"),
        ("99H", "level-1"),
        ("01.02", "level-1"),
    ],
)
def test_it_refuses_codes_outside_decision_20_2020(code: str, why: str) -> None:
    error = agency_code_error(code)
    assert error is not None
    assert why in error


def test_creating_an_agency_with_a_bad_code_is_refused(db: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        agency_create(code="h99", name="X", kind="province", level="province")
    assert caught.value.code == "invalid_agency_code"
    assert not Agency.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "ministry"}, "invalid_agency_kind"),
        ({"level": "district_x"}, "invalid_level"),
        ({"valid_from": date(2025, 7, 1), "valid_to": date(2025, 6, 30)}, "invalid_validity"),
        ({"working_hours": [["12:00", "08:00"]]}, "invalid_working_hours"),
        ({"working_hours": [["08:00", "12:00"], ["11:00", "17:00"]]}, "invalid_working_hours"),
        ({"working_hours": [["8h", "12h"]]}, "invalid_working_hours"),
        ({"working_hours": []}, "invalid_working_hours"),
    ],
)
def test_it_refuses_an_invalid_agency(db: Any, changes: dict[str, Any], code: str) -> None:
    fields: dict[str, Any] = {"code": "H98", "name": "UBND tỉnh", "kind": "province", "level": "province"}
    with pytest.raises(InvalidInput) as caught:
        agency_create(**{**fields, **changes})
    assert caught.value.code == code


def test_an_agency_code_is_used_once(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        agency_create(code="H99.10", name="Sở Tư pháp (bản sao)", kind="department", level="province")
    assert caught.value.code == "duplicate_agency_code"


# ---------------------------------------------------------------- the tree


def test_paths_follow_the_tree(world: Any) -> None:
    assert world.province.path == f"/{world.province.pk}/"
    assert world.justice.path == f"/{world.province.pk}/{world.justice.pk}/"
    assert world.commune_centre.path == f"/{world.province.pk}/{world.commune.pk}/{world.commune_centre.pk}/"
    assert Agency.objects.get(pk=world.commune_centre.pk).path == world.commune_centre.path


def test_a_subtree_holds_the_agency_and_every_unit_below(world: Any) -> None:
    assert set(agency_subtree(world.commune).values_list("code", flat=True)) == {"H99.50", "H99.50.01"}
    assert set(agency_subtree(world.justice).values_list("code", flat=True)) == {"H99.10"}
    assert agency_subtree(world.province).count() == Agency.objects.count() == 7
    assert agency_subtree_ids({world.commune.pk, world.tax.pk}) == {
        world.commune.pk,
        world.commune_centre.pk,
        world.tax.pk,
    }
    assert agency_subtree_ids(set()) == set()


def test_a_subtree_does_not_catch_a_sibling_with_a_longer_id(db: Any) -> None:
    """Paths end with a slash, so /1/2/ is not a prefix of /1/23/."""
    root = agency_create(code="H98", name="Tỉnh", kind="province", level="province")
    made = [
        agency_create(code=f"H98.{i}", name=f"Sở {i}", kind="department", level="province", parent=root)
        for i in range(25)
    ]
    first = made[0]
    assert set(agency_subtree(first).values_list("pk", flat=True)) == {first.pk}


def test_ancestors_run_from_the_root_down(world: Any) -> None:
    assert [a.code for a in agency_ancestors(world.commune_centre)] == ["H99", "H99.50", "H99.50.01"]
    assert [a.code for a in agency_ancestors(world.province)] == ["H99"]


def test_the_commune_of_an_agency(world: Any) -> None:
    assert agency_commune_of(world.commune_centre) == world.commune
    assert agency_commune_of(world.commune) == world.commune
    assert agency_commune_of(world.justice) is None


def test_the_one_stop_unit_that_receives_for_an_agency(world: Any) -> None:
    """Decree 118/2025 Art. 14: the Service Centre of the nearest level that has one."""
    assert one_stop_unit_for(world.justice) == world.centre
    assert one_stop_unit_for(world.tax) == world.centre
    assert one_stop_unit_for(world.commune) == world.commune_centre
    assert one_stop_unit_for(world.centre) == world.centre


# ---------------------------------------------------------------- successors


def test_a_merged_agency_names_its_successor(world: Any) -> None:
    """Resolution 190/2025/QH15: the successor continues the predecessor's procedures."""
    old = agency_create(code="H99.51", name="UBND xã cũ", kind="commune", level="commune", parent=world.province)
    agency_set_successor(agency=old, successor=world.commune, valid_to=date(2025, 6, 30))
    old.refresh_from_db()
    assert old.successor == world.commune
    assert old.valid_to == date(2025, 6, 30)
    assert list(world.commune.predecessors.all()) == [old]


def test_an_agency_does_not_succeed_itself(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        agency_set_successor(agency=world.commune, successor=world.commune, valid_to=date(2025, 6, 30))
    assert caught.value.code == "invalid_successor"


# ---------------------------------------------------------------- officers


def test_roles_are_granted_once_and_read_into_the_actor(world: Any) -> None:
    user = get_user_model().objects.get(pk=world.specialist.user_id)
    membership_grant(user=user, agency=world.justice, role="specialist")
    membership_grant(user=user, agency=world.centre, role="reception")
    assert Membership.objects.filter(user=user).count() == 2
    actor = actor_for(user)
    assert actor.has_role(world.centre.pk, {"reception"})
    assert actor.agency_ids({"specialist"}) == {world.justice.pk}
    assert actor.is_officer
    Membership.objects.filter(user=user, agency=world.centre).update(active=False)
    assert not actor_for(user).has_role(world.centre.pk, {"reception"})


def test_an_unknown_role_is_refused(world: Any) -> None:
    user = get_user_model().objects.get(pk=world.specialist.user_id)
    with pytest.raises(InvalidInput) as caught:
        membership_grant(user=user, agency=world.justice, role="director")
    assert caught.value.code == "invalid_role"


# ---------------------------------------------------------------- the public API


def test_the_agency_list_runs_root_first(client: Client, world: Any) -> None:
    codes = [a["code"] for a in client.get("/api/v1/agencies").json()]
    assert codes[0] == "H99"
    assert sorted(codes) == sorted(Agency.objects.values_list("code", flat=True))
    position = {code: i for i, code in enumerate(codes)}
    assert position["H99.50"] < position["H99.50.01"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "service_centre"}, {"H99.01", "H99.50.01"}),
        ({"level": "commune"}, {"H99.50", "H99.50.01"}),
        ({"parent": "H99.50"}, {"H99.50.01"}),
        ({"kind": "department", "parent": "H99"}, {"H99.10", "H99.11"}),
    ],
)
def test_the_agency_list_filters(client: Client, world: Any, params: dict[str, str], expected: set[str]) -> None:
    assert {a["code"] for a in client.get("/api/v1/agencies", params).json()} == expected


def test_current_agencies_leave_out_merged_ones(client: Client, world: Any) -> None:
    old = agency_create(code="H99.51", name="UBND xã cũ", kind="commune", level="commune", parent=world.province)
    agency_set_successor(agency=old, successor=world.commune, valid_to=date(2025, 6, 30))
    assert "H99.51" in {a["code"] for a in client.get("/api/v1/agencies").json()}
    assert "H99.51" not in {a["code"] for a in client.get("/api/v1/agencies", {"current": "true"}).json()}
    detail = client.get("/api/v1/agencies/H99.51").json()
    assert detail["successor"] == "H99.50"
    assert detail["valid_to"] == "2025-06-30"
    assert detail["parent"] == "H99"


def test_an_agency_detail_shows_its_working_hours(client: Client, world: Any) -> None:
    body = client.get("/api/v1/agencies/H99.50.01").json()
    assert body["parent"] == "H99.50"
    assert body["kind"] == "service_centre"
    assert body["working_hours"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert body["successor"] is None


def test_an_unknown_agency_is_404_json(client: Client, world: Any) -> None:
    assert_error(client.get("/api/v1/agencies/H99.99"), 404, "agency_not_found")
