"""The REST API root: mounts every app's router; version 1 at /api/v1/, OpenAPI at
/api/v1/openapi.json and /api/docs.

Errors always come back as JSON `{"code": <stable code>, "message": <human text>,
"details": <optional>}`; bad input is a 4xx, never a 500.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.calendars.api import router as calendar_router
from motcua.catalog.api import router as catalog_router
from motcua.dossiers.api import router as dossier_router
from motcua.exchange.api import router as exchange_router
from motcua.indicators.api import router as indicator_router
from motcua.integrations.api import router as integrations_router
from motcua.lib.errors import DomainError
from motcua.organizations.api import router as agency_router

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="MotCua API",
    version="1",
    description=(
        "MotCua, the one-stop-shop for administrative procedures: catalogue, agencies, working-time "
        "calendar and dossiers. Systems authenticate with `Authorization: Bearer <token>`; pages use "
        "the session. Every command on a dossier must send the dossier's `version` as you read it "
        "(`expected_version` in the body or the `If-Match` header): without it the answer is 428 "
        "`version_required`, and 409 `dossier_changed` if the dossier changed since. Filing and "
        "commands accept an `Idempotency-Key` header; a retry with the same key gets the stored answer."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: Any = None) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.http_status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"field": ".".join(str(part) for part in error.get("loc", [])[1:]) or None, "message": error.get("msg", "")}
        for error in exc.errors
    ]
    fields = ", ".join(d["field"] or "request" for d in details[:5])
    return _error(request, 422, "validation_error", f"The request is not valid ({fields}).", details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Log in, or send a valid bearer token.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "invalid_json" if exc.status_code == 400 else "http_error"
    return _error(request, exc.status_code, code, str(exc))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return _error(request, 500, "server_error", "Something went wrong on our side; it has been logged.")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, vs in request.GET.lists() for v in vs):
        return True
    if request.content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    return False


def _refuse_nul(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No field accepts a NUL character, and PostgreSQL cannot even compare text with one
    (it raises DataError), so such input is refused before it reaches a query."""

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _has_nul(request):
            return _error(request, 422, "invalid_characters", "The request contains a NUL character (U+0000).")
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(_refuse_nul, mode="view")


def _mount() -> None:
    api.add_router("/calendar", calendar_router)
    api.add_router("/", catalog_router)
    api.add_router("/agencies", agency_router)
    api.add_router("/dossiers", dossier_router)
    api.add_router("/indicators", indicator_router)
    api.add_router("/exchange", exchange_router)
    api.add_router("/integrations", integrations_router)
    # Keep this one last: Django tries URL patterns in order, so it only answers paths no
    # router above knows, with the JSON error every API answer promises instead of an HTML page.
    api.add_router("/", _unknown_path_router())


def _unknown_path_router() -> Router:
    router = Router(tags=["errors"])

    @router.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:path}", auth=None, include_in_schema=False)
    def unknown_path(request: HttpRequest, path: str) -> HttpResponse:
        return _error(request, 404, "not_found", f"The API has no endpoint /{path}.")

    return router


_mount()
