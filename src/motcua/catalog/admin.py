"""Catalogue in the admin: read-only; drafts and publication go through the API and services."""

from __future__ import annotations

from django.contrib import admin

from motcua.catalog.models import Field, ProcedureVersion
from motcua.lib.admin import ReadOnlyAdmin


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = ("procedure", "number", "name", "status", "time_limit_amount", "time_limit_unit", "online_level")
    list_filter = ("status", "online_level", "field")
    search_fields = ("procedure__code", "name")


@admin.register(Field)
class FieldAdmin(ReadOnlyAdmin):
    list_display = ("code", "name")
