"""Applicants: citizens (by 12-digit personal ID) and organisations (by tax/enterprise code)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANISATION = "organisation", _("Organisation")


class Person(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=PersonKind.choices, default=PersonKind.CITIZEN)
    id_number = models.CharField(
        _("identification number"),
        max_length=20,
        unique=True,
        help_text=_(
            "Citizens: the 12-digit personal ID (Law on Identification 2023 Art. 12). "
            "Organisations: the enterprise or tax code."
        ),
    )
    full_name = models.CharField(_("full name"), max_length=255)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("sex"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    verified_by_national_identity = models.BooleanField(
        _("verified through the national identity account"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.id_number})"
