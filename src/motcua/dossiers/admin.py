"""Read-only admin views of dossiers: every change goes through the services
(docs/architecture.md, "The write path")."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.dossiers.models import Dossier, DossierEvent, EventAnchor
from motcua.lib.admin import ReadOnlyAdmin


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DossierEvent
    fields = ("seq", "action", "from_status", "to_status", "at", "actor_name", "actor_role", "form", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("code", "status", "channel", "receiving_agency", "settling_agency", "received_at", "due_at")
    list_filter = ("status", "channel")
    search_fields = ("code", "applicant__id_number", "applicant__full_name")
    list_select_related = ("receiving_agency", "settling_agency")
    inlines = [EventInline]


@admin.register(EventAnchor)
class EventAnchorAdmin(ReadOnlyAdmin):
    list_display = ("id", "at", "events", "last_event_id", "digest")
