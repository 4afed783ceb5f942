"""The administrator's page for API tokens: create (the secret is shown once), list, revoke.

Every change goes through `motcua.api.services`; a token is never edited, only revoked
and replaced.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.api.models import ApiToken
from motcua.api.services import DEFAULT_LIFETIME, MAX_LIFETIME, api_token_create, api_token_revoke
from motcua.organizations.systems import SYSTEMS

ALL_ACTIONS = sorted({action for system in SYSTEMS.values() for action in system.actions})


class ApiTokenCreateForm(forms.ModelForm):  # type: ignore[type-arg]
    scopes = forms.MultipleChoiceField(
        label=_("allowed actions"),
        choices=[(action, action) for action in ALL_ACTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every action the system's kind may apply."),
    )
    expires_at = forms.DateTimeField(label=_("expires at"), required=False, help_text=_("Empty: in 90 days."))

    class Meta:
        model = ApiToken
        fields = ("name", "system", "scopes", "agencies", "include_subtree", "expires_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        system = SYSTEMS.get(data.get("system") or "")
        if system is not None and (extra := set(data.get("scopes") or ()) - system.actions):
            self.add_error("scopes", _("Not an action of this system: %s") % ", ".join(sorted(extra)))
        expires_at = data.get("expires_at")
        now = timezone.now()
        if expires_at is not None and not now < expires_at <= now + MAX_LIFETIME:
            self.add_error("expires_at", _("Choose a moment in the future, within a year."))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "system", "prefix", "scope_list", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("system", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix")
    readonly_fields = (
        "name",
        "system",
        "prefix",
        "scopes",
        "agencies",
        "include_subtree",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke"]

    @admin.display(description=_("allowed actions"))
    def scope_list(self, token: ApiToken) -> str:
        return ", ".join(token.scopes)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ApiTokenCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked tokens stay, for the record of who acted with them

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        token, secret = api_token_create(
            system=data["system"],
            name=data["name"],
            scopes=data["scopes"] or None,
            agencies=data["agencies"],
            include_subtree=data["include_subtree"],
            expires_at=data["expires_at"] or timezone.now() + DEFAULT_LIFETIME,
        )
        obj.pk = token.pk
        obj._state.adding = False
        messages.warning(
            request, _("Copy the secret now; it is shown only this once and cannot be recovered: %s") % secret
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service already set the agencies."""

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at=None):
            api_token_revoke(token=token)
            revoked += 1
        messages.success(request, _("%d token(s) revoked.") % revoked)
