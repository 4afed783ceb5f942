"""No 500 for bad input anywhere: every URL pattern is walked with NUL characters in the
path and the query, every POST gets a multipart body without its boundary, every admin
changelist gets malformed filters; each answer must be below 500."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from motcua.people.models import Person

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue  # the admin is walked through its changelists below
            yield from _routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and not route.startswith("^"):
            yield prefix + route


def _fill(route: str, text: str) -> str:
    """The route with its parameters filled in: integers stay integers, text gets `text`."""

    def value(match: re.Match[str]) -> str:
        return "1" if match.group("converter") == "int" else text

    return "/" + _PARAM.sub(value, route)


ROUTES = sorted(set(_routes(get_resolver().url_patterns)))


def _clients(world: Any) -> dict[str, Client]:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name in ("citizen", "reception", "specialist"):
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(pk=getattr(world, name).user_id))
        clients[name] = client
    root = get_user_model().objects.create_superuser("root", "root@example.vn", "x")
    clients["superuser"] = Client(raise_request_exception=False)
    clients["superuser"].force_login(root)
    return clients


def _server_errors(client: Client, requests: list[tuple[str, str, dict[str, Any]]]) -> list[str]:
    failures = []
    for method, url, extra in requests:
        response = getattr(client, method)(url, **extra)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} -> {response.status_code}")
    return failures


def test_the_walk_covers_the_portal_the_api_and_the_indicators() -> None:
    assert {"tra-cuu/<str:code>/", "api/v1/dossiers/<code>/track", "indicators/<str:code>/"} <= set(ROUTES)


def test_no_url_answers_5xx_to_nul_characters_in_its_path_or_query(world: Any) -> None:
    requests: list[tuple[str, str, dict[str, Any]]] = []
    for route in ROUTES:
        requests.append(("get", _fill(route, "H99%00x"), {}))
        requests.append(("get", _fill(route, "x") + "?q=%00&code=a%00b&page=%00&seq=1%00&next=/%00", {}))
        requests.append(("post", _fill(route, "x%00"), {"data": {"code": "a\x00b", "note": "\x00"}}))
    failures = [
        f"{who}: {failure}" for who, client in _clients(world).items() for failure in _server_errors(client, requests)
    ]
    assert failures == []


def test_no_url_answers_5xx_to_junk_parameters_around_a_real_dossier(world: Any) -> None:
    code = world.submit().code
    junk = "?seq=abc&page=-1&limit=abc&cursor=@@&status=zz&due_after=not-a-date&from=31/02/2026&to=x&period=q9"
    requests: list[tuple[str, str, dict[str, Any]]] = [("get", _fill(route, code) + junk, {}) for route in ROUTES]
    requests += [
        ("post", _fill(route, code), {"data": {"reason": "x" * 5000, "seq": "abc", "sets": "-1"}}) for route in ROUTES
    ]
    failures = [
        f"{who}: {failure}" for who, client in _clients(world).items() for failure in _server_errors(client, requests)
    ]
    assert failures == []


def test_no_post_answers_5xx_to_a_multipart_body_without_boundary(world: Any) -> None:
    requests = [
        ("post", _fill(route, "x"), {"data": b"--x\r\n\r\n", "content_type": "multipart/form-data"}) for route in ROUTES
    ]
    failures = [
        f"{who}: {failure}" for who, client in _clients(world).items() for failure in _server_errors(client, requests)
    ]
    assert failures == []


def test_a_refused_request_says_why_in_both_languages_and_in_json_for_the_api(world: Any) -> None:
    page = Client().get("/tra-cuu/?code=a%00b")
    assert page.status_code == 400
    assert "NUL" in page.content.decode()
    assert "không hợp lệ" in page.content.decode()
    form = Client().post("/dang-nhap/", {"username": "citizen\x00", "password": "x"})
    assert form.status_code == 400
    api = Client().post("/api/v1/dossiers", data=b"x", content_type="multipart/form-data")
    assert api.status_code == 400
    assert api.json()["code"] == "malformed_request"


MALFORMED_FILTERS = [
    "nonexistent=1",
    "id=abc",
    "id__in=1,abc",
    "id__gt=%00",
    "pk__exact=",
    "o=zz.-99.abc",
    "p=-1",
    "p=abc",
    "e=1",
    "status__exact=%C0%AF",
    "q=%00",
    "created_at__gte=not-a-date",
    "created_at__year=abc",
    "field__id__exact=abc",
    "kind__exact[]=x",
    "all=&_popup=abc",
    "_to_field=password",
    "active__exact=maybe",
]


@pytest.mark.parametrize("query", MALFORMED_FILTERS)
def test_no_admin_changelist_answers_5xx_to_a_malformed_filter(world: Any, query: str) -> None:
    client = _clients(world)["superuser"]
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("get", f"/admin/{model._meta.app_label}/{model._meta.model_name}/?{query}", {})
        for model in admin.site._registry
    ]
    assert _server_errors(client, requests) == []


def test_a_dossier_refused_at_the_counter_leaves_no_applicant_behind(world: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(pk=world.reception.user_id))
    before = Person.objects.count()
    response = client.post(
        "/api/v1/dossiers",
        data={
            "procedure": world.commune_procedure.procedure.code,
            "channel": "counter",
            "receiving_agency": world.centre.code,
            "applicant": {"id_number": "001099000777", "full_name": "Người Mới"},
            # a commune-level procedure needs its settling commune: refused after the applicant is known
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert Person.objects.count() == before
