"""The Indicator set 766 engine: plain dossier facts in, sub-indicator scores out. No ORM.

Every rule here is MotCua's adopted reading (docs/indicators.md), which settles the differences
between the portal's formula document, its workbook and its observed scoring. The few rules
the adopted reading leaves open are settings (`conf.IndicatorSettings`), documented in docs/indicators.md.

The same functions serve the incremental counters (`flags_of` gives a dossier's contribution),
the full recomputation (`aggregate`) and the tests, so each rule is written once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from motcua.indicators.conf import IndicatorSettings
from motcua.indicators.definitions import (  # the drill tables are re-exported for the selectors
    DOSSIER_DRILLS as DOSSIER_DRILLS,
)
from motcua.indicators.definitions import (
    GROUPS,
    INDICATORS,
    GroupDefinition,
    IndicatorDefinition,
)
from motcua.indicators.definitions import (
    ITEM_LISTS as ITEM_LISTS,
)
from motcua.indicators.periods import Period

# ---------------------------------------------------------------- facts


@dataclass(frozen=True)
class Span:
    """A supplement request (Form 02) and the applicant's answer, if any."""

    requested_at: datetime
    resubmitted_at: datetime | None = None


@dataclass(frozen=True)
class DossierFacts:
    """What the indicators need to know about one received dossier (the set R of docs/indicators.md)."""

    code: str
    agency_id: int  # the settling agency (cơ quan thực hiện)
    procedure_id: int
    received_at: datetime
    due: datetime | None  # the appointment written on Form 01 (adopted rule 2.1 step 4)
    supplement_requests: int = 0
    spans: tuple[Span, ...] = ()
    processed_at: datetime | None = None  # first "Đã xử lý xong"
    returned_at: datetime | None = None  # first "Đã trả kết quả"
    stopped_at: datetime | None = None  # first stopped / refused after receipt / withdrawn
    online: bool = False  # channel 2
    eligible_full_online: bool = False
    requires_paper_result: bool = False
    electronic_result: bool = False
    component_file: bool = False  # at least one component with an electronic file
    reused: bool = False  # at least one component flagged as reused digitised data
    from_warehouse: bool = False  # at least one component from the citizen's data warehouse
    pushed_to_warehouse: bool = False  # the e-result was pushed to the warehouse
    population: bool = False  # verified by VNeID, or a component from the warehouse/population DB
    fee_due: bool = False  # a fee > 0
    paid_online: bool = False
    fee_data: bool = False  # fee data synced to the national portal
    synced: bool = False  # synced to the national portal (1.4)
    complained: bool = False  # a PAKN about it or an unsatisfied rating


@dataclass(frozen=True)
class Verdict:
    on_time: bool
    final: bool  # does not depend on the period end or on now
    end: datetime
    adjusted_end: datetime
    due: datetime | None
    reason: str


def waited_after_receipt(f: DossierFacts, end: datetime) -> timedelta:
    """Adopted rule 2.1 step 3: the supplement time subtracted from the end instant. Only the
    part of a completed span after the receipt counts: the appointment on Form 01 is given at
    receipt, so time spent completing the dossier before it was received never extends it."""
    waited = timedelta(0)
    for s in f.spans:
        if s.resubmitted_at is None or s.resubmitted_at >= end or s.resubmitted_at <= f.received_at:
            continue
        waited += s.resubmitted_at - max(s.requested_at, f.received_at)
    return waited


def open_deadline(f: DossierFacts) -> tuple[datetime | None, datetime | None]:
    """(deadline, resumed) of a dossier judged at read time: judged at an instant `at` later
    than `resumed` (the last resubmission after receipt, None without one), it is on time
    exactly when `at <= deadline` (the appointment plus every supplement span after receipt).
    Judged at or before `resumed`, fewer spans count and only `judge` can tell. No appointment:
    (None, resumed), never on time (rule 2.1 step 4)."""
    waited = timedelta(0)
    resumed: datetime | None = None
    for s in f.spans:  # as `waited_after_receipt` with every resubmission before the end
        if s.resubmitted_at is None or s.resubmitted_at <= f.received_at:
            continue
        waited += s.resubmitted_at - max(s.requested_at, f.received_at)
        resumed = s.resubmitted_at if resumed is None else max(resumed, s.resubmitted_at)
    return (None if f.due is None else f.due + waited), resumed


def judge(f: DossierFacts, period_end: datetime, now: datetime, cfg: IndicatorSettings) -> Verdict:
    """Adopted rule 2.1, steps 1–5, for one dossier of R."""
    if f.supplement_requests > 1:
        # Step 1: more than one supplement request over the dossier's life.
        return Verdict(False, True, f.received_at, f.received_at, f.due, "more_than_one_supplement")
    open_span = next((s for s in f.spans if s.resubmitted_at is None), None)
    final = True
    if f.processed_at is not None:
        end, reason = f.processed_at, "processed"
    elif f.returned_at is not None:
        end, reason = f.returned_at, "returned"
    elif f.stopped_at is not None:
        end, reason = f.stopped_at, "stopped"
    elif open_span is not None:
        end, reason = open_span.requested_at, "awaiting_supplement"
    else:
        end, reason, final = min(period_end, now), "open", False
    adjusted = end - waited_after_receipt(f, end)
    if f.due is None:
        # Never for dossiers received in MotCua (Form 01 always carries the appointment);
        # the selector fills `due` from the procedure's time limit for imported ones (portal B).
        return Verdict(False, final, end, adjusted, None, "no_due")
    return Verdict(adjusted <= f.due, final, end, adjusted, f.due, reason)


#: The per-dossier counts kept by the counters (one column each); `on_time`/`late` count
#: only final verdicts, `open` the dossiers judged at read time.
FLAGS: tuple[str, ...] = (
    "received",
    "on_time",
    "late",
    "open",
    "online",
    "eligible",
    "full_online",
    "paper_required",
    "e_result",
    "digitized",
    "reused",
    "warehouse",
    "population",
    "fee_due",
    "paid_online",
    "fee_data",
    "synced",
    "complained",
)

#: Flags whose per-procedure presence matters (payment B and C, 4.5a).
PROCEDURE_FLAGS: tuple[str, ...] = ("paid_online", "fee_data", "population")


def flags_of(f: DossierFacts, cfg: IndicatorSettings, verdict: Verdict | None = None) -> dict[str, int]:
    """The dossier's contribution to the counters, each 0 or 1 (the definitions of docs/indicators.md)."""
    verdict = verdict or judge(f, f.received_at, f.received_at, cfg)
    full_online = f.eligible_full_online and f.online and (not f.requires_paper_result or f.electronic_result)
    digitized = f.component_file and (not f.requires_paper_result or f.electronic_result)
    return {
        "received": 1,
        "on_time": int(verdict.final and verdict.on_time),
        "late": int(verdict.final and not verdict.on_time),
        "open": int(not verdict.final),
        "online": int(f.online),
        "eligible": int(f.eligible_full_online),
        "full_online": int(full_online),
        "paper_required": int(f.requires_paper_result),
        "e_result": int(f.requires_paper_result and f.electronic_result),
        "digitized": int(digitized),
        "reused": int(f.reused),
        "warehouse": int(f.from_warehouse or f.pushed_to_warehouse),
        "population": int(f.population),
        "fee_due": int(f.fee_due),
        # 5.A: only a dossier that carries a fee counts as paid online, so the numerator is
        # a subset of the denominator (a payment for a dossier without a fee is not a fee paid).
        "paid_online": int(f.fee_due and f.paid_online),
        "fee_data": int(f.fee_data),
        "synced": int(f.synced),
        "complained": int(f.complained),
    }


# ---------------------------------------------------------------- totals


@dataclass
class Totals:
    """Sums over R for one scope and period, with open dossiers already judged."""

    counts: Counter[str] = field(default_factory=Counter)
    #: procedure id -> flag -> count, for the per-procedure flags.
    per_procedure: dict[int, Counter[str]] = field(default_factory=dict)
    #: dossiers judged at read time one by one: code -> on time?
    judged_open: dict[str, bool] = field(default_factory=dict)
    #: dossiers judged at read time in bulk (counted against their `open_deadline`)
    open_on_time: int = 0
    open_late: int = 0

    @property
    def on_time(self) -> int:
        return self.counts["on_time"] + self.open_on_time + sum(self.judged_open.values())

    @property
    def late(self) -> int:
        return self.counts["late"] + self.open_overdue

    @property
    def open_overdue(self) -> int:
        """Open dossiers judged late at read time (past their appointment, supplements added)."""
        return self.open_late + sum(1 for v in self.judged_open.values() if not v)

    def add_flags(self, procedure_id: int, flags: Mapping[str, int]) -> None:
        self.counts.update({k: v for k, v in flags.items() if v})
        proc = self.per_procedure.setdefault(procedure_id, Counter())
        proc.update({k: flags.get(k, 0) for k in PROCEDURE_FLAGS if flags.get(k, 0)})

    def procedures_with(self, flag: str) -> set[int]:
        return {pid for pid, c in self.per_procedure.items() if c[flag] > 0}


def aggregate(facts: Iterable[DossierFacts], period: Period, now: datetime, cfg: IndicatorSettings) -> Totals:
    """Totals over the dossiers of `facts` received in `period` (the reference computation)."""
    totals = Totals()
    for f in facts:
        if not period.contains(f.received_at):
            continue
        verdict = judge(f, period.end, now, cfg)
        totals.add_flags(f.procedure_id, flags_of(f, cfg, verdict))
        if not verdict.final:
            totals.judged_open[f.code] = verdict.on_time
    return totals


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class CatalogueFacts:
    """Catalogue-side numbers for the scope (publicity, payment B/C, 4.5a, e-certified copies)."""

    published_on_time: int = 0  # 1.1
    published_total: int = 0
    public_on_time: int = 0  # 1.2
    public_total: int = 0
    complete: int = 0  # 1.3
    complete_total: int = 0
    fee_procedures: frozenset[int] = frozenset()
    citizen_procedures: frozenset[int] = frozenset()
    communes_offering: int = 0
    communes: int = 0


@dataclass(frozen=True)
class PaknFacts:
    total: int = 0
    on_time: int = 0
    satisfied: int = 0  # total minus (more dislikes than likes, overdue or repeated)


@dataclass
class SubIndicator:
    key: str
    group: str
    numerator: float
    denominator: float
    rate: float | None
    points: float
    max_points: float
    definition: IndicatorDefinition
    #: the setting T of a `threshold` rule, printed in the formula
    threshold: float | None = None
    #: flags naming the dossiers behind the numerator and denominator (drill-down)
    drill: tuple[str, str] | None = None
    #: Set by `selectors.annotate_notes` (English). The pages, the export and the API print
    #: `presenters.note_for`, from the row's translated `source_note`, instead.
    note: str = ""

    @property
    def label(self) -> str:
        """In the active language (read at display time, never stored)."""
        return str(self.definition.label)

    @property
    def formula(self) -> str:
        text = str(self.definition.formula)
        return text.format(threshold=f"{self.threshold:.2f}") if self.threshold is not None else text


@dataclass
class Group:
    key: str
    max_points: float
    items: list[SubIndicator]
    definition: GroupDefinition

    @property
    def label(self) -> str:
        return str(self.definition.label)

    @property
    def points(self) -> float:
        return sum(i.points for i in self.items)


@dataclass
class Scorecard:
    groups: list[Group]
    classification: str
    received: int
    on_time: int
    late: int

    @property
    def total(self) -> float:
        return sum(g.points for g in self.groups)

    def item(self, key: str) -> SubIndicator:
        for g in self.groups:
            for i in g.items:
                if i.key == key:
                    return i
        raise KeyError(key)


def rate(numerator: float, denominator: float) -> float | None:
    """None (shown N/A, scored 0) when the denominator is empty (docs/indicators.md)."""
    return None if denominator == 0 else numerator / denominator


def linear(max_points: float, r: float | None) -> float:
    return 0.0 if r is None else max_points * r


def thresholded(max_points: float, r: float | None, threshold: float) -> float:
    """`max × min(1, rate/T)` (portal rule, adopted rule 4.3 and settlement satisfaction)."""
    return 0.0 if r is None else max_points * min(1.0, r / threshold)


def fact_values(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts) -> dict[str, float]:
    """Every fact of `definitions.FACTS` for one scope and period."""
    c = totals.counts
    fee = catalogue.fee_procedures
    citizen = catalogue.citizen_procedures
    values: dict[str, float] = {f"dossiers.{flag}": c[flag] for flag in FLAGS}
    values.update(
        {
            "dossiers.on_time": totals.on_time,
            "dossiers.late": c["received"] - totals.on_time,
            "procedures.fee": len(fee),
            "procedures.fee_paid_online": len(totals.procedures_with("paid_online") & fee),
            "procedures.fee_with_fee_data": len(totals.procedures_with("fee_data") & fee),
            "procedures.citizen": len(citizen),
            "procedures.citizen_with_population": len(totals.procedures_with("population") & citizen),
            "catalogue.published_on_time": catalogue.published_on_time,
            "catalogue.published_total": catalogue.published_total,
            "catalogue.public_on_time": catalogue.public_on_time,
            "catalogue.public_total": catalogue.public_total,
            "catalogue.complete": catalogue.complete,
            "catalogue.complete_total": catalogue.complete_total,
            "catalogue.communes_offering": catalogue.communes_offering,
            "catalogue.communes": catalogue.communes,
            "pakn.total": pakn.total,
            "pakn.on_time": pakn.on_time,
            "pakn.satisfied": pakn.satisfied,
        }
    )
    return values


def score_one(definition: IndicatorDefinition, values: Mapping[str, float], cfg: IndicatorSettings) -> SubIndicator:
    """One sub-indicator from its row of `definitions.INDICATORS`."""
    d = values[definition.denominator]
    n = values[definition.numerator]
    r = rate(n, d)
    if definition.subtract:
        n = n - sum(values[name] for name in definition.subtract)
        r = None if r is None else max(0.0, r - sum(values[name] / d for name in definition.subtract))
    threshold = getattr(cfg, definition.threshold) if definition.rule == "threshold" else None
    if d == 0 and definition.empty_points:
        points = definition.empty_points
    elif threshold is not None:
        points = thresholded(definition.max_points, r, threshold)
    elif definition.rule == "capped":
        points = 0.0 if r is None else min(float(definition.max_points), definition.factor * r)
    else:
        points = linear(definition.max_points, r)
    return SubIndicator(
        definition.key,
        definition.group,
        n,
        d,
        r,
        points,
        definition.max_points,
        definition,
        threshold=threshold,
        drill=definition.drill,
    )


def score(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts, cfg: IndicatorSettings) -> Scorecard:
    """The six groups of docs/indicators.md (18 + 20 + 12 + 10 + 22 + 18 = 100), one row of the
    definitions table at a time, then the two settings that move points between rows."""
    values = fact_values(totals, catalogue, pakn)
    groups = [
        Group(g.key, g.max_points, [score_one(d, values, cfg) for d in INDICATORS if d.group == g.key], g)
        for g in GROUPS
    ]
    card = Scorecard(groups, "", int(values["dossiers.received"]), totals.on_time, int(values["dossiers.late"]))
    _apply_settings(card, pakn, cfg)
    card.classification = cfg.classify(card.total)
    return card


def _apply_settings(card: Scorecard, pakn: PaknFacts, cfg: IndicatorSettings) -> None:
    """`CAP_PAYMENT_AT_10` and `PAKN_EMPTY_RULE = split` (docs/indicators.md, Settings)."""
    if cfg.cap_payment_at_10:
        pay_a, pay_b, pay_c = (card.item(key) for key in ("5.A", "5.B", "5.C"))
        if pay_a.points + pay_b.points + pay_c.points > 10:
            pay_c.points = 10 - pay_a.points - pay_b.points
    if pakn.total == 0 and cfg.pakn_empty_rule == "split":
        # Workbook reading (portal F): PAKN satisfaction's 6 points go half to each neighbour.
        card.item("6.2").points = 0.0
        card.item("6.1").points = 6.0 + 3.0
        card.item("6.3").points = card.item("6.3").points * 1.5
