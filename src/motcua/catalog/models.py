"""The catalogue of administrative procedures (thủ tục hành chính) and their versions.

A `Procedure` is the stable identity (its national code, d.dddddd); every rule that can
change with a publishing decision lives on a `ProcedureVersion`. A dossier keeps the
version it started with, so changing the catalogue never rewrites a running dossier
(Resolution 190/2025/QH15: no re-doing of completed steps).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.eforms.schema import same_value
from motcua.lib.fields import OrderedJSONField
from motcua.lib.files import RandomName


class Field(models.Model):
    """Field / sector (lĩnh vực)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(
        _("procedure code"),
        max_length=10,
        unique=True,
        help_text=_("Code in the national procedure database, d.dddddd."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return self.code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    ABOLISHED = "abolished", _("Abolished")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    MONTHS = "months", _("months")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022 Art. 11.1: full process (toàn trình) or partial (một phần)."""

    NONE = "none", _("Not online")
    PARTIAL = "partial", _("Partial online")
    FULL = "full", _("Full-process online")


class CompetentLevel(models.TextChoices):
    AGENCY = "agency", _("A named agency")
    COMMUNE = "commune", _("The commune where the dossier is filed")


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    name = models.CharField(_("name"), max_length=500)
    name_en = models.CharField(_("English name"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, default="", help_text="Names and field without diacritics.")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="versions")
    levels = models.JSONField(_("levels"), default=list, help_text=_("Subset of province, commune, district."))
    subjects = models.JSONField(_("subjects"), default=list, help_text=_("citizen, business, organisation"))
    competent_level = models.CharField(max_length=10, choices=CompetentLevel.choices, default=CompetentLevel.AGENCY)
    competent_agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="competent_for"
    )
    time_limit_amount = models.PositiveIntegerField(_("legal time limit"))
    time_limit_unit = models.CharField(_("unit"), max_length=20, choices=TimeUnit.choices)
    cutoff_time = models.TimeField(
        _("cut-off time"),
        null=True,
        blank=True,
        help_text=_(
            "Received at or after this time counts from the next working day "
            "(Decree 63/2024 Art. 7.2 uses 15:00). Empty: the province default."
        ),
    )
    pause_on_payment = models.BooleanField(_("payment waits stop the clock"), default=True)
    online_level = models.CharField(max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.PARTIAL)
    eligible_full_online = models.BooleanField(_("eligible for full-process online service"), default=False)
    requires_paper_result = models.BooleanField(_("a paper result is required"), default=True)
    postal_allowed = models.BooleanField(_("post allowed"), default=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    result_name = models.CharField(_("result"), max_length=500, blank=True)
    description = models.TextField(_("who it is for, how to apply"), blank=True)
    conditions = models.TextField(
        _("requirements and conditions"),
        blank=True,
        help_text=_("What the applicant must meet before filing (yêu cầu, điều kiện), as published."),
    )
    e_form_schema = OrderedJSONField(_("e-form (JSON Schema)"), null=True, blank=True)
    decision_number = models.CharField(_("publishing decision"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    legal_effective_date = models.DateField(_("legal basis effective on"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    made_public_at = models.DateTimeField(_("made public in the national database"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="uniq_procedure_version"),
            models.UniqueConstraint(
                fields=["procedure"], condition=models.Q(status="published"), name="one_published_version"
            ),
        ]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} {self.name}"

    @property
    def code(self) -> str:
        return self.procedure.code

    @property
    def fee_total_vnd(self) -> int:
        return sum(fee.amount_vnd for fee in self.fees.all())


class Fee(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["id"]


class Requirement(models.TextChoices):
    """Whether a paper must be filed (docs/legal-basis.md, "Required papers")."""

    MANDATORY = "mandatory", _("mandatory")
    OPTIONAL = "optional", _("optional")
    #: Mandatory when the applicant's answer on the e-form is one of the stated values
    #: (a paper "nếu có", "trường hợp nộp thay", "đối với …").
    CONDITIONAL = "conditional", _("mandatory when a condition holds")


class RequiredDocument(models.Model):
    """A dossier component (thành phần hồ sơ)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=500)
    name_en = models.CharField(_("English name"), max_length=500, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    original_required = models.BooleanField(_("original required"), default=False)
    reusable = models.BooleanField(
        _("can be reused from earlier results"),
        default=False,
        help_text=_("Decree 45/2020 Art. 16: papers already in the data warehouse need not be filed again."),
    )
    e_form = models.BooleanField(_("filled in as an e-form"), default=False)
    requirement = models.CharField(
        _("requirement"), max_length=12, choices=Requirement.choices, default=Requirement.MANDATORY
    )
    condition_field = models.CharField(
        _("condition: e-form field"),
        max_length=100,
        blank=True,
        help_text=_("A conditional paper: the yes/no or choice field of the version's e-form that decides it."),
    )
    condition_values = models.JSONField(
        _("condition: answers"),
        default=list,
        blank=True,
        help_text=_("A conditional paper is mandatory when the field's answer is one of these."),
    )
    # The blank form (mẫu đơn, tờ khai) published with the procedure: a public document, stored
    # under a random name like every file and sent by `portal:blank-form` to anyone while the
    # version is in force (lib/files.send_file, public=True).
    blank_form = models.FileField(_("blank form"), upload_to=RandomName("blank-forms"), blank=True)
    blank_form_name = models.CharField(_("blank form file name"), max_length=255, blank=True)
    blank_form_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["position", "id"]

    def required_for(self, form_data: Mapping[str, Any] | None) -> bool:
        """Whether this paper must be filed with a dossier whose e-form answers are `form_data`.
        A conditional paper whose field is unanswered is not required."""
        if self.requirement == Requirement.MANDATORY:
            return True
        if self.requirement == Requirement.OPTIONAL:
            return False
        answer = (form_data or {}).get(self.condition_field)
        return any(same_value(value, answer) for value in self.condition_values)


class StepActor(models.TextChoices):
    RECEPTION = "reception", _("Reception officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")


class ProcessStep(models.Model):
    """A step of the internal process. `agency` set = a step at another agency (liên thông);
    empty = the agency that settles the dossier (or, for reception, the one that received it)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=50)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    actor_role = models.CharField(max_length=20, choices=StepActor.choices)
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, null=True, blank=True)
    budget_amount = models.PositiveIntegerField(_("time budget"))
    budget_unit = models.CharField(max_length=20, choices=TimeUnit.choices)
    next_steps = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="previous_steps")

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="uniq_step_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Procedure created")
    DRAFTED = "drafted", _("Draft version started")
    EDITED = "edited", _("Draft edited")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    ABOLISHED = "abolished", _("Abolished")


class VersionChange(models.Model):
    """One change of a procedure version, append-only: who made it, when, and what changed
    (the names of the parts in `changed`, their values before and after in `details`)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField(_("at"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_name = models.CharField(_("by"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    changed = models.JSONField(_("what changed"), default=list)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("catalogue change")
        verbose_name_plural = _("catalogue changes")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A catalogue change record is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("A catalogue change record is never deleted.")
