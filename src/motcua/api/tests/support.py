"""Helpers for the HTTP-level tests: one logged-in client per persona of the test world.

Humans (citizens, officers) use the session, as the pages do; connected systems (the
national portal connector) use a bearer token, as the API contract says.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from motcua.api.services import api_token_create
from motcua.organizations.actors import Actor


def session_client(actor: Actor) -> Client:
    """A test client logged in (session) as the user behind `actor`."""
    client = Client()
    assert actor.user_id is not None, "a person or system with a user account"
    client.force_login(get_user_model().objects.get(pk=actor.user_id))
    return client


def session_headers(actor: Actor) -> dict[str, str]:
    """Headers that carry a logged-in session of the user behind `actor` and a matching CSRF
    pair, for calls made outside Django's test client (the fuzzed contract tests)."""
    from django.conf import settings

    csrf = "c" * 32  # the CSRF secret: the cookie and the header must agree
    session = session_client(actor).cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }


def bearer_token(actor: Actor, name: str = "test token", **options: Any) -> str:
    """A fresh API token of `actor`'s connected system, recorded under the user behind it."""
    assert actor.user_id is not None, "a person or system with a user account"
    user = get_user_model().objects.get(pk=actor.user_id)
    _, secret = api_token_create(system=actor.system, name=name, user=user, **options)
    return secret


def bearer_client(actor: Actor) -> Client:
    return Client(headers={"Authorization": f"Bearer {bearer_token(actor)}"})


def read_version(code: str) -> int:
    """The version a client reads in the dossier's detail, to send back with a command."""
    from motcua.dossiers.models import Dossier

    return int(Dossier.objects.values_list("row_version", flat=True).get(code=code))


def with_version(code: str, body: dict[str, Any]) -> dict[str, Any]:
    """A command's body carrying the dossier's current version (`expected_version`)."""
    return {"expected_version": read_version(code), **body}


def client_for(world: Any, persona: str) -> Client:
    """The client a persona of the world uses: anonymous, a system token, or a session."""
    if persona == "anonymous":
        return Client()
    actor: Actor = getattr(world, persona)
    return bearer_client(actor) if actor.system else session_client(actor)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Every error is JSON `{"code", "message"}` with a non-empty human message."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("code"), str)
    assert body["code"]
    assert isinstance(body.get("message"), str)
    assert body["message"].strip()
    if code is not None:
        assert body["code"] == code, body
    return body
