"""Catalogue in the admin: read-only; drafts and publication go through the catalogue editor
(`/danh-muc/`), the API and the services."""

from __future__ import annotations

from django.contrib import admin

from motcua.catalog.models import Field, ProcedureVersion, VersionChange
from motcua.lib.admin import ReadOnlyAdmin


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = ("procedure", "number", "name", "status", "time_limit_amount", "time_limit_unit", "online_level")
    list_filter = ("status", "online_level", "field")
    search_fields = ("procedure__code", "name")


@admin.register(Field)
class FieldAdmin(ReadOnlyAdmin):
    list_display = ("code", "name")


@admin.register(VersionChange)
class VersionChangeAdmin(ReadOnlyAdmin):
    list_display = ("version", "at", "actor_name", "action", "changed")
    list_filter = ("action",)
    search_fields = ("version__procedure__code", "actor_name")
