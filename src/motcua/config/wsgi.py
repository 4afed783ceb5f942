"""WSGI entry point (gunicorn motcua.config.wsgi).

A request to the API with a bearer token (a connected system) goes through a second, leaner
handler: it has no session, no CSRF cookie, no messages and no sign-in lockout to keep, so
the middleware that serves only browsers (`TOKEN_API_SKIPS`) is left out of its chain; every
other request, pages and the API with a session, goes through the full chain. The security
headers, the refusal of malformed requests, `no-store` and the rate limits apply to both.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
_full = get_wsgi_application()


def _preload() -> None:
    """Per-process caches filled before the first request: the national holidays (no
    database), and the procedure catalogue the dashboard judges (read once and closed; skipped
    silently when the database cannot be read yet, the first dashboard call reads it then)."""
    from motcua.calendars.services import preload
    from motcua.indicators.selectors import preload_catalogue

    preload()
    preload_catalogue()


_preload()

#: Middleware a bearer-token API request does not need (it authenticates in the view, and
#: answers JSON no browser frames or renders).
TOKEN_API_SKIPS = frozenset(
    {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "motcua.config.middleware.OfficerIdleTimeoutMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)


class TokenApiHandler(WSGIHandler):
    """The handler of bearer-token API requests: the settings' middleware less `TOKEN_API_SKIPS`,
    then `TokenApiRequestStart` (anonymous until the token authenticates, default language)."""

    def load_middleware(self, is_async: bool = False) -> None:
        from django.conf import settings

        full = list(settings.MIDDLEWARE)
        self.middleware = [m for m in full if m not in TOKEN_API_SKIPS]
        self.middleware.append("motcua.config.middleware.TokenApiRequestStart")
        settings.MIDDLEWARE = self.middleware
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


_token_api = TokenApiHandler()


def is_token_api_request(environ: dict[str, Any]) -> bool:
    return str(environ.get("PATH_INFO", "")).startswith("/api/") and (
        str(environ.get("HTTP_AUTHORIZATION", ""))[:7].lower() == "bearer "
    )


def application(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    handler = _token_api if is_token_api_request(environ) else _full
    return handler(environ, start_response)
