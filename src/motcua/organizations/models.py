"""Agencies (cơ quan, đơn vị), officers and their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee")
    SERVICE_CENTRE = "service_centre", _("Public Administration Service Centre")
    DEPARTMENT = "department", _("Department")
    COMMUNE = "commune", _("Commune / ward")
    VERTICAL_BRANCH = "vertical_branch", _("Local branch of a central agency")
    DIVISION = "division", _("Division")
    DISTRICT = "district", _("District (before 1/7/2025)")


class Level(models.TextChoices):
    """Administrative level. Districts were abolished on 1/7/2025 (Resolution 202/2025/QH15)
    and are kept only for history."""

    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District (historical)")


def default_working_hours() -> list[list[str]]:
    return [["08:00", "12:00"], ["13:00", "17:00"]]


class Agency(models.Model):
    code = models.CharField(
        _("electronic agency code"),
        max_length=35,
        unique=True,
        help_text=_("Decision 20/2020/QĐ-TTg Art. 4: up to 35 characters, A–Z, 0–9 and dots."),
    )
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(
        max_length=255, db_index=True, editable=False, help_text="Materialised path of ids, '/1/4/9/'."
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("Resolution 190/2025/QH15: the successor continues the predecessor's procedures."),
    )
    working_hours = models.JSONField(
        _("working hours"),
        default=default_working_hours,
        help_text=_("Daily working windows, e.g. [['08:00','12:00'],['13:00','17:00']]."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    offers_e_certified_copy = models.BooleanField(
        _("offers electronic certified copies from originals"),
        default=False,
        help_text=_("Catalogue data for the Indicator 766 digitisation sub-indicator (communes)."),
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_one_stop_unit(self) -> bool:
        return self.kind == AgencyKind.SERVICE_CENTRE


class Role(models.TextChoices):
    RECEPTION = "reception", _("Reception officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")
    CATALOGUE = "catalogue", _("Catalogue manager")


class Membership(models.Model):
    """An officer's role in an agency. One person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.agency.code}"


class UserName(models.Model):
    """A user's full name, one field, as written on their identity card: Vietnamese order
    (family, middle, given), e.g. "Nguyễn Thị Minh Khai". Every form, page, API answer and
    export prints this; Django's `first_name`/`last_name` only mirror it for the admin
    (`motcua.lib.names`), and the given name is derived from it where one is needed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="name_record")
    full_name = models.CharField(_("full name"), max_length=255)

    class Meta:
        verbose_name = _("full name")
        verbose_name_plural = _("full names")

    def __str__(self) -> str:
        return self.full_name
