"""Pages of the connected systems for administrators, mounted at /admin/national-catalogue/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.integrations import views

app_name = "integrations"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.catalogue_import, name="catalogue-import"),
    path("<int:pk>/", views.catalogue_review, name="catalogue-review"),
]
