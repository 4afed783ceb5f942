"""Indicator dashboards, mounted at /indicators/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.indicators import views

app_name = "indicators"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("<str:code>/", views.agency_dashboard, name="agency"),
    path("<str:code>/dossiers/<str:flag>/", views.drilldown, name="drilldown"),
    path("<str:code>/items/<str:key>/", views.items, name="items"),
    path("<str:code>/export.xlsx", views.export_xlsx, name="export"),
]
