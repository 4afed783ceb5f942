"""Tokens of connected systems: one system each, scoped to actions and agencies, expiring,
revocable, made and revoked by an administrator; payments are checked against the fee due."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.api.models import ApiToken
from motcua.api.services import api_token_create, api_token_revoke
from motcua.api.tests.support import assert_error, bearer_token, session_client, with_version
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.lib.errors import InvalidInput
from motcua.testing.world import ANY_HOUR_REASON, World


def _client(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    """POST a filing, or a command on a dossier read at its current version."""
    parts = path.split("/")  # "", "api", "v1", "dossiers", <code>, <action>
    if len(parts) == 6:
        body = with_version(parts[4], body)
    return client.post(path, body, content_type="application/json")


def _awaiting_payment(world: World, **submit: Any) -> Dossier:
    dossier = world.submit(**submit) if submit else world.register()
    if submit:
        ds.dossier_receive(dossier=dossier, actor=world.reception, outside_hours_reason=ANY_HOUR_REASON)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    ds.dossier_request_payment(dossier=dossier, actor=world.leader)
    return world.refresh(dossier)


def _from_portal(world: World) -> Dossier:
    return world.submit(actor=world.portal, source="national_portal")


def test_the_national_portal_may_not_withdraw_a_walk_in_dossier(world: Any) -> None:
    walk_in = world.register()
    portal = _client(bearer_token(world.portal))
    assert_error(_post(portal, f"/api/v1/dossiers/{walk_in.code}/withdraw", {}), 404, "dossier_not_found")
    assert world.refresh(walk_in).status == "received"
    delivered = _from_portal(world)
    assert _post(portal, f"/api/v1/dossiers/{delivered.code}/withdraw", {}).status_code == 200


def test_the_national_portal_files_online_dossiers_as_itself(world: Any) -> None:
    body = {
        "procedure": "2.000488",
        "channel": "online",
        "source": "portal",
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "components": [{"name": p.name, "required_document_id": p.required_document_id} for p in world.papers()],
    }
    response = _post(_client(bearer_token(world.portal)), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    assert response.json()["online_source"] == "national_portal"


def test_the_national_portal_may_not_confirm_a_payment_even_on_its_own_dossier(world: Any) -> None:
    dossier = _awaiting_payment(world, actor=world.portal, source="national_portal")
    portal = _client(bearer_token(world.portal))
    response = _post(portal, f"/api/v1/dossiers/{dossier.code}/confirm_payment", {"amount_vnd": dossier.fee_vnd})
    assert_error(response, 403, "forbidden")


def test_a_payment_of_1_vnd_against_the_fee_due_is_refused(world: Any) -> None:
    dossier = _awaiting_payment(world)
    assert dossier.fee_vnd == 200_000
    payments = _client(bearer_token(world.payments))
    path = f"/api/v1/dossiers/{dossier.code}/confirm_payment"
    for amount in (1, 199_999, 200_001):
        body = assert_error(_post(payments, path, {"amount_vnd": amount, "online": True}), 422, "amount_not_fee_due")
        assert body["details"] == {"amount_vnd": amount, "due_vnd": 200_000}
    assert world.refresh(dossier).status == "awaiting_payment"
    assert _post(payments, path, {"amount_vnd": 200_000, "online": True}).status_code == 200
    assert world.refresh(dossier).paid_vnd == 200_000


def test_an_officer_too_confirms_only_the_fee_due(world: Any) -> None:
    dossier = _awaiting_payment(world)
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_confirm_payment(dossier=dossier, actor=world.reception, amount_vnd=50_000)
    assert caught.value.code == "amount_not_fee_due"


def test_a_token_applies_only_the_actions_it_was_given(world: Any) -> None:
    dossier = _from_portal(world)
    narrow = _client(bearer_token(world.portal, scopes=["submit", "resubmit"]))
    assert_error(_post(narrow, f"/api/v1/dossiers/{dossier.code}/withdraw", {}), 403, "forbidden")
    assert narrow.get(f"/api/v1/dossiers/{dossier.code}").json()["allowed_actions"] == []


def test_a_token_cannot_be_given_an_action_its_system_does_not_have(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        api_token_create(system="national_portal", name="x", scopes=["confirm_payment"])
    assert caught.value.code == "scope_not_allowed"
    with pytest.raises(InvalidInput) as unknown:
        api_token_create(system="", name="x")
    assert unknown.value.code == "unknown_system"


def test_a_token_limited_to_agencies_sees_and_acts_only_on_their_dossiers(world: Any) -> None:
    dossier = _awaiting_payment(world)  # received by H99.01, settled by H99.10
    path = f"/api/v1/dossiers/{dossier.code}"
    commune_only = _client(bearer_token(world.payments, agencies=[world.commune]))
    assert_error(commune_only.get(path), 404, "dossier_not_found")
    assert commune_only.get("/api/v1/dossiers").json()["items"] == []
    assert_error(_post(commune_only, f"{path}/confirm_payment", {"amount_vnd": 200_000}), 404, "dossier_not_found")
    province_alone = _client(bearer_token(world.payments, agencies=[world.province], include_subtree=False))
    assert_error(province_alone.get(path), 404, "dossier_not_found")
    province_subtree = _client(bearer_token(world.payments, agencies=[world.province]))
    assert province_subtree.get(path).status_code == 200
    assert _post(province_subtree, f"{path}/confirm_payment", {"amount_vnd": 200_000}).status_code == 200


def test_an_expired_token_is_refused(world: Any) -> None:
    secret = bearer_token(world.portal)
    client = _client(secret)
    assert client.get("/api/v1/dossiers").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    from motcua.api.grants import forget_tokens

    forget_tokens()
    assert_error(client.get("/api/v1/dossiers"), 401, "unauthenticated")


def test_a_token_expires_within_a_year(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        api_token_create(system="payment_platform", name="x", expires_at=timezone.now() + timedelta(days=400))
    assert caught.value.code == "invalid_token_expiry"
    token, _ = api_token_create(system="payment_platform", name="x")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)


def test_a_token_look_up_is_cached_and_revocation_applies_at_once(world: Any) -> None:
    secret = bearer_token(world.payments)
    client = _client(secret)
    assert client.get("/api/v1/agencies").status_code == 200
    client.get("/api/v1/dossiers")  # loads the token
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/dossiers").status_code == 200
    assert not [q for q in queries.captured_queries if "api_apitoken" in q["sql"]]
    api_token_revoke(token=ApiToken.objects.get())
    assert_error(client.get("/api/v1/dossiers"), 401, "unauthenticated")


def test_the_last_use_of_a_token_is_written_at_most_once_a_minute(world: Any) -> None:
    from motcua.api.grants import forget_tokens
    from motcua.api.services import api_token_touch

    token, _ = api_token_create(system="payment_platform", name="PayGov")
    first = timezone.now()
    api_token_touch(token_id=token.pk, at=first)
    api_token_touch(token_id=token.pk, at=first + timedelta(seconds=59))
    token.refresh_from_db()
    assert token.last_used_at == first
    api_token_touch(token_id=token.pk, at=first + timedelta(seconds=61))
    token.refresh_from_db()
    assert token.last_used_at == first + timedelta(seconds=61)
    forget_tokens()


def test_a_token_of_a_system_is_recorded_under_its_service_account(world: Any) -> None:
    token, secret = api_token_create(system="payment_platform", name="PayGov")
    assert token.user.username == "system-payment_platform"
    assert not token.user.has_usable_password()
    dossier = _awaiting_payment(world)
    response = _post(_client(secret), f"/api/v1/dossiers/{dossier.code}/confirm_payment", {"amount_vnd": 200_000})
    assert response.status_code == 200, response.content
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None
    assert (event.actor_id, event.actor_role) == (token.user.pk, "system")


# ---------------------------------------------------------------- the command


def test_the_command_creates_lists_and_revokes_tokens(world: Any) -> None:
    out = StringIO()
    call_command(
        "api_token",
        "create",
        "--system",
        "payment_platform",
        "--name",
        "PayGov",
        "--agency",
        "H99",
        "--days",
        "30",
        stdout=out,
    )
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.digest == ApiToken.hash(secret)
    assert secret not in {token.digest, token.prefix}
    assert [a.code for a in token.agencies.all()] == ["H99"]
    assert token.scopes == ["confirm_payment"]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)

    listing = StringIO()
    call_command("api_token", "list", stdout=listing)
    assert token.prefix in listing.getvalue()
    assert secret not in listing.getvalue()
    assert "agencies=H99" in listing.getvalue()

    call_command("api_token", "revoke", token.prefix, stdout=StringIO())
    assert ApiToken.objects.get().revoked_at is not None
    assert_error(_client(secret).get("/api/v1/dossiers"), 401, "unauthenticated")
    hidden = StringIO()
    call_command("api_token", "list", stdout=hidden)
    assert token.prefix not in hidden.getvalue()


def test_the_command_refuses_an_action_outside_the_system(world: Any) -> None:
    with pytest.raises(CommandError, match="scope_not_allowed"):
        call_command(
            "api_token",
            "create",
            "--system",
            "national_portal",
            "--name",
            "x",
            "--scope",
            "confirm_payment",
            stdout=StringIO(),
        )
    assert not ApiToken.objects.exists()


# ---------------------------------------------------------------- the administrator's page


def _superuser() -> Client:
    user = get_user_model().objects.create_superuser(username="root", password="x", email="root@example.vn")
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_page_creates_a_token_shows_its_secret_once_lists_and_revokes_it(world: Any) -> None:
    client = _superuser()
    response = client.post(
        "/admin/api/apitoken/add/",
        {"name": "Cổng DVCQG", "system": "national_portal", "scopes": ["submit", "withdraw"], "include_subtree": "on"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.scopes == ["submit", "withdraw"]
    shown = [str(m) for m in response.context["messages"]]
    [secret] = [m.rsplit(" ", 1)[-1] for m in shown if "only this once" in m]
    assert token.digest == ApiToken.hash(secret)
    assert _client(secret).get("/api/v1/dossiers").status_code == 200

    listing = client.get("/admin/api/apitoken/").content.decode()
    assert token.prefix in listing
    assert secret not in listing
    assert secret not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()

    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert ApiToken.objects.get().revoked_at is not None
    assert_error(_client(secret).get("/api/v1/dossiers"), 401, "unauthenticated")


def test_the_admin_page_refuses_an_action_outside_the_system(world: Any) -> None:
    response = _superuser().post(
        "/admin/api/apitoken/add/", {"name": "x", "system": "payment_platform", "scopes": ["withdraw"]}
    )
    assert response.status_code == 200
    assert "Not an action of this system" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_officer_without_admin_rights_cannot_open_the_token_page(world: Any) -> None:
    response = session_client(world.reception).get("/admin/api/apitoken/")
    assert response.status_code in {302, 403}


def test_the_admin_page_refuses_an_expiry_in_the_past_or_beyond_a_year(world: Any) -> None:
    client = _superuser()
    for moment in (timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=400)):
        response = client.post(
            "/admin/api/apitoken/add/",
            {"name": "x", "system": "payment_platform", "expires_at": moment.strftime("%Y-%m-%d %H:%M:%S")},
        )
        assert response.status_code == 200
        assert "within a year" in response.content.decode()
    assert not ApiToken.objects.exists()
