"""The Indicator set 766 engine: plain dossier facts in, sub-indicator scores out. No ORM.

Every rule here is domain.md §6.4 ("Interpretations adopted by MotCua (authoritative for the
project)"), which settles the differences between the portal's formula document, its workbook
and its observed scoring ([R19]–[R23], summarised in §6.3 and §12). The few rules §6.4 leaves
open are settings (`conf.IndicatorSettings`), documented in docs/indicators.md.

The same functions serve the incremental counters (`flags_of` gives a dossier's contribution),
the full recomputation (`aggregate`) and the tests, so each rule is written once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from motcua.indicators.conf import IndicatorSettings
from motcua.indicators.periods import Period

# ---------------------------------------------------------------- facts


@dataclass(frozen=True)
class Span:
    """A supplement request (Form 02) and the applicant's answer, if any."""

    requested_at: datetime
    resubmitted_at: datetime | None = None


@dataclass(frozen=True)
class DossierFacts:
    """What the indicators need to know about one received dossier (the set R of §6.4)."""

    code: str
    agency_id: int  # the settling agency (cơ quan thực hiện)
    procedure_id: int
    received_at: datetime
    due: datetime | None  # the appointment written on Form 01 (§6.4 2.1 step 4)
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


def judge(f: DossierFacts, period_end: datetime, now: datetime, cfg: IndicatorSettings) -> Verdict:
    """§6.4 2.1, steps 1–5, for one dossier of R."""
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
    waited = sum(
        (
            s.resubmitted_at - s.requested_at
            for s in f.spans
            if s.resubmitted_at is not None
            and s.resubmitted_at < end
            and (cfg.subtract_spans_before_receipt or s.resubmitted_at > f.received_at)
        ),
        start=end - end,
    )
    adjusted = end - waited
    if f.due is None:
        # Never for dossiers received in MotCua (Form 01 always carries the appointment);
        # the selector fills `due` from the procedure's time limit for imported ones (§6.3 B).
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
    """The dossier's contribution to the counters, each 0 or 1 (the definitions of §6.4)."""
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
        "paid_online": int(f.paid_online),
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
    #: dossiers judged at read time: code -> on time?
    judged_open: dict[str, bool] = field(default_factory=dict)

    @property
    def on_time(self) -> int:
        return self.counts["on_time"] + sum(self.judged_open.values())

    @property
    def late(self) -> int:
        return self.counts["late"] + sum(1 for v in self.judged_open.values() if not v)

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


#: Sub-indicators counted over dossiers: (numerator flag, denominator flag) of their
#: drill-down (`selectors.drilldown`). 6.3's numerator is received − late − complained, so
#: its list gives the complained dossiers and the received ones.
DOSSIER_DRILLS: dict[str, tuple[str, str]] = {
    "1.4": ("synced", "received"),
    "2.1": ("on_time", "received"),
    "3.0": ("full_online", "eligible"),
    "5.A": ("paid_online", "fee_due"),
    "4.1": ("e_result", "paper_required"),
    "4.2": ("digitized", "received"),
    "4.3": ("reused", "received"),
    "4.4": ("warehouse", "received"),
    "4.5b": ("population", "received"),
    "6.3": ("complained", "received"),
}

#: Sub-indicators counted over catalogue items or PAKN: what their item list
#: (`selectors.indicator_items`) holds. Each item says whether it counts in the numerator.
ITEM_LISTS: dict[str, str] = {
    "1.1": "procedures",
    "1.2": "procedures",
    "1.3": "procedures",
    "4.e": "communes",
    "4.5a": "procedures",
    "5.B": "procedures",
    "5.C": "procedures",
    "6.1": "feedback",
    "6.2": "feedback",
}


@dataclass
class SubIndicator:
    key: str
    group: str
    label: str
    numerator: float
    denominator: float
    rate: float | None
    points: float
    max_points: float
    formula: str
    #: flags naming the dossiers behind the numerator and denominator (drill-down)
    drill: tuple[str, str] | None = None
    note: str = ""


@dataclass
class Group:
    key: str
    label: str
    max_points: float
    items: list[SubIndicator]

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
    """None (shown N/A, scored 0) when the denominator is empty (§6.4)."""
    return None if denominator == 0 else numerator / denominator


def linear(max_points: float, r: float | None) -> float:
    return 0.0 if r is None else max_points * r


def thresholded(max_points: float, r: float | None, threshold: float) -> float:
    """`max × min(1, rate/T)` (§6.3 rule, §6.4 4.3 and settlement satisfaction)."""
    return 0.0 if r is None else max_points * min(1.0, r / threshold)


def score(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts, cfg: IndicatorSettings) -> Scorecard:
    """The six groups of §6.4 (18 + 20 + 12 + 10 + 22 + 18 = 100)."""
    from motcua.indicators.groups import GROUPS  # groups builds on the types above: imported here

    received = totals.counts["received"]
    on_time = totals.on_time
    groups = [group(totals, catalogue, pakn, cfg) for group in GROUPS]
    total = sum(g.points for g in groups)
    return Scorecard(groups, cfg.classify(total), received, on_time, received - on_time)
