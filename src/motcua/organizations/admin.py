from __future__ import annotations

from django.contrib import admin

from motcua.organizations.models import Agency, Membership


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "level", "parent", "valid_to")
    list_filter = ("kind", "level")
    search_fields = ("code", "name")
    readonly_fields = ("path",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "agency", "role", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "agency__code")
