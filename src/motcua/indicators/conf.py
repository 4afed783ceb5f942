"""Settings of the indicator engine: the rules whose source was NOT FOUND, assumed or in conflict.

Read from `settings.MOTCUA["INDICATORS"]` (a dict); every key has the default documented in
docs/indicators.md. Defaults follow the adopted reading and, where it is silent,
the most literal reading of the portal's rules (both in docs/indicators.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings

from motcua.lib.errors import InvalidInput


@dataclass(frozen=True)
class IndicatorSettings:
    #: classes: cut-offs are NOT FOUND; adopted rules' assumption ≥90 / ≥80 / ≥70 / ≥50.
    classes: tuple[tuple[float, str], ...] = (
        (90.0, "Xuất sắc"),
        (80.0, "Tốt"),
        (70.0, "Khá"),
        (50.0, "Trung bình"),
        (0.0, "Yếu"),
    )
    #: portal A 1.1: a province's decision must be dated ≥5 working days before the legal basis
    #: takes effect (ministries 20).
    publish_lead_working_days: int = 5
    #: portal A 1.2: made public in the national database ≤5 working days after the decision.
    public_within_working_days: int = 5
    #: 1.1 when a version has no legal-basis effective date (NOT FOUND): "effective_date" (use
    #: the version's own effective date), "on_time" or "late".
    publish_missing_legal_date: str = "effective_date"
    #: adopted rule 4.3: reuse is full at 80 %.
    reuse_threshold: float = 0.80
    #: adopted rules: settlement satisfaction is full at 90 %.
    settlement_satisfaction_threshold: float = 0.90
    #: portal F and adopted rules: PAKN deadlines in working days.
    pakn_handle_days: int = 15
    pakn_refuse_days: int = 2
    pakn_supplement_days: int = 5
    pakn_publish_days: int = 2
    #: portal F conflict: with no PAKN the workbook splits the points, the API gives 6 each;
    #: the adopted reading takes the API ("full"). "split" moves the 6 PAKN-satisfaction points half to
    #: PAKN on time and half to settlement satisfaction.
    pakn_empty_rule: str = "full"
    #: adopted rule 4.5b: component source codes that mean "from the population database"; empty =
    #: any non-empty `source_db_code` (the only national database MotCua reads today).
    population_source_codes: tuple[str, ...] = ()
    #: adopted rules: payment = 6·A + min(2, 2.5·B) + 2.5·C can reach 10.5 although the group is worth
    #: 10; the letter is kept (False). True caps the group at 10.
    cap_payment_at_10: bool = False
    #: Dashboards: open dossiers due within this many hours are "due soon".
    due_soon_hours: int = 48
    #: Drill-down page size cap.
    drilldown_max: int = 500
    #: The public on-time record on the procedure page looks back this many months (the
    #: current one included); no legal text fixes it.
    public_record_months: int = 12
    extra: dict[str, Any] = field(default_factory=dict)

    def classify(self, total: float) -> str:
        for cut, name in self.classes:
            if total >= cut:
                return name
        return self.classes[-1][1]


_KEYS = {
    "CLASSES": "classes",
    "PUBLISH_LEAD_WORKING_DAYS": "publish_lead_working_days",
    "PUBLIC_WITHIN_WORKING_DAYS": "public_within_working_days",
    "PUBLISH_MISSING_LEGAL_DATE": "publish_missing_legal_date",
    "REUSE_THRESHOLD": "reuse_threshold",
    "SETTLEMENT_SATISFACTION_THRESHOLD": "settlement_satisfaction_threshold",
    "PAKN_HANDLE_DAYS": "pakn_handle_days",
    "PAKN_REFUSE_DAYS": "pakn_refuse_days",
    "PAKN_SUPPLEMENT_DAYS": "pakn_supplement_days",
    "PAKN_PUBLISH_DAYS": "pakn_publish_days",
    "PAKN_EMPTY_RULE": "pakn_empty_rule",
    "POPULATION_SOURCE_CODES": "population_source_codes",
    "CAP_PAYMENT_AT_10": "cap_payment_at_10",
    "DUE_SOON_HOURS": "due_soon_hours",
    "DRILLDOWN_MAX": "drilldown_max",
    "PUBLIC_RECORD_MONTHS": "public_record_months",
}


def indicator_settings(overrides: dict[str, Any] | None = None) -> IndicatorSettings:
    """The settings in force: defaults, then `settings.MOTCUA["INDICATORS"]`, then `overrides`."""
    raw: dict[str, Any] = dict(getattr(settings, "MOTCUA", {}).get("INDICATORS", {}))
    raw.update(overrides or {})
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = _KEYS.get(key)
        if name is None:
            raise InvalidInput(f"Unknown indicator setting {key!r}.", code="invalid_indicator_setting")
        if name in {"classes", "population_source_codes"}:
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[name] = value
    result = replace(IndicatorSettings(), **values)
    if result.publish_missing_legal_date not in {"effective_date", "on_time", "late"}:
        raise InvalidInput("PUBLISH_MISSING_LEGAL_DATE is effective_date, on_time or late.", code="invalid_setting")
    if result.pakn_empty_rule not in {"full", "split"}:
        raise InvalidInput("PAKN_EMPTY_RULE is full or split.", code="invalid_setting")
    return result
