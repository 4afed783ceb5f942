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
    client.force_login(get_user_model().objects.get(pk=actor.user_id))
    return client


def bearer_token(actor: Actor, name: str = "test token") -> str:
    """A fresh API token for the user behind `actor`, acting as its system if it has one."""
    user = get_user_model().objects.get(pk=actor.user_id)
    _, secret = api_token_create(user=user, name=name, system=actor.system)
    return secret


def bearer_client(actor: Actor) -> Client:
    return Client(headers={"Authorization": f"Bearer {bearer_token(actor)}"})


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
