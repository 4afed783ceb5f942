"""The administrator's view of the connected systems: dead letters to retry or discard, and the
consumers' cursors. Retry and discard go through the backbone's service functions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.integrations import services
from motcua.integrations.models import Consumer, MessageState, OutboundMessage
from motcua.lib.admin import ReadOnlyAdmin
from motcua.lib.errors import DomainError


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "consumer", "dossier", "event_id", "state", "attempts", "next_attempt_at", "last_error")
    list_filter = ("consumer", "state")
    search_fields = ("dossier__code",)
    list_select_related = ("dossier",)
    actions = ["retry", "discard"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundMessage]:
        return super().get_queryset(request).select_related("dossier")

    def _each_dead(self, request: HttpRequest, queryset: QuerySet[OutboundMessage], verb: str) -> None:
        done = 0
        for message in queryset.filter(state=MessageState.DEAD):
            try:
                if verb == "retry":
                    services.dead_letter_retry(message_id=message.pk)
                else:
                    services.dead_letter_discard(message_id=message.pk)
                done += 1
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        self.message_user(request, f"{done} dead letter(s): {verb}")

    @admin.action(description="Retry the selected dead letters")
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        self._each_dead(request, queryset, "retry")

    @admin.action(description="Discard the selected dead letters")
    def discard(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        self._each_dead(request, queryset, "discard")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Actions need the change permission; the form itself stays read-only (no editable fields).
        return bool(getattr(request.user, "is_superuser", False))

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in OutboundMessage._meta.fields]


@admin.register(Consumer)
class ConsumerAdmin(ReadOnlyAdmin):
    list_display = ("name", "cursor", "lease_owner", "lease_until", "updated_at")
