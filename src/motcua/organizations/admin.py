from __future__ import annotations

from django.contrib import admin

from motcua.organizations.models import Agency, Membership


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "level", "parent", "valid_to")
    list_filter = ("kind", "level")
    search_fields = ("code", "name")
    readonly_fields = ("path",)

    def has_add_permission(self, request: object) -> bool:
        # New agencies need their materialised path: create them through the services.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "agency", "role", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "agency__code")
