"""Agencies and memberships in the admin: the forms parse, the services write (a new parent
rewrites the stored tree path of the agency and everything below it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.organizations.models import Agency, Membership
from motcua.organizations.selectors import agency_parent_error
from motcua.organizations.services import (
    AGENCY_EDITABLE,
    agency_delete,
    agency_update,
    membership_delete,
    membership_grant,
    membership_update,
)


class AgencyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Agency
        fields = sorted(AGENCY_EDITABLE)

    def clean_parent(self) -> Agency | None:
        parent: Agency | None = self.cleaned_data.get("parent")
        if self.instance.pk is not None and (error := agency_parent_error(self.instance, parent)):
            raise forms.ValidationError(error)
        return parent


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = AgencyForm
    list_display = ("code", "name", "kind", "level", "parent", "valid_to")
    list_filter = ("kind", "level")
    search_fields = ("code", "name")
    readonly_fields = ("path",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New agencies need their materialised path: create them through the services.
        return False

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in AGENCY_EDITABLE}
        agency_update(agency=obj, changes=changes)

    def delete_model(self, request: HttpRequest, obj: Agency) -> None:
        agency_delete(agency=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Agency]) -> None:
        for agency in queryset:
            agency_delete(agency=agency)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "agency", "role", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "agency__code")

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            membership_update(membership=obj, user=obj.user, agency=obj.agency, role=obj.role, active=obj.active)
        else:
            saved = membership_grant(user=obj.user, agency=obj.agency, role=obj.role, active=obj.active)
            obj.pk = saved.pk  # the admin redirects to the saved row

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_delete(membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            membership_delete(membership=membership)
