"""Bearer-token API requests take the lean handler of `config/wsgi.py` (no session, CSRF,
locale, messages or lockout middleware); everything else takes the full chain. Both answer
the same, and both keep the security headers."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from motcua.api.tests.support import bearer_token, session_headers
from motcua.config import wsgi
from motcua.dossiers.models import Status


def _call(method: str, path: str, headers: dict[str, str], body: Any = None) -> tuple[int, dict[str, str], Any]:
    factory = RequestFactory(headers=headers)
    if method == "GET":
        environ = factory.get(path).environ
    else:
        environ = factory.post(path, json.dumps(body), content_type="application/json").environ
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *args: Any) -> None:
        answer["status"] = int(status.split(" ", 1)[0])
        answer["headers"] = {k.lower(): v for k, v in response_headers}

    chunks = wsgi.application(environ, start_response)
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return answer["status"], answer["headers"], json.loads(content) if content else None


def test_only_bearer_api_requests_take_the_lean_chain() -> None:
    assert wsgi.is_token_api_request({"PATH_INFO": "/api/v1/dossiers", "HTTP_AUTHORIZATION": "Bearer mc_x"})
    assert not wsgi.is_token_api_request({"PATH_INFO": "/api/v1/dossiers"})
    assert not wsgi.is_token_api_request({"PATH_INFO": "/can-bo/", "HTTP_AUTHORIZATION": "Bearer mc_x"})
    lean, full = set(wsgi._token_api.middleware), set(settings.MIDDLEWARE)
    assert full - lean == wsgi.TOKEN_API_SKIPS
    assert "django.contrib.sessions.middleware.SessionMiddleware" in wsgi.TOKEN_API_SKIPS
    assert "motcua.config.middleware.RateLimitMiddleware" in lean


def test_a_token_command_answers_through_the_lean_chain_without_a_cookie(in_process_wsgi: Any) -> None:
    world = in_process_wsgi
    dossier = world.submit(actor=world.portal, source="national_portal")
    token = bearer_token(world.portal)
    path = f"/api/v1/dossiers/{dossier.code}"
    status, headers, detail = _call("GET", path, {"Authorization": f"Bearer {token}"})
    assert status == 200, detail
    assert "set-cookie" not in headers
    assert headers["cache-control"] == "no-store"
    assert "content-security-policy" in headers
    body = {"expected_version": detail["version"], "reason": "Không còn nhu cầu"}
    translation.activate("en")  # as a page served by this thread just before might have left it
    status, _, answer = _call("POST", f"{path}/withdraw", {"Authorization": f"Bearer {token}"}, body)
    assert status == 200, answer
    assert answer["status"] == "withdrawn"
    with translation.override(settings.LANGUAGE_CODE):
        assert answer["status_label"] == str(Status.WITHDRAWN.label)  # the default language, not "en"
    translation.deactivate()


def test_a_wrong_token_is_401_not_a_server_error_on_the_lean_chain(in_process_wsgi: Any) -> None:
    status, _, body = _call("GET", "/api/v1/dossiers", {"Authorization": "Bearer mc_not-a-token"})
    assert status == 401, body
    assert body["code"] == "unauthenticated"


def test_a_session_request_still_takes_the_full_chain(in_process_wsgi: Any) -> None:
    world = in_process_wsgi
    headers = session_headers(world.reception)
    status, _, body = _call("GET", "/api/v1/dossiers", headers)
    assert status == 200, body
    dossier = world.submit()
    status, _, refused = _call("POST", f"/api/v1/dossiers/{dossier.code}/receive", {"Cookie": headers["Cookie"]}, {})
    assert status == 403  # a session without the CSRF header: the full chain's checks apply
    assert refused["message"]
