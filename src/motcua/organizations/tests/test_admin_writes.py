"""The Agency and Membership admin write through the services: moving an agency rewrites the
stored tree path of everything below it, so visibility follows the new tree."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from motcua.dossiers import services as ds
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.lib.errors import InvalidInput
from motcua.organizations.actors import actor_for
from motcua.organizations.models import Agency, Membership
from motcua.organizations.services import AGENCY_EDITABLE, agency_update, membership_grant
from motcua.testing.world import ANY_HOUR_REASON


def _admin_client(client: Client) -> Client:
    superuser = get_user_model().objects.create_superuser("root", "root@example.vn", "motcua-test-pass")
    client.force_login(superuser)
    return client


def _change_form(agency: Agency, **changes: Any) -> dict[str, str]:
    """The admin change form of `agency` as a browser would post it, with `changes`."""
    data: dict[str, str] = {}
    for name in AGENCY_EDITABLE:
        value = changes[name] if name in changes else getattr(agency, name)
        if isinstance(value, Agency):
            value = value.pk
        if name in {"parent", "successor"} and value is None:
            value = getattr(agency, f"{name}_id") if name not in changes else None
        if name == "working_hours":
            data[name] = json.dumps(value)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def _move_through_the_admin(client: Client, agency: Agency, parent: Agency) -> Any:
    url = reverse("admin:organizations_agency_change", args=[agency.pk])
    return client.post(url, _change_form(agency, parent=parent))


def test_moving_an_agency_in_the_admin_moves_its_whole_subtree(client: Client, world: Any) -> None:
    dossier = ds.dossier_register(
        actor=world.commune_reception,
        version=world.commune_procedure,
        applicant=world.citizen_person,
        receiving_agency=world.commune_centre,
        outside_hours_reason=ANY_HOUR_REASON,
        components=[ds.ComponentIn(name="Tờ khai")],
    )
    justice_manager = get_user_model().objects.create_user("justice_manager", password="motcua-test-pass")
    membership_grant(user=justice_manager, agency=world.justice, role="manager")
    assert not dossiers_visible_to(actor_for(justice_manager)).filter(pk=dossier.pk).exists()

    response = _move_through_the_admin(_admin_client(client), world.commune, world.justice)

    assert response.status_code == 302, response.content.decode()[:2000]
    commune = Agency.objects.get(pk=world.commune.pk)
    centre = Agency.objects.get(pk=world.commune_centre.pk)
    assert commune.parent_id == world.justice.pk
    assert commune.path == f"{world.justice.path}{commune.pk}/"
    assert centre.path == f"{world.justice.path}{commune.pk}/{centre.pk}/"
    assert dossiers_visible_to(actor_for(justice_manager)).filter(pk=dossier.pk).exists()


def test_the_admin_refuses_to_put_an_agency_under_its_own_unit(client: Client, world: Any) -> None:
    response = _move_through_the_admin(_admin_client(client), world.commune, world.commune_centre)

    assert response.status_code == 200
    assert "cannot be placed under itself" in response.content.decode()
    assert Agency.objects.get(pk=world.commune.pk).path == world.commune.path


def test_the_agency_service_refuses_a_cycle(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        agency_update(agency=world.province, changes={"parent": world.commune_centre})
    assert caught.value.code == "invalid_parent"
    assert Agency.objects.get(pk=world.province.pk).parent_id is None


def test_moving_an_agency_to_the_top_gives_it_a_root_path(world: Any) -> None:
    agency_update(agency=world.commune, changes={"parent": None})

    assert Agency.objects.get(pk=world.commune.pk).path == f"/{world.commune.pk}/"
    assert Agency.objects.get(pk=world.commune_centre.pk).path == f"/{world.commune.pk}/{world.commune_centre.pk}/"


def test_memberships_change_in_the_admin_through_the_services(client: Client, world: Any) -> None:
    admin = _admin_client(client)
    officer = get_user_model().objects.get(username="specialist")
    membership = Membership.objects.get(user=officer, agency=world.justice)
    url = reverse("admin:organizations_membership_change", args=[membership.pk])

    response = admin.post(url, {"user": officer.pk, "agency": world.construction.pk, "role": "leader"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.agency_id, membership.role, membership.active) == (world.construction.pk, "leader", False)
    assert actor_for(officer).roles == set()

    response = admin.post(reverse("admin:organizations_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_after_a_move_the_cached_tree_lookups_follow(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from motcua.organizations.selectors import agency_commune_of

    assert agency_commune_of(world.commune_centre) == world.commune  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        agency_update(agency=world.commune_centre, changes={"parent": world.justice})

    assert agency_commune_of(Agency.objects.get(pk=world.commune_centre.pk)) is None
