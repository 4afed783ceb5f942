"""Request hardening shared by every page and the API (docs/architecture.md, "Hardening").

- `RefuseMalformedRequestMiddleware`: input no view can use (a NUL character, a multipart
  body without its boundary) is answered 400 before any view or query sees it.
- `PermissionsPolicyMiddleware`: the browser features MotCua never uses are switched off.
- `OfficerIdleTimeoutMiddleware`: officers and administrators are signed out after
  `settings.OFFICER_IDLE_TIMEOUT` without a request.
- `NoStoreMiddleware`: no page or API answer is kept by browsers or shared caches.
- `RateLimitMiddleware`: requests per minute and per client address on the public
  tracking, search, e-form and feedback endpoints (`settings.RATE_LIMITS`), counted in the cache.
  A request carrying a valid API token is not counted: a connected system (the national
  portal's adapter delivers every online dossier of the province from one address) or an
  officer's desk application is known, scoped and audited by its token, not an anonymous
  client.

Refusals come back as JSON `{"code", "message"}` under /api/ (the API's error shape) and as
a short bilingual page elsewhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

Middleware = Callable[[HttpRequest], HttpResponseBase]

#: Views counted against each limit of settings.RATE_LIMITS, by their URL name.
RATE_LIMITED_VIEWS: dict[str, str] = {
    "portal:track": "tracking",
    "portal:track-code": "tracking",
    "portal:qr": "tracking",
    "api-v1:dossier_track": "tracking",
    "portal:search": "search",
    "api-v1:procedure_list": "search",
    "portal:apply": "eform",
    "portal:draft": "eform",
    "portal:draft-review": "eform",
    "api-v1:dossier_create": "eform",
    "portal:feedback-new": "feedback",
    "portal:feedback-vote": "feedback",
    "portal:feedback-track": "tracking",
    "portal:feedback-lookup": "tracking",
}

#: Refusal texts, in Vietnamese and English (the page shows both: it may be served before
#: the language of the request is known).
REFUSALS: dict[str, tuple[str, str]] = {
    "invalid_characters": (
        "Yêu cầu chứa ký tự không hợp lệ (NUL).",
        "The request contains a character that is not allowed (NUL).",
    ),
    "malformed_request": (
        "Yêu cầu không đúng định dạng.",
        "The request is malformed.",
    ),
    "rate_limited": (
        "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {seconds} giây.",
        "Too many requests. Please try again in {seconds} seconds.",
    ),
}


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `settings.PROXY_COUNT` trusted proxies
    the address the outermost of them saw (X-Forwarded-For, counted from the right)."""
    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    address: str | None = request.META.get("REMOTE_ADDR") or None  # None: unknown (axes stores NULL)
    return address


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request: HttpRequest, status: int, code: str, **values: Any) -> HttpResponse:
    vietnamese, english = (text.format(**values) for text in REFUSALS[code])
    if _is_api(request):
        return JsonResponse({"code": code, "message": english, "message_vi": vietnamese}, status=status)
    page = render_to_string("refusal.html", {"status": status, "vietnamese": vietnamese, "english": english})
    return HttpResponse(page, status=status)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


def _form_has_nul(request: HttpRequest) -> bool:
    """NUL in a submitted form field (raises MultiPartParserError for a broken multipart body)."""
    if request.method != "POST" or request.content_type not in {
        "multipart/form-data",
        "application/x-www-form-urlencoded",
    }:
        return False
    form = request.POST
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in form.lists())


class RefuseMalformedRequestMiddleware:
    """NUL characters anywhere in the URL or a form, and multipart bodies without a boundary,
    are refused before any view sees them: no field accepts NUL, and PostgreSQL cannot even
    compare text containing it (it raises DataError, which would surface as a 500).

    Forms are read only for pages, when the view is known (as the CSRF check does): the API
    reads its own body, and refuses NUL in JSON itself (motcua.api.main).
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _has_nul(request):
            # The API documents 422 for input it cannot process (motcua.api.main); pages say 400.
            return refusal(request, 422 if _is_api(request) else 400, "invalid_characters")
        if request.content_type == "multipart/form-data" and "boundary" not in (request.content_params or {}):
            return refusal(request, 400, "malformed_request")
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        if _is_api(request):
            return None
        try:
            if _form_has_nul(request):
                return refusal(request, 400, "invalid_characters")
        except MultiPartParserError:
            return refusal(request, 400, "malformed_request")
        return None


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer of the application: pages and API answers
    may carry personal data (static files are served before this runs, and keep theirs).
    An anonymous answer whose view chose its own caching keeps it."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        already = "no-store" in response.headers.get("Cache-Control", "")  # e.g. a private file's
        if not already and (signed_in or "Cache-Control" not in response.headers):
            response.headers["Cache-Control"] = "no-store"
        return response


_SEEN = "_motcua_seen"
_IDLE_REFRESH_SECONDS = 60


def _is_officer_or_admin(user: Any) -> bool:
    return bool(user.is_staff or user.is_superuser or user.memberships.filter(active=True).exists())


class OfficerIdleTimeoutMiddleware:
    """Officers and administrators are signed out after `settings.OFFICER_IDLE_TIMEOUT`
    without a request; the session also expires in the store and the browser then.
    Citizens keep the default session age."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: Any) -> None:
        session = request.session
        now = int(time.time())
        seen = session.get(_SEEN)
        timeout = int(settings.OFFICER_IDLE_TIMEOUT.total_seconds())
        if seen is None:
            if not _is_officer_or_admin(user):
                session[_SEEN] = 0  # a citizen: never checked again in this session
                return
        elif seen == 0:
            return
        elif now - int(seen) > timeout:
            logout(request)
            return
        if seen is None or now - int(seen) >= _IDLE_REFRESH_SECONDS:
            session[_SEEN] = now
            session.set_expiry(timeout)


def _valid_token(request: HttpRequest) -> bool:
    """The request carries an API token that is known, not revoked and not expired (the
    look-up the API's own authentication makes, kept per process; an unknown token is not
    kept, so a made-up one is counted like any anonymous request)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() != "bearer ":
        return False
    from motcua.api.auth import TokenAuth

    return bool(TokenAuth().authenticate(request, header[7:].strip()))


class RateLimitMiddleware:
    """Fixed one-minute windows per client address and limit, counted in the default cache
    (shared between processes when MOTCUA_CACHE=database)."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        scope = RATE_LIMITED_VIEWS.get(match.view_name) if match is not None else None
        if scope is None or _valid_token(request):
            return None
        limit = settings.RATE_LIMITS[scope]
        now = time.time()
        window = int(now // 60)
        key = f"motcua:rate:{scope}:{client_ip(request) or 'unknown'}:{window}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
        if count <= limit:
            return None
        seconds = max(1, int((window + 1) * 60 - now))
        response = refusal(request, 429, "rate_limited", seconds=seconds)
        response["Retry-After"] = str(seconds)
        return response


class TokenApiRequestStart:
    """For the lean chain of bearer-token API requests (`config/wsgi.py`), which has no
    session, `AuthenticationMiddleware` or `LocaleMiddleware`: the request starts anonymous
    (the token authentication of the view sets its user) and in the default language, whatever
    an earlier request served by the same thread had chosen."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from django.contrib.auth.models import AnonymousUser
        from django.utils import translation

        request.user = AnonymousUser()
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
