"""API tokens of connected systems (the national portal, the national payment platform).

A token belongs to one connected system (`organizations.systems`), carries the actions it
may apply (a subset of its kind's) and optionally the agencies it is limited to, expires,
and can be revoked. Only its SHA-256 is stored; the secret is shown once when created.
Writes go through `motcua.api.services`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organizations.systems import SYSTEM_CHOICES


class ApiToken(models.Model):
    """A bearer token of one connected system."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("The service account the system's actions are recorded under."),
    )
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    system = models.CharField(_("connected system"), max_length=40, choices=SYSTEM_CHOICES)
    scopes = models.JSONField(_("allowed actions"), default=list, help_text=_("Workflow actions this token may apply."))
    agencies = models.ManyToManyField(
        "organizations.Agency",
        blank=True,
        related_name="+",
        verbose_name=_("agencies"),
        help_text=_("Limit the token to dossiers of these agencies (empty: every agency)."),
    )
    include_subtree = models.BooleanField(
        _("include units below"), default=True, help_text=_("The agencies above cover every unit below them.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
