from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.calendars.models import CalendarOverride
from motcua.calendars.services import calendar_override_delete, calendar_override_set


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("date", "kind", "reason", "agency")
    list_filter = ("kind",)

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool) -> None:
        calendar_override_set(
            day=obj.date,
            kind=obj.kind,
            reason=obj.reason,
            reason_en=obj.reason_en,
            agency_id=obj.agency_id,
            legal_basis=obj.legal_basis,
        )

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_override_delete(override=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for override in queryset:
            calendar_override_delete(override=override)
