"""Top-level URLs."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import include, path
from ninja.openapi.views import openapi_view

from motcua.config.admin_names import name_the_admin
from motcua.config.api import api
from motcua.indicators import urls as indicator_urls
from motcua.integrations import urls as integration_urls
from motcua.portal import urls as portal_urls


def api_docs(request: HttpRequest) -> HttpResponse:
    return openapi_view(request, api)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page links: send them the icon
    (resolved per request, so the hashed name of the static manifest is used in production)."""
    return HttpResponsePermanentRedirect(static("portal/img/favicon.ico"))


def health(request: HttpRequest) -> JsonResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


name_the_admin()

urlpatterns = [
    path("admin/national-catalogue/", include(integration_urls)),
    path("admin/", admin.site.urls),
    path("api/docs", api_docs, name="api-docs"),
    path("api/v1/", api.urls),
    path("healthz", health, name="health"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says: send them the icon.
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("indicators/", include(indicator_urls)),
    path("", include(portal_urls)),
]
# No pattern serves MEDIA_ROOT, not even with MOTCUA_DEBUG: citizens' files are sent only by
# views that check the requester (portal:component-file).
