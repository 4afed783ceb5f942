"""Indicator counters kept current from the dossier event log (issue 4, item 2).

`IndicatorFact` is one row per received dossier: its settling agency, receipt day and the
0/1 contributions of `engine.flags_of` (one boolean per name in `engine.FLAGS`).
`IndicatorCounter` sums those per (settling agency, procedure, receipt month), so a
scorecard over any agency subtree and any months reads O(agencies × procedures × months)
rows, never the dossiers. Dossiers whose 2.1 verdict depends on "now" (open ones) are
judged at read time from their fact row (`spans`, `due`). `IndicatorCursor` records how far
the event log (and the payment, rating and feedback tables) has been folded in.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorFact(models.Model):
    """One received dossier (the set R of docs/indicators.md) as the indicators see it."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="indicator_fact")
    code = models.CharField(max_length=64, db_index=True)
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    receipt_day = models.DateField(help_text="Local (Asia/Ho_Chi_Minh) day of the receipt instant (§6.4).")
    month = models.DateField(help_text="First day of the receipt month.")
    due = models.DateTimeField(null=True, blank=True, help_text="Appointment on Form 01 (§6.4 2.1 step 4).")
    current_due = models.DateTimeField(
        null=True, blank=True, help_text="Current due instant (pauses, Form 04), for due-soon lists only."
    )
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    spans = models.JSONField(default=list, help_text="[[requested, resubmitted or null], …] as ISO instants.")
    processed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    last_seq = models.PositiveIntegerField(default=0, help_text="Sequence of the last dossier event folded in.")
    open_deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Open dossiers only: the appointment plus the supplement time after receipt; "
        "judged at an instant up to it, the dossier is on time (adopted rule 2.1).",
    )
    resumed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Open dossiers only: the last resubmission counted in open_deadline; "
        "judged before it, the dossier is judged one by one.",
    )
    received = models.BooleanField(default=False)
    on_time = models.BooleanField(default=False)
    late = models.BooleanField(default=False)
    open = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    eligible = models.BooleanField(default=False)
    full_online = models.BooleanField(default=False)
    paper_required = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    digitized = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    warehouse = models.BooleanField(default=False)
    population = models.BooleanField(default=False)
    fee_due = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    fee_data = models.BooleanField(default=False)
    synced = models.BooleanField(default=False)
    complained = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("indicator fact")
        verbose_name_plural = _("indicator facts")
        indexes = [
            models.Index(fields=["agency", "receipt_day"], name="ind_fact_agency_day"),
            models.Index(fields=["open", "agency"], name="ind_fact_open"),
            # The open dossiers of a period still within their deadline, counted from the
            # index alone (a partial index: only the open facts are in it).
            models.Index(
                fields=["receipt_day", "open_deadline", "agency", "resumed_at"],
                condition=models.Q(open=True),
                name="ind_fact_open_deadline",
            ),
            # The dashboard's overdue and due-soon lists (`selectors.open_dossiers`), most urgent first.
            models.Index(
                fields=["current_due"],
                condition=models.Q(processed_at__isnull=True, returned_at__isnull=True, stopped_at__isnull=True),
                name="ind_fact_unsettled_due",
            ),
        ]


class IndicatorCounter(models.Model):
    """Sums of the fact flags per (settling agency, procedure, receipt month)."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    received = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    online = models.IntegerField(default=0)
    eligible = models.IntegerField(default=0)
    full_online = models.IntegerField(default=0)
    paper_required = models.IntegerField(default=0)
    e_result = models.IntegerField(default=0)
    digitized = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    warehouse = models.IntegerField(default=0)
    population = models.IntegerField(default=0)
    fee_due = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    fee_data = models.IntegerField(default=0)
    synced = models.IntegerField(default=0)
    complained = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("indicator counter")
        verbose_name_plural = _("indicator counters")
        constraints = [models.UniqueConstraint(fields=["agency", "procedure", "month"], name="uniq_indicator_counter")]
        indexes = [models.Index(fields=["month", "agency"], name="ind_counter_month")]


class IndicatorCursor(models.Model):
    """The last row id folded in, per source ("events", "payments", "ratings", "feedback").

    For "events" it also records the look-back window as seen by the last catch-up: the
    highest event id then visible (`window_top`) and how many events had an id in
    (window_top − LOOKBACK, window_top] (`window_count`). A read compares both with the table
    in one query and skips the locked catch-up when nothing new (nor late) has appeared.
    """

    source = models.CharField(max_length=20, unique=True)
    last_id = models.BigIntegerField(default=0)
    window_top = models.BigIntegerField(default=0)
    window_count = models.IntegerField(default=-1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator cursor")
        verbose_name_plural = _("indicator cursors")


class PaknFact(models.Model):
    """One PAKN (Feedback) as indicators 6.1 and 6.2 see it (docs/indicators.md, PAKN).

    A PAKN whose outcome is recorded (handled, refused, supplement requested or published,
    with its instant) has a final verdict (`final`, `on_time`, `satisfied`). An open one is
    judged at read time against `handle_due` (received + 15 working days on the calendar of
    the agency it is addressed to); `objected` (more dislikes than likes, or repeated) is
    what else 6.2 needs.
    """

    feedback = models.OneToOneField("ratings.Feedback", on_delete=models.CASCADE, related_name="indicator_fact")
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    receipt_day = models.DateField(help_text="Local (Asia/Ho_Chi_Minh) day of the receipt instant (§6.4).")
    month = models.DateField(help_text="First day of the receipt month.")
    handle_due = models.DateTimeField(null=True, blank=True, help_text="Received + 15 working days (§6.3 F).")
    final = models.BooleanField(default=False)
    on_time = models.BooleanField(default=False, help_text="Final verdict: handled on time (6.1).")
    satisfied = models.BooleanField(default=False, help_text="Final verdict: counted by 6.2.")
    objected = models.BooleanField(default=False, help_text="More dislikes than likes, or repeated.")

    class Meta:
        verbose_name = _("feedback fact")
        verbose_name_plural = _("feedback facts")
        indexes = [
            models.Index(fields=["agency", "receipt_day"], name="ind_pakn_agency_day"),
            models.Index(fields=["final", "handle_due"], name="ind_pakn_open"),
        ]


class PaknCounter(models.Model):
    """Sums of the PAKN facts per (agency addressed, receipt month): `received` counts every
    PAKN, `on_time` and `satisfied` only final verdicts, `open` those judged at read time."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    received = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    open = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("feedback counter")
        verbose_name_plural = _("feedback counters")
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="uniq_pakn_counter")]
