"""What is behind a number: the dossiers behind a dossier flag (`drilldown`), and the
items (procedures, communes, PAKN) behind a catalogue or PAKN sub-indicator
(`indicator_items`), from the same computation that gives the scorecard its numbers."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.indicators import catalogue as cat
from motcua.indicators.conf import IndicatorSettings, indicator_settings
from motcua.indicators.engine import (
    DOSSIER_DRILLS,
    FLAGS,
    ITEM_LISTS,
    judge,
)
from motcua.indicators.models import IndicatorFact, PaknFact
from motcua.indicators.periods import Period, local_day
from motcua.indicators.selectors.catalogue_facts import (
    CatalogueDetail,
    CatalogueVersion,
    JudgedVersions,
    catalogue_of,
    catalogue_versions,
    communes_below,
    judge_versions,
)
from motcua.indicators.selectors.totals import facts_from_row, subtree_agencies, subtree_totals
from motcua.lib.errors import InvalidInput
from motcua.organizations.models import Agency

# ---------------------------------------------------------------- drill-down


DRILL_FLAGS = (*FLAGS, "judged_on_time", "judged_late")
#: The received dossiers not (yet) synced to the national portal: what indicator 1.4 misses.
NOT_SYNCED = "not_synced"


def drilldown(
    agency: Agency, period: Period, flag: str, *, now: datetime | None = None, limit: int | None = None
) -> list[dict[str, object]]:
    """The dossiers behind a number: those of R in `agency`'s subtree with `flag` set.

    `on_time` and `late` include the open dossiers judged at read time.
    """
    from django.utils import timezone

    cfg = indicator_settings()
    if flag not in FLAGS and flag != NOT_SYNCED:
        raise InvalidInput(
            f"Unknown indicator flag {flag!r}.", code="invalid_flag", details={"flags": [*FLAGS, NOT_SYNCED]}
        )
    now = now or timezone.now()
    limit = min(limit or cfg.drilldown_max, cfg.drilldown_max)
    base = IndicatorFact.objects.filter(
        agency__path__startswith=agency.path, receipt_day__range=(period.first, period.last)
    ).select_related("agency", "procedure", "dossier__procedure_version")
    rows: list[IndicatorFact] = []
    if flag in {"on_time", "late"}:
        rows = list(base.filter(**{flag: True}).order_by("received_at")[:limit])
        for row in base.filter(open=True).order_by("received_at"):
            if len(rows) >= limit:
                break
            verdict = judge(facts_from_row(row), period.end, now, cfg)
            if verdict.on_time == (flag == "on_time"):
                rows.append(row)
    elif flag == NOT_SYNCED:
        rows = list(base.filter(received=True, synced=False).order_by("received_at")[:limit])
    else:
        rows = list(base.filter(**{flag: True}).order_by("received_at")[:limit])
    return [
        {
            "code": r.code,
            "agency": r.agency.code,
            "agency_name": r.agency.name,
            "procedure": r.procedure.code,
            "procedure_name": r.dossier.procedure_version.name,
            "received_at": r.received_at,
            "due": r.due,
            "open": r.open,
            "late": r.late,
        }
        for r in rows
    ]


# ---------------------------------------------------------------- item lists


#: The per-procedure dossier flag behind 5.B, 5.C and 4.5a.
_PROCEDURE_FLAG = {"5.B": "paid_online", "5.C": "fee_data", "4.5a": "population"}
#: The Feedback instant that records each outcome.
_ANSWERED = {
    "handled": "handled_at",
    "refused": "refused_at",
    "supplement_requested": "supplement_requested_at",
    "published": "published_at",
}


def indicator_items(
    agency: Agency, period: Period, key: str, *, now: datetime | None = None, limit: int | None = None
) -> dict[str, Any]:
    """The items behind a catalogue or PAKN sub-indicator (`engine.ITEM_LISTS`): every item
    of its denominator, each marked `in_numerator` with the reason.

    The lists come out of the computation that gives the scorecard its numbers (the same
    loop over the catalogue, the same dossier totals, the same PAKN facts), so `denominator`
    is the length of the full list and `numerator` the items marked. Items not counted come
    first; at most `limit` (≤ DRILLDOWN_MAX) are returned, `truncated` says when more exist.
    """
    from django.utils import timezone

    cfg = indicator_settings()
    kind = ITEM_LISTS.get(key)
    if kind is None:
        if key in DOSSIER_DRILLS:
            raise InvalidInput(
                f"Sub-indicator {key} counts dossiers: list them with the dossier drill-down.",
                code="dossier_indicator",
                details={"flags": list(DOSSIER_DRILLS[key])},
            )
        raise InvalidInput(
            f"Unknown sub-indicator {key!r}.", code="invalid_indicator", details={"keys": list(ITEM_LISTS)}
        )
    now = now or timezone.now()
    limit = min(limit or cfg.drilldown_max, cfg.drilldown_max)
    if kind == "feedback":
        rows = _feedback_items(agency, period, now, key)
    elif kind == "communes":
        rows = _commune_items(agency)
    else:
        rows = _procedure_items(agency, period, now, cfg, key)
    rows.sort(key=lambda pair: (bool(pair[1]["in_numerator"]), pair[0]))
    items = [row for _, row in rows]
    return {
        "key": key,
        "kind": kind,
        "numerator": sum(1 for row in items if row["in_numerator"]),
        "denominator": len(items),
        "truncated": len(items) > limit,
        "items": items[:limit],
    }


def _commune_items(agency: Agency) -> list[tuple[Any, dict[str, Any]]]:
    """4.e: the communes of the subtree, as `catalogue_facts_for` counts them."""
    communes = communes_below(subtree_agencies(agency))[agency.pk]
    return [
        (
            c.code,
            {
                "code": c.code,
                "name": c.name,
                "in_numerator": c.offers_e_certified_copy,
                "reason": "offers" if c.offers_e_certified_copy else "does_not_offer",
            },
        )
        for c in communes
    ]


def _version_row(v: CatalogueVersion) -> dict[str, Any]:
    return {"code": v.code, "name": v.name, "version": v.number}


def _procedure_items(
    agency: Agency, period: Period, now: datetime, cfg: IndicatorSettings, key: str
) -> list[tuple[Any, dict[str, Any]]]:
    """1.1, 1.2, 1.3, 5.B, 5.C and 4.5a: `catalogue_of` for the scope, with its detail."""
    agencies = subtree_agencies(agency)
    cal = calendar_for(None)
    judged = judge_versions(catalogue_versions(), agencies, period, cal, cfg)
    detail = CatalogueDetail({}, {}, [], [])
    facts = catalogue_of(agency, judged, communes_below(agencies)[agency.pk], detail)
    if key == "1.1":
        return _published_items(judged, detail, cal, cfg)
    if key == "1.2":
        return _public_items(judged, detail, period, cal, cfg)
    out: list[tuple[Any, dict[str, Any]]] = []
    if key == "1.3":
        for i in detail.in_force:
            v = judged.versions[i]
            row = {
                **_version_row(v),
                "in_numerator": v.facts.complete,
                "reason": "complete" if v.facts.complete else "missing_components",
                "missing": list(v.missing),
            }
            out.append((v.code, row))
        return out
    flag = _PROCEDURE_FLAG[key]
    procedures = facts.citizen_procedures if key == "4.5a" else facts.fee_procedures
    totals = subtree_totals(agency, period, now, cfg, agencies=agencies).totals[agency.pk]
    with_flag = totals.procedures_with(flag)
    in_force = {judged.versions[i].facts.procedure_id: judged.versions[i] for i in detail.in_force}
    for pid in procedures:
        v = in_force[pid]
        counted = pid in with_flag
        row = {
            **_version_row(v),
            "in_numerator": counted,
            "reason": flag if counted else f"no_{flag}",
            "dossiers": totals.per_procedure.get(pid, Counter())[flag],
        }
        out.append((v.code, row))
    return out


def _published_items(
    judged: JudgedVersions, detail: CatalogueDetail, cal: worktime.WorkCalendar, cfg: IndicatorSettings
) -> list[tuple[Any, dict[str, Any]]]:
    """1.1: each procedure published in the period, with the judgement of each of its versions."""
    out: list[tuple[Any, dict[str, Any]]] = []
    for pid, ok in detail.published.items():
        judged_versions: list[dict[str, Any]] = []
        for i in detail.published_versions[pid]:
            f = judged.versions[i].facts
            deadline = cat.publication_deadline(f, cal, cfg)
            judged_versions.append(
                {
                    "version": judged.versions[i].number,
                    "decision_date": f.decision_date,
                    "legal_basis_date": cat.legal_basis_date(f, cfg),
                    "deadline": deadline,
                    "on_time": bool(judged.published[i]),
                }
            )
        judged_versions.sort(key=lambda v: v["version"])
        last = max((judged.versions[i] for i in detail.published_versions[pid]), key=lambda v: v.number)
        if not all(v["on_time"] for v in judged_versions if v["deadline"] is not None):
            reason = "decision_late"
        elif any(v["deadline"] is None for v in judged_versions):
            reason = "no_legal_basis_date"
        else:
            reason = "decision_on_time"
        row = {**_version_row(last), "in_numerator": ok, "reason": reason, "versions": judged_versions}
        out.append((last.code, row))
    return out


def _public_items(
    judged: JudgedVersions, detail: CatalogueDetail, period: Period, cal: worktime.WorkCalendar, cfg: IndicatorSettings
) -> list[tuple[Any, dict[str, Any]]]:
    """1.2: each version due to be made public, and whether it was in time."""
    out: list[tuple[Any, dict[str, Any]]] = []
    for i in detail.public:
        v = judged.versions[i]
        ok = judged.public[i][1]
        public_day = local_day(v.facts.made_public_at) if v.facts.made_public_at else None
        if ok:
            reason = "made_public_on_time"
        elif public_day is not None and period.first <= public_day <= period.last:
            reason = "made_public_late"
        else:
            reason = "not_made_public"
        row = {
            **_version_row(v),
            "in_numerator": ok,
            "reason": reason,
            "decision_date": v.facts.decision_date,
            "due": cat.public_due(v.facts, cal, cfg),
            "made_public_on": public_day,
        }
        out.append(((v.code, v.number), row))
    return out


def _feedback_items(agency: Agency, period: Period, now: datetime, key: str) -> list[tuple[Any, dict[str, Any]]]:
    """6.1 and 6.2: the PAKN facts of the period in the subtree, judged as the PAKN counters
    count them (`pakn_from_counters`) at min(period end, now). No content, no person."""
    judged_at = min(period.end, now)
    rows = (
        PaknFact.objects.filter(agency__path__startswith=agency.path, receipt_day__range=(period.first, period.last))
        .select_related("agency", "feedback")
        .only(
            "feedback_id",
            "received_at",
            "handle_due",
            "final",
            "on_time",
            "satisfied",
            "objected",
            "agency__code",
            "feedback__kind",
            "feedback__status",
            *(f"feedback__{name}" for name in _ANSWERED.values()),
        )
    )
    out: list[tuple[Any, dict[str, Any]]] = []
    for row in rows:
        ok, sat = cat.pakn_fact_verdict(row.final, row.on_time, row.satisfied, row.objected, row.handle_due, judged_at)
        status = row.feedback.status
        answered = getattr(row.feedback, _ANSWERED[status]) if status in _ANSWERED else None
        if key == "6.1":
            if row.final:
                reason = "answered_on_time" if ok else "answered_late"
            else:
                reason = "open_within_deadline" if ok else "open_overdue"
        else:
            reason = "satisfied" if sat else ("objected" if ok else "late")
        item = {
            "reference": row.feedback_id,
            "agency": row.agency.code,
            "agency_name": row.agency.name,
            "kind": row.feedback.kind,
            "status": status,
            "received_at": row.received_at,
            "due": row.handle_due,
            "answered_at": answered,
            "on_time": ok,
            "satisfied": sat,
            "in_numerator": ok if key == "6.1" else sat,
            "reason": reason,
        }
        out.append(((row.received_at, row.feedback_id), item))
    return out
