"""Scorecards as plain dicts (JSON API, Excel export and templates share one shape)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.indicators.definitions import DOSSIER_DRILLS, ITEM_LISTS
from motcua.indicators.engine import Scorecard, SubIndicator
from motcua.indicators.periods import Period
from motcua.organizations.models import Agency


def scorecard_dict(agency: Agency, period: Period, card: Scorecard) -> dict[str, Any]:
    """Rates exact; points rounded to 2 decimals for display only (docs/indicators.md). Labels, formulas
    and notes come from `definitions` in the active language."""
    return {
        "agency": {"code": agency.code, "name": agency.name},
        "period": {"label": period.label, "first": period.first.isoformat(), "last": period.last.isoformat()},
        "total": round(card.total, 2),
        "classification": card.classification,
        "classification_label": classification_label(card.classification),
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
                        "list": item_list_links(agency, period, i.key),
                        "note": note_for(i),
                    }
                    for i in g.items
                ],
            }
            for g in card.groups
        ],
    }


#: The default class names (`conf.IndicatorSettings.classes`, Vietnamese as configured),
#: for display in the active language. A configured name not listed here is shown as is.
CLASS_LABELS: dict[str, str | Promise] = {
    "Xuất sắc": _("Excellent"),
    "Tốt": _("Good"),
    "Khá": _("Fair"),
    "Trung bình": _("Average"),
    "Yếu": _("Weak"),
}


#: What each dossier flag (`engine.FLAGS`) counts, for the drill-down's heading and links.
FLAG_LABELS: dict[str, str | Promise] = {
    "received": _("Dossiers received"),
    "on_time": _("Dossiers settled on time"),
    "late": _("Dossiers settled late"),
    "open": _("Dossiers still open"),
    "online": _("Dossiers filed online"),
    "eligible": _("Dossiers of procedures eligible for full-process online service"),
    "full_online": _("Full-process online dossiers"),
    "paper_required": _("Dossiers of procedures with a paper result"),
    "e_result": _("Dossiers with an electronic result"),
    "digitized": _("Digitised dossiers"),
    "reused": _("Dossiers reusing digitised data"),
    "warehouse": _("Dossiers linked to the citizen's data warehouse"),
    "population": _("Dossiers using population data"),
    "fee_due": _("Dossiers with a fee"),
    "paid_online": _("Dossiers paid online"),
    "fee_data": _("Dossiers with fee data"),
    "synced": _("Dossiers synced to the national portal"),
    "complained": _("Dossiers with a complaint"),
}


def flag_label(flag: str) -> str:
    """A dossier flag in the reader's words (the raw key when it is not one of `engine.FLAGS`)."""
    return str(FLAG_LABELS.get(flag, flag))


def classification_label(name: str) -> str:
    return str(CLASS_LABELS.get(name, name))


def note_for(item: SubIndicator) -> str:
    """Why a sub-indicator reads N/A or 0: its definition's note on where the data comes from."""
    source = str(item.definition.source_note)
    if item.denominator == 0:
        empty = gettext("N/A: nothing to count in this period (scores 0 unless stated).")
        return f"{empty} {source}".strip()
    return source if item.numerator == 0 else ""


def item_list_links(agency: Agency, period: Period, key: str) -> dict[str, Any] | None:
    """Where the items behind sub-indicator `key` are listed (page and API), or None."""
    if key in ITEM_LISTS:
        query = {"agency": agency.code, "period": period.label, "key": key}
        return {
            "kind": ITEM_LISTS[key],
            "page": _page("indicators:items", agency, key, period),
            "api": f"{reverse('api-v1:indicator_items')}?{urlencode(query)}",
        }
    if key in DOSSIER_DRILLS:
        numerator, denominator = DOSSIER_DRILLS[key]
        return {
            "kind": "dossiers",
            **{
                side: {
                    "flag": flag,
                    "page": _page("indicators:drilldown", agency, flag, period),
                    "api": f"{reverse('api-v1:indicator_drilldown')}?"
                    + urlencode({"agency": agency.code, "period": period.label, "flag": flag}),
                }
                for side, flag in (("numerator", numerator), ("denominator", denominator))
            },
        }
    return None


def _page(name: str, agency: Agency, arg: str, period: Period) -> str:
    return f"{reverse(name, args=[agency.code, arg])}?{urlencode({'period': period.label})}"
