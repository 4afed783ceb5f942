"""Editable calendar data on top of the national holidays of the `holidays` package."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Extra day off")
    WORKING_DAY = "working_day", _("Working day (swapped)")


class CalendarOverride(models.Model):
    """A yearly day swap or extra day off decided by the Prime Minister or the province.

    The package lacks some swaps (e.g. 2026 New Year, docs/legal-basis.md#working-days-and-holidays), so swaps are data.
    `agency` empty = the whole province; otherwise only that agency and its children.
    """

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_overrides"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    reason = models.CharField(_("reason"), max_length=255)
    reason_en = models.CharField(_("reason (English)"), max_length=255, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["agency", "date"], name="uniq_calendar_override")]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.reason}"
