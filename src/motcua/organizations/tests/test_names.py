"""Names are kept as written on the identity card, in Vietnamese order (family, middle, given),
and shown that way everywhere."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.lib.errors import InvalidInput
from motcua.lib.names import given_name
from motcua.organizations.actors import actor_for
from motcua.organizations.models import UserName
from motcua.organizations.selectors import user_full_name
from motcua.organizations.services import user_set_full_name

MIGRATION = "motcua.organizations.migrations.0003_username_full_name_as_on_the_id_card"


def test_an_officer_s_full_name_is_kept_as_written_on_the_id_card(world: Any) -> None:
    user = get_user_model().objects.get(pk=world.reception.user_id)

    user_set_full_name(user=user, full_name="  Tôn Nữ   Thị Minh Khai ")

    assert user_full_name(user) == "Tôn Nữ Thị Minh Khai"
    assert actor_for(user).name == "Tôn Nữ Thị Minh Khai"
    assert given_name(user_full_name(user)) == "Khai"
    # Django's own fields mirror it the way Django reads them (first name = given name).
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Khai", "Tôn Nữ Thị Minh")


def test_it_refuses_an_empty_full_name(world: Any) -> None:
    user = get_user_model().objects.get(pk=world.reception.user_id)

    with pytest.raises(InvalidInput) as error:
        user_set_full_name(user=user, full_name="   ")

    assert error.value.code == "full_name_required"


def test_a_citizen_without_a_recorded_name_is_named_as_in_the_population_record(world: Any) -> None:
    user = get_user_model().objects.get(pk=world.citizen.user_id)
    UserName.objects.filter(user=user).delete()

    assert user_full_name(user) == "Nguyễn Văn An"


def test_the_migration_reads_django_s_fields_as_given_then_family_names(db: Any) -> None:
    # How the demo loader stored its officers before: first_name the given name.
    user = get_user_model().objects.create_user(username="old.officer", first_name="Nhung", last_name="Lê Thị Hồng")

    importlib.import_module(MIGRATION).record_full_names(django_apps, None)

    assert UserName.objects.get(user=user).full_name == "Lê Thị Hồng Nhung"
    assert user_full_name(user) == "Lê Thị Hồng Nhung"


def test_the_page_header_names_the_signed_in_officer_in_vietnamese_order(world: Any) -> None:
    user = get_user_model().objects.get(pk=world.reception.user_id)
    user_set_full_name(user=user, full_name="Lê Thị Hồng Nhung")
    client = Client()
    client.force_login(user)

    page = client.get("/can-bo/").content.decode()

    assert "(Lê Thị Hồng Nhung)" in page
    assert "Nhung Lê Thị Hồng" not in page
