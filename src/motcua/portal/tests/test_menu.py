"""The header's menu offers each user the links of their active roles and shows their name in
Vietnamese order, and reads nothing the page's own actor did not already read."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.organizations.models import Membership
from motcua.organizations.services import membership_grant
from motcua.testing.world import World

pytestmark = pytest.mark.django_db

LINKS = {
    "details": "portal:profile",
    "workspace": "portal:queue",
    "counter": "portal:counter",
    "indicators": "indicators:home",
    "catalogue": "portal:catalogue",
}


def _menu(client: Client) -> tuple[set[str], str]:
    """The links the header's menu offers (by name) and the name on its sign-out button."""
    html = client.get(reverse("portal:home")).content.decode()
    nav = html[html.index('<nav aria-label="') : html.index("</nav>")]
    offered = {name for name, url in LINKS.items() if f'href="{reverse(url)}"' in nav}
    signed = re.search(r"\(([^()]*)\)\s*</button>", nav)
    return offered, signed.group(1) if signed else ""


@pytest.mark.parametrize(
    ("persona", "offered", "name"),
    [
        ("citizen", {"details"}, "Nguyễn Văn An"),
        ("reception", {"workspace", "counter"}, "Lê Thu Hà"),
        ("leader", {"workspace", "counter"}, "Hoàng Văn Nam"),
        ("manager", {"workspace", "counter", "indicators"}, "Ngô Văn Tâm"),
        ("admin", {"workspace", "counter", "indicators"}, "Quản Trị"),
    ],
)
def test_each_persona_is_offered_the_links_of_its_roles(
    world: World, login: Any, persona: str, offered: set[str], name: str
) -> None:
    assert _menu(login(getattr(world, persona))) == (offered, name)


def test_a_catalogue_manager_and_a_superuser_are_offered_the_catalogue(world: World, login: Any) -> None:
    users = get_user_model().objects
    assert world.specialist.user_id is not None
    editor = users.get(pk=world.specialist.user_id)
    membership_grant(user=editor, agency=world.province, role="catalogue")
    superuser = users.create_superuser("root", password="x")

    assert "catalogue" in _menu(login(world.specialist))[0]
    client = Client()
    client.force_login(superuser)
    assert "catalogue" in _menu(client)[0]


def test_a_visitor_is_offered_no_personal_link_and_the_header_reads_nothing_of_them(world: World) -> None:
    with CaptureQueriesContext(connection) as captured:
        offered, name = _menu(Client())

    assert (offered, name) == (set(), "")
    assert _user_reads(captured) == []


def test_an_officer_whose_roles_are_all_inactive_is_not_offered_the_officer_pages(world: World, login: Any) -> None:
    assert world.reception.user_id is not None
    Membership.objects.filter(user_id=world.reception.user_id).update(active=False)

    assert _menu(login(world.reception))[0] == set()


def test_the_header_reads_the_users_roles_person_and_name_once_per_page(world: World, login: Any) -> None:
    world.submit()
    client = login(world.reception)
    client.get(reverse("portal:queue"))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("portal:queue"))

    assert page.status_code == 200
    # The actor's three reads (active roles, citizen record, recorded name), none from the header.
    assert sorted(_user_reads(captured)) == ["organizations_membership", "organizations_username", "people_person"]


def _user_reads(captured: CaptureQueriesContext) -> list[str]:
    """The tables read by user in `captured`: roles, citizen record, recorded name."""
    return [
        table
        for query in captured.captured_queries
        for table in ("organizations_membership", "organizations_username", "people_person")
        if f'FROM "{table}"' in query["sql"] and '"user_id" =' in query["sql"]
    ]
