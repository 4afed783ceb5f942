"""The Indicator set 766 as data: one row per sub-indicator, one per group.

Everything the engine scores, the dashboard and the exports print, the API returns and
`docs/indicators.md` lists is read from `GROUPS` and `INDICATORS` below, so a sub-indicator
is defined in exactly one place:

- `key`, `group` and `max_points` (the points of docs/indicators.md);
- `numerator` and `denominator`: the facts it reads (names from `FACTS`);
- `rule`: how a rate becomes points (`linear`, `threshold` against a setting, `capped`);
- `formula`: the formula as printed (a gettext string; `{threshold}` is the setting's value);
- `label`: gettext (msgid in English, Vietnamese in the catalogue);
- `drill`: the counter flags whose dossiers back the numerator and denominator, or `items`:
  what its item list holds (procedures, communes or feedback);
- `source_note`: why it may read 0 while the data behind it is not produced yet.

No ORM here, no database: the module is imported by the pure engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Rule = Literal["linear", "threshold", "capped"]

#: The facts a sub-indicator can read, and where each comes from. `dossiers.*` are counter
#: flags summed over R (`engine.FLAGS`), `procedures.*` count procedures by per-procedure
#: flags, `catalogue.*` come from `catalogue.py` and `pakn.*` from the PAKN counters.
FACTS: dict[str, str] = {
    "dossiers.received": "dossiers of R",
    "dossiers.on_time": "dossiers of R on time (final verdicts and open ones judged at read time)",
    "dossiers.late": "dossiers of R late (received − on time)",
    "dossiers.synced": "dossiers synced to the national portal",
    "dossiers.eligible": "dossiers of procedures eligible for full-process online service",
    "dossiers.full_online": "full-process online dossiers",
    "dossiers.fee_due": "dossiers with a fee",
    "dossiers.paid_online": "dossiers paid online",
    "dossiers.paper_required": "dossiers of procedures requiring a paper result",
    "dossiers.e_result": "dossiers with an electronic result",
    "dossiers.digitized": "digitised dossiers",
    "dossiers.reused": "dossiers reusing digitised data",
    "dossiers.warehouse": "dossiers taking from or pushing to the citizen's warehouse",
    "dossiers.population": "dossiers using population data",
    "dossiers.complained": "dossiers with a PAKN or an unsatisfied rating",
    "procedures.fee": "fee procedures",
    "procedures.fee_paid_online": "fee procedures with a dossier paid online",
    "procedures.fee_with_fee_data": "fee procedures with a dossier carrying fee data",
    "procedures.citizen": "procedures whose subjects include citizens",
    "procedures.citizen_with_population": "citizen procedures with a dossier using population data",
    "catalogue.published_on_time": "procedures published on time",
    "catalogue.published_total": "procedures with a decision dated in the period",
    "catalogue.public_on_time": "versions made public on time",
    "catalogue.public_total": "versions made public or due to be",
    "catalogue.complete": "versions in force with every component",
    "catalogue.complete_total": "versions in force",
    "catalogue.communes_offering": "communes offering e-certified copies",
    "catalogue.communes": "communes",
    "pakn.total": "PAKN received",
    "pakn.on_time": "PAKN handled on time",
    "pakn.satisfied": "PAKN neither disliked, overdue nor repeated",
}


@dataclass(frozen=True)
class GroupDefinition:
    key: str
    label: str | Promise
    max_points: float


@dataclass(frozen=True)
class IndicatorDefinition:
    key: str
    group: str
    max_points: float
    label: str | Promise
    numerator: str
    denominator: str
    formula: str | Promise
    rule: Rule = "linear"
    #: `threshold`: the `IndicatorSettings` attribute holding T in max × min(1, rate ÷ T).
    threshold: str = ""
    #: `capped`: points are min(max_points, factor × rate).
    factor: float = 0.0
    #: Facts subtracted from the numerator (6.3: received − late − complained); the rate is
    #: then max(0, numerator ÷ denominator − Σ fact ÷ denominator).
    subtract: tuple[str, ...] = ()
    #: Points when the denominator is empty (the PAKN indicators score full points).
    empty_points: float = 0.0
    drill: tuple[str, str] | None = None
    items: str | None = None
    source_note: str | Promise = ""


GROUPS: tuple[GroupDefinition, ...] = (
    GroupDefinition("publicity", _("Publicity and transparency"), 18),
    GroupDefinition("progress", _("Progress and results of settlement"), 20),
    GroupDefinition("online", _("Online public service"), 12),
    GroupDefinition("payment", _("Online payment"), 10),
    GroupDefinition("digitization", _("Digitisation of dossiers"), 22),
    GroupDefinition("satisfaction", _("Satisfaction"), 18),
)

_PAYMENTS_NOTE = _("Online payments are recorded by the payments capability; until it records any, this reads 0.")
_PAKN_NOTE = _("Feedback (PAKN) is recorded by the feedback capability; with no PAKN the indicator scores 6.")

#: In display order: group by group, as Decision 766 lists them (payment before digitisation).
INDICATORS: tuple[IndicatorDefinition, ...] = (
    IndicatorDefinition(
        "1.1",
        "publicity",
        6,
        _("Procedures published on time"),
        "catalogue.published_on_time",
        "catalogue.published_total",
        _("6 × on time ÷ procedures in decisions dated in the period"),
        items="procedures",
    ),
    IndicatorDefinition(
        "1.2",
        "publicity",
        4,
        _("Procedures made public on time in the national database"),
        "catalogue.public_on_time",
        "catalogue.public_total",
        _("4 × made public ≤ decision + 5 working days ÷ made public or due"),
        items="procedures",
        source_note=_("Needs the date each procedure was made public in the national database (catalogue)."),
    ),
    IndicatorDefinition(
        "1.3",
        "publicity",
        2,
        _("Procedures published with all components"),
        "catalogue.complete",
        "catalogue.complete_total",
        _("2 × complete ÷ published procedures (snapshot)"),
        items="procedures",
    ),
    IndicatorDefinition(
        "1.4",
        "publicity",
        6,
        _("Dossiers synced to the national portal"),
        "dossiers.synced",
        "dossiers.received",
        _("6 × synced ÷ received"),
        drill=("synced", "received"),
        source_note=_("Counts dossiers synced to the national portal; the sync connector sets it. Until it runs, 0."),
    ),
    IndicatorDefinition(
        "2.1",
        "progress",
        20,
        _("Dossiers settled on time"),
        "dossiers.on_time",
        "dossiers.received",
        _("20 × on time ÷ received"),
        drill=("on_time", "received"),
    ),
    IndicatorDefinition(
        "3.0",
        "online",
        12,
        _("Full-process online dossiers"),
        "dossiers.full_online",
        "dossiers.eligible",
        _("12 × full-process online ÷ dossiers of eligible procedures"),
        drill=("full_online", "eligible"),
    ),
    IndicatorDefinition(
        "5.A",
        "payment",
        6,
        _("Dossiers paid online"),
        "dossiers.paid_online",
        "dossiers.fee_due",
        _("6 × paid online ÷ dossiers with a fee"),
        drill=("paid_online", "fee_due"),
        source_note=_PAYMENTS_NOTE,
    ),
    IndicatorDefinition(
        "5.B",
        "payment",
        2,
        _("Fee procedures with an online payment"),
        "procedures.fee_paid_online",
        "procedures.fee",
        _("min(2, 2.5 × procedures with an online payment ÷ fee procedures)"),
        rule="capped",
        factor=2.5,
        items="procedures",
        source_note=_PAYMENTS_NOTE,
    ),
    IndicatorDefinition(
        "5.C",
        "payment",
        2.5,
        _("Fee procedures with fee data synced"),
        "procedures.fee_with_fee_data",
        "procedures.fee",
        _("2.5 × procedures with fee data ÷ fee procedures"),
        items="procedures",
        source_note=_("Fee data synced to the national portal is recorded with payments; until then, this reads 0."),
    ),
    IndicatorDefinition(
        "4.1",
        "digitization",
        6,
        _("Dossiers with an electronic result"),
        "dossiers.e_result",
        "dossiers.paper_required",
        _("6 × e-result ÷ dossiers of procedures with a paper result"),
        drill=("e_result", "paper_required"),
        source_note=_("Electronic results are flagged when a result is finished electronically; none yet reads 0."),
    ),
    IndicatorDefinition(
        "4.2",
        "digitization",
        4,
        _("Digitised dossiers"),
        "dossiers.digitized",
        "dossiers.received",
        _("4 × digitised ÷ received"),
        drill=("digitized", "received"),
    ),
    IndicatorDefinition(
        "4.e",
        "digitization",
        2,
        _("Communes offering electronic certified copies"),
        "catalogue.communes_offering",
        "catalogue.communes",
        _("2 × communes offering ÷ communes"),
        items="communes",
        source_note=_("Catalogue data: communes flagged as offering electronic certified copies."),
    ),
    IndicatorDefinition(
        "4.3",
        "digitization",
        2,
        _("Dossiers reusing digitised data"),
        "dossiers.reused",
        "dossiers.received",
        _("min(2, 2 × reused ÷ received ÷ {threshold})"),
        rule="threshold",
        threshold="reuse_threshold",
        drill=("reused", "received"),
        source_note=_("Reused digitised data comes from the warehouse and reuse capability; until it exists, 0."),
    ),
    IndicatorDefinition(
        "4.4",
        "digitization",
        4,
        _("Dossiers linked to the citizen's data warehouse"),
        "dossiers.warehouse",
        "dossiers.received",
        _("4 × from or to the warehouse ÷ received"),
        drill=("warehouse", "received"),
        source_note=_("Warehouse links (components taken from it, results pushed to it) are not produced yet: 0."),
    ),
    IndicatorDefinition(
        "4.5b",
        "digitization",
        2,
        _("Dossiers using population data"),
        "dossiers.population",
        "dossiers.received",
        _("2 × using population data ÷ received"),
        drill=("population", "received"),
        source_note=_(
            "Population-database use (VNeID-verified applicants, components from national databases) "
            "is not produced yet: 0."
        ),
    ),
    IndicatorDefinition(
        "4.5a",
        "digitization",
        2,
        _("Procedures using population data"),
        "procedures.citizen_with_population",
        "procedures.citizen",
        _("2 × citizen procedures with such a dossier ÷ citizen procedures"),
        items="procedures",
        source_note=_("Depends on 4.5b dossiers; reads 0 until population-database use is recorded."),
    ),
    IndicatorDefinition(
        "6.1",
        "satisfaction",
        6,
        _("Feedback (PAKN) handled on time"),
        "pakn.on_time",
        "pakn.total",
        _("6 × on time ÷ PAKN (6 when there is none)"),
        empty_points=6.0,
        items="feedback",
        source_note=_PAKN_NOTE,
    ),
    IndicatorDefinition(
        "6.2",
        "satisfaction",
        6,
        _("Satisfaction with feedback (PAKN) handling"),
        "pakn.satisfied",
        "pakn.total",
        _("6 × (PAKN − disliked, overdue or repeated) ÷ PAKN (6 when there is none)"),
        empty_points=6.0,
        items="feedback",
        source_note=_PAKN_NOTE,
    ),
    IndicatorDefinition(
        "6.3",
        "satisfaction",
        6,
        _("Satisfaction with receipt and settlement"),
        "dossiers.received",
        "dossiers.received",
        _("min(6, 6 × (1 − late ÷ received − complained ÷ received) ÷ {threshold})"),
        rule="threshold",
        threshold="settlement_satisfaction_threshold",
        subtract=("dossiers.late", "dossiers.complained"),
        # The numerator is received − late − complained: its list gives the complained
        # dossiers and the received ones.
        drill=("complained", "received"),
    ),
)

BY_KEY: dict[str, IndicatorDefinition] = {d.key: d for d in INDICATORS}

#: Sub-indicators counted over dossiers: (numerator flag, denominator flag) of their drill-down.
DOSSIER_DRILLS: dict[str, tuple[str, str]] = {d.key: d.drill for d in INDICATORS if d.drill}

#: Sub-indicators counted over catalogue items or PAKN: what their item list holds.
ITEM_LISTS: dict[str, str] = {d.key: d.items for d in INDICATORS if d.items}


def facts_read(definition: IndicatorDefinition) -> tuple[str, ...]:
    """The names (of `FACTS`) a sub-indicator reads."""
    return tuple(dict.fromkeys((definition.numerator, definition.denominator, *definition.subtract)))


def points_text(definition: IndicatorDefinition, threshold: float | None = None) -> str:
    """How the rate r becomes points, in the notation of docs/indicators.md."""
    top = f"{definition.max_points:g}"
    if definition.rule == "capped":
        text = f"min({top}, {definition.factor:g} × r)"
    elif definition.rule == "threshold":
        shown = f"{threshold:.2f}" if threshold is not None else definition.threshold
        text = f"min({top}, {top} × r ÷ {shown})"
    else:
        text = f"{top} × r"
    if definition.empty_points:
        text += f" ({definition.empty_points:g} if the denominator is empty)"
    return text
