"""Sign-in protection: failed sign-ins throttled per account and per address, a password
policy that refuses what others know about the user, officers signed out when idle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

PASSWORD = "motcua-test-pass"  # the personas' password (motcua.testing.world)


def _sign_in(username: str, password: str, address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def test_it_refuses_an_account_after_five_failed_sign_ins_even_with_the_right_password(world: Any) -> None:
    for attempt in range(4):
        assert _sign_in("citizen", "wrong", address=f"10.0.1.{attempt}").status_code == 200
    assert _sign_in("citizen", "wrong", address="10.0.1.9").status_code == 429  # the fifth locks
    refused = _sign_in("citizen", PASSWORD, address="10.0.2.1")
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session


def test_it_refuses_an_address_after_five_failed_sign_ins_whatever_the_account(world: Any) -> None:
    for username in ("reception", "specialist", "leader", "manager", "nobody"):
        _sign_in(username, "wrong", address="10.0.3.3")
    assert _sign_in("citizen", PASSWORD, address="10.0.3.3").status_code == 429
    # The same account from another address still signs in.
    assert _sign_in("citizen", PASSWORD, address="10.0.4.4").status_code == 302


def test_a_successful_sign_in_before_the_limit_resets_the_count(world: Any) -> None:
    for _ in range(4):
        _sign_in("citizen", "wrong")
    assert _sign_in("citizen", PASSWORD).status_code == 302
    for _ in range(4):
        _sign_in("citizen", "wrong")
    assert _sign_in("citizen", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("001090123456", "password_contains_id_number"),
        ("Xx-001090123456-yY", "password_contains_id_number"),
        ("my-citizen-secret", "password_contains_username"),
        ("password123", "password_too_common"),
        ("short1!", "password_too_short"),
    ],
)
def test_the_password_policy_refuses_what_others_know(world: Any, password: str, code: str) -> None:
    user = get_user_model().objects.get(pk=world.citizen.user_id)
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=user)
    assert code in {error.code for error in refused.value.error_list}


def test_the_password_policy_accepts_a_long_unrelated_password(world: Any) -> None:
    user = get_user_model().objects.get(pk=world.citizen.user_id)
    validate_password("ruong-lua-chin-vang-2026", user=user)


def _signed_in(actor: Any) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=actor.user_id))
    return client


START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_an_officer_is_signed_out_after_thirty_idle_minutes(world: Any) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(world.specialist)
        assert client.get(reverse("portal:queue")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("portal:queue")).status_code == 200  # activity keeps the session
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("portal:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_administrator_is_signed_out_after_thirty_idle_minutes(world: Any) -> None:
    user = get_user_model().objects.create_superuser("root", "root@example.vn", "x")
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.force_login(user)
        assert client.get("/admin/").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/admin/").status_code == 302


def test_a_citizen_stays_signed_in_after_an_idle_hour(world: Any) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(world.citizen)
        assert client.get(reverse("portal:my")).status_code == 200
        clock.shift(timedelta(hours=1))
        assert client.get(reverse("portal:my")).status_code == 200
