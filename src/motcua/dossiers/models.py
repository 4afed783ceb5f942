"""Dossiers (hồ sơ), their append-only events, clock pauses, hand-overs and issued forms.

State changes happen only in `workflow.transition` (through the services); nothing else
saves a dossier. Events are never updated or deleted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.lib.files import RandomName


class Status(models.TextChoices):
    """Dossier statuses (docs/legal-basis.md#dossier-statuses): the codes exchanged with the
    National Public Service Portal."""

    SUBMITTED = "submitted", _("Submitted online, awaiting reception")
    RECEIVED = "received", _("Received")
    REFUSED = "refused", _("Refused")
    PROCESSING = "processing", _("Processing")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Stopped")
    PROCESSED = "processed", _("Processed, result ready")
    RETURNED = "returned", _("Result returned")
    # Checked at reception and returned to be completed (Form 02): kept, never received.
    RETURNED_FOR_COMPLETION = "returned_for_completion", _("Returned for completion, not received")
    # The applicant handed in the supplement asked during processing; an officer checks it.
    SUPPLEMENT_SUBMITTED = "supplement_submitted", _("Supplement handed in, awaiting the officer's check")


#: docs/legal-basis.md#dossier-statuses: status number and the national portal's key.
NATIONAL_STATUS = {
    Status.SUBMITTED: (1, "receiving"),
    Status.RECEIVED: (2, "new"),
    Status.REFUSED: (3, "denied"),
    Status.PROCESSING: (4, "processing"),
    Status.SUPPLEMENT_REQUESTED: (5, "waiting"),
    Status.AWAITING_PAYMENT: (6, "paying"),
    Status.WITHDRAWN: (7, "cancelled"),
    Status.STOPPED: (8, "unresolved"),
    Status.PROCESSED: (9, "releasing"),
    Status.RETURNED: (10, "done"),
    # The national portal has no separate codes for these two: both wait on the supplement.
    Status.RETURNED_FOR_COMPLETION: (5, "waiting"),
    Status.SUPPLEMENT_SUBMITTED: (5, "waiting"),
}

END_STATUSES = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.PROCESSED, Status.RETURNED})
#: Ended without a result: no appointment holds any more (pages show the end, not the old date).
ENDED_WITHOUT_RESULT = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})


class Channel(models.TextChoices):
    """Submission channel; the sync data codes them 1 (counter), 2 (online), 3 (post)."""

    COUNTER = "counter", _("At the one-stop counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By public post")


CHANNEL_CODE = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}


class OnlineSource(models.TextChoices):
    NONE = "", _("Not online")
    PORTAL = "portal", _("MotCua citizen portal")
    NATIONAL_PORTAL = "national_portal", _("National Public Service Portal")
    KIOSK = "kiosk", _("Self-service kiosk")


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=64, unique=True)
    procedure_version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="dossiers")
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, db_index=True)
    row_version = models.PositiveIntegerField(default=1, help_text="Optimistic lock, +1 on every transition.")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    online_source = models.CharField(max_length=20, choices=OnlineSource.choices, blank=True, default="")
    # No single-column index on the three agencies: each is the first column of an index
    # of Meta.indexes, which serves every lookup by the agency alone (migration 0005).
    receiving_agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="received_dossiers", db_index=False
    )
    settling_agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="settled_dossiers", db_index=False
    )
    current_agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="current_dossiers", db_index=False
    )
    current_step = models.ForeignKey("catalog.ProcessStep", on_delete=models.PROTECT, null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # dossier_assignee_idx, partial
        verbose_name=_("assigned specialist"),
        help_text="The specialist a leader assigned the dossier to (action assign).",
    )
    assigned_unit = models.ForeignKey(
        "organizations.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # dossier_assigned_unit_idx, partial
        verbose_name=_("assigned division"),
        help_text="The division (phòng, ban) of the current agency a leader assigned the dossier to.",
    )
    applicant = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="dossiers")
    authorised_person = models.JSONField(_("authorised person"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    form_data = models.JSONField(_("e-form data"), default=dict, blank=True)
    external_id = models.CharField(
        _("national portal dossier code"), max_length=64, blank=True, default="", db_index=True
    )
    sets = models.PositiveSmallIntegerField(_("number of sets"), default=1)

    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, db_index=True)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    appointment_at = models.DateTimeField(
        _("appointment on the receipt"),
        null=True,
        blank=True,
        help_text=_("The result time written on Form 01. Never moves (indicator 2.1 judges against it)."),
    )
    due_at = models.DateTimeField(
        _("current due instant"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Appointment extended by clock pauses and by an accepted new date (Form 04)."),
    )
    step_due_at = models.DateTimeField(null=True, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    status_before_pause = models.CharField(max_length=24, blank=True, default="")
    processed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    supplement_count = models.PositiveSmallIntegerField(default=0)
    intake_supplement_count = models.PositiveSmallIntegerField(default=0)
    late_by_supplement = models.BooleanField(
        default=False, help_text=_("A second supplement request makes a dossier late for indicator 2.1.")
    )
    reappointment_count = models.PositiveSmallIntegerField(default=0)
    fee_vnd = models.PositiveBigIntegerField(_("fees due (VND)"), default=0)
    paid_vnd = models.PositiveBigIntegerField(_("fees paid (VND)"), default=0)
    paid_online = models.BooleanField(default=False)
    result_delivery = models.CharField(max_length=12, choices=Delivery.choices, blank=True, default="")
    result_collected_by = models.CharField(max_length=255, blank=True, default="")
    has_electronic_result = models.BooleanField(default=False)
    result_pushed_to_warehouse = models.BooleanField(
        default=False,
        help_text=_("The electronic result was put into the applicant's data warehouse (Decree 45/2020 Art. 16)."),
    )
    national_synced_at = models.DateTimeField(null=True, blank=True)
    chain_head = models.CharField(
        max_length=64, blank=True, default="", help_text="Hash of the last event (dossiers/chain.py)."
    )
    imported_at = models.DateTimeField(
        _("imported at"), null=True, blank=True, help_text=_("When the history came in through the exchange format.")
    )
    imported_by = models.CharField(
        _("imported by"), max_length=150, blank=True, default="", help_text=_("Who imported the history.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["current_agency", "status"], name="dossier_queue_idx"),
            models.Index(fields=["settling_agency", "received_at"], name="dossier_settling_idx"),
            models.Index(fields=["receiving_agency", "status"], name="dossier_receiving_idx"),
            # The officer's queue: open dossiers of an agency, most urgent first (bench W5).
            models.Index(
                fields=["current_agency", "due_at", "-id"],
                condition=~models.Q(status__in=["refused", "withdrawn", "stopped", "processed", "returned"]),
                name="dossier_open_queue_idx",
            ),
            # Most dossiers are never assigned (and no imported one is): only the assigned are
            # indexed. Every query on them (`assignee_id = …`, `assigned_unit_id IN (…)`, the
            # foreign-key checks) implies IS NOT NULL, so both databases still use them.
            models.Index(fields=["assignee"], condition=models.Q(assignee__isnull=False), name="dossier_assignee_idx"),
            models.Index(
                fields=["assigned_unit"],
                condition=models.Q(assigned_unit__isnull=False),
                name="dossier_assigned_unit_idx",
            ),
        ]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return self.code

    @property
    def national_status(self) -> tuple[int, str]:
        return NATIONAL_STATUS[Status(self.status)]

    @property
    def is_open(self) -> bool:
        return self.status not in END_STATUSES

    @property
    def ended_without_result(self) -> bool:
        """Refused, withdrawn or stopped: its appointment no longer holds."""
        return self.status in ENDED_WITHOUT_RESULT


class DossierEvent(models.Model):
    """One immutable line of a dossier's history (docs/architecture.md#the-write-path)."""

    # Indexed by uniq_event_seq (dossier, seq), which starts with it (migration 0005).
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events", db_index=False)
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=24, blank=True, default="")
    to_status = models.CharField(max_length=24)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    actor_name = models.CharField(max_length=255, blank=True, default="")
    actor_username = models.CharField(
        max_length=150,
        blank=True,
        default="",
        help_text="The account's username when the event was written (kept when an import finds no such account).",
    )
    actor_role = models.CharField(max_length=20, blank=True, default="")
    actor_agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, null=True, blank=True)
    reason = models.TextField(blank=True, default="")
    form = models.CharField(max_length=2, blank=True, default="", help_text="Circular 03/2025 form issued: 01–07.")
    data: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    hash = models.CharField(
        max_length=64, blank=True, default="", help_text="Chained to the previous event's hash (dossiers/chain.py)."
    )

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="uniq_event_seq")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Dossier events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Dossier events are append-only.")


class EventAnchor(models.Model):
    """A periodic seal over every dossier's history: the hashes of the events written since
    the previous anchor (ids up to `last_event_id`), chained to that anchor (chain.anchor)."""

    at = models.DateTimeField()
    last_event_id = models.BigIntegerField(help_text="The last event covered (events are covered in id order).")
    events = models.PositiveBigIntegerField(help_text="How many events this anchor covers.")
    previous = models.CharField(max_length=64, blank=True, default="")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("event-chain anchor")
        verbose_name_plural = _("event-chain anchors")
        ordering = ["id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Event anchors are append-only.")
        super().save(*args, **kwargs)


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Waiting for the applicant's supplement")
    PAYMENT = "payment", _("Waiting for payment")


class ClockPause(models.Model):
    """A period during which the legal clock stands still; indicators subtract supplement spans."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField(max_length=12, choices=PauseKind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    during_intake = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["dossier_id", "started_at"]


class HandoverResult(models.TextChoices):
    """Form 06: trước hạn / đúng hạn / quá hạn."""

    EARLY = "early", _("Before the deadline")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class Handover(models.Model):
    """A hand-over between steps or agencies, the lines of Form 06 (control sheet)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="handovers")
    at = models.DateTimeField()
    from_agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="handovers_in")
    from_step = models.ForeignKey(
        "catalog.ProcessStep", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_step = models.ForeignKey(
        "catalog.ProcessStep", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=HandoverResult.choices)
    note = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["dossier_id", "at", "id"]


class DossierComponent(models.Model):
    """A paper of the dossier (thành phần hồ sơ) as filed, scanned or reused."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    required_document = models.ForeignKey("catalog.RequiredDocument", on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=500)
    copies = models.PositiveSmallIntegerField(default=1)
    provided = models.BooleanField(default=True)
    # A random stored name (motcua.lib.files): the uploader's name is file_name, never the path.
    file = models.FileField(upload_to=RandomName("dossiers"), null=True, blank=True)
    file_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    digitized = models.BooleanField(default=False)
    from_warehouse = models.BooleanField(default=False)
    reused_data = models.BooleanField(default=False)
    source_db_code = models.CharField(max_length=64, blank=True, default="")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        ordering = ["dossier_id", "id"]


class CodeSequence(models.Model):
    """Daily receipt sequence per agency for dossier codes (Circular 01/2018 Art. 19)."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dossier code sequence")
        verbose_name_plural = _("dossier code sequences")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="uniq_code_sequence")]


class IdempotencyRecord(models.Model):
    """The answer given to a creating command, replayed when the same key comes again."""

    key = models.CharField(max_length=255)
    principal = models.CharField(max_length=64, help_text="Who sent it: 'user:<id>' or 'anonymous'.")
    scope = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response: models.JSONField[Any, Any] = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["principal", "scope", "key"], name="uniq_idempotency_key")]
