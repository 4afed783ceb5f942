"""Citizens' ratings of a dossier's settlement and feedback (PAKN); docs/legal-basis.md#ratings-and-feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.TextChoices):
    UNSATISFIED = "unsatisfied", _("Không hài lòng / Unsatisfied")
    SATISFIED = "satisfied", _("Hài lòng / Satisfied")
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng / Very satisfied")


#: The nine criteria of the per-dossier evaluation (docs/legal-basis.md#ratings-and-feedback).
CRITERIA = {
    "total_time": _("Total time against the legal limit"),
    "time_per_agency": _("Time taken by each agency"),
    "contacts": _("Number of contacts to complete the dossier"),
    "agencies_contacted": _("Number of agencies contacted"),
    "one_stop_reception": _("Reception and return at the one-stop unit"),
    "publication": _("Publication of the procedure"),
    "staff_attitude": _("Staff attitude"),
    "feedback_handling": _("Handling of feedback"),
    "online_service": _("Online service progress and quality"),
}


class Rating(models.Model):
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="rating")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True)
    scores = models.JSONField(_("scores per criterion (0–2)"), default=dict)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices)
    comment = models.TextField(blank=True, default="")
    rated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")


class FeedbackKind(models.TextChoices):
    SETTLEMENT = "settlement", _("About the settlement of a dossier")
    RULES = "rules", _("About administrative rules")
    STAFF = "staff", _("About staff")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HANDLED = "handled", _("Handled")
    REFUSED = "refused", _("Refused")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    PUBLISHED = "published", _("Answer published")


class Feedback(models.Model):
    """Phản ánh, kiến nghị (PAKN). Deadlines (working days): handle 15, refuse 2, ask for
    supplement 5, publish 2 (docs/indicators.md).

    Columns added after the first release carry a database default too, so rows written by
    the exchange importer (which names its columns) stay valid."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="feedback")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="feedback"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.SETTLEMENT)
    content = models.TextField()
    status = models.CharField(max_length=24, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN)
    received_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    supplement_requested_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    likes = models.PositiveIntegerField(default=0)
    dislikes = models.PositiveIntegerField(default=0)
    repeated = models.BooleanField(_("repeated complaint"), default=False)
    answer = models.TextField(blank=True, default="")
    #: The tracking reference given to the sender (None for imported rows).
    code = models.CharField(_("tracking code"), max_length=16, unique=True, null=True, blank=True)
    #: Who sent it when not signed in (a signed-in citizen's contact comes from `person`).
    contact_name = models.CharField(_("name"), max_length=255, blank=True, default="", db_default="")
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True, default="", db_default="")
    contact_email = models.CharField(_("e-mail"), max_length=254, blank=True, default="", db_default="")
    refusal_reason = models.TextField(_("reason for refusing"), blank=True, default="", db_default="")
    supplement_request = models.TextField(_("what to supplement"), blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback items")
        ordering = ["-received_at"]


class FeedbackAction(models.Model):
    """One step in the life of a PAKN: who did it, when, and what they wrote (append-only)."""

    SUBMIT = "submit"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    ANSWER = "answer"
    PUBLISH = "publish"

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=255, blank=True, default="")
    at = models.DateTimeField()
    note = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("feedback action")
        verbose_name_plural = _("feedback actions")
        ordering = ["at", "id"]


class FeedbackVote(models.Model):
    """One like or dislike of a published answer per voter (a person, an account or a browser
    session)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    like = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("feedback vote")
        verbose_name_plural = _("feedback votes")
        constraints = [models.UniqueConstraint(fields=["feedback", "voter"], name="uniq_feedback_voter")]
