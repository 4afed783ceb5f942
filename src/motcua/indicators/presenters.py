"""Scorecards as plain dicts (JSON API, Excel export and templates share one shape)."""

from __future__ import annotations

from typing import Any

from motcua.indicators.engine import Scorecard
from motcua.indicators.periods import Period
from motcua.organizations.models import Agency


def scorecard_dict(agency: Agency, period: Period, card: Scorecard) -> dict[str, Any]:
    """Rates exact; points rounded to 2 decimals for display only (§6.4)."""
    return {
        "agency": {"code": agency.code, "name": agency.name},
        "period": {"label": period.label, "first": period.first.isoformat(), "last": period.last.isoformat()},
        "total": round(card.total, 2),
        "classification": card.classification,
        "received": card.received,
        "on_time": card.on_time,
        "late": card.late,
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "max_points": g.max_points,
                "points": round(g.points, 2),
                "items": [
                    {
                        "key": i.key,
                        "label": i.label,
                        "numerator": i.numerator,
                        "denominator": i.denominator,
                        "rate": i.rate,
                        "points": round(i.points, 2),
                        "max_points": i.max_points,
                        "formula": i.formula,
                        "drill": list(i.drill) if i.drill else None,
                        "note": i.note,
                    }
                    for i in g.items
                ],
            }
            for g in card.groups
        ],
    }
