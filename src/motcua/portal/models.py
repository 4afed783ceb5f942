"""Online-submission drafts (hồ sơ nháp), kept on the server so a citizen can resume anywhere.

Decree 45/2020 Art. 11 lets the applicant prepare an online dossier in several sittings; the
draft lives in the database (not in the browser), so it follows the account from phone to
computer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.lib.files import RandomName


class Draft(models.Model):
    """An online dossier being prepared; it becomes a dossier through `dossier_submit`."""

    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="drafts")
    version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.CASCADE, related_name="+")
    settling_agency = models.ForeignKey(
        "organizations.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For commune-level procedures: the commune the citizen files with."),
    )
    form_data = models.JSONField(_("e-form data"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")


class DraftFile(models.Model):
    """A paper uploaded into a draft for one required component."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    required_document = models.ForeignKey("catalog.RequiredDocument", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=RandomName("drafts"))
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True, default="")
    size_bytes = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draft file")
        verbose_name_plural = _("draft files")
        ordering = ["required_document__position", "id"]
        constraints = [models.UniqueConstraint(fields=["draft", "required_document"], name="uniq_draft_document")]
