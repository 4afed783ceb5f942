"""Scorecards, rankings, trends, the open-dossier watch list and open data: the totals,
catalogue facts and PAKN of a subtree put through `engine.score`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Sum

from motcua.indicators.conf import IndicatorSettings, indicator_settings
from motcua.indicators.engine import (
    FLAGS,
    Scorecard,
    Totals,
    score,
)
from motcua.indicators.models import IndicatorCounter, IndicatorFact
from motcua.indicators.periods import Period
from motcua.indicators.selectors.catalogue_facts import catalogue_facts_for
from motcua.indicators.selectors.complaints import pakn_from_counters
from motcua.indicators.selectors.totals import SubtreeTotals, subtree_totals
from motcua.organizations.models import Agency

# ---------------------------------------------------------------- scorecards


@dataclass
class Ranked:
    agency: Agency
    card: Scorecard


def scorecards(
    root: Agency, period: Period, *, now: datetime | None = None, cfg: IndicatorSettings | None = None
) -> tuple[dict[int, Scorecard], SubtreeTotals]:
    """The scorecard of `root` and of every agency below it (after catching up)."""
    from django.utils import timezone

    cfg = cfg or indicator_settings()
    now = now or timezone.now()
    sub = subtree_totals(root, period, now, cfg)
    catalogue = catalogue_facts_for(sub.agencies, period, cfg)
    pakn = pakn_from_counters(sub.agencies, period, now, cfg=cfg)
    cards = {pk: score(sub.totals[pk], catalogue[pk], pakn[pk], cfg) for pk in sub.agencies}
    for pk, card in cards.items():
        annotate_notes(card, sub.totals[pk])
    return cards, sub


def scorecard(agency: Agency, period: Period, *, now: datetime | None = None) -> Scorecard:
    cards, _ = scorecards(agency, period, now=now)
    return cards[agency.pk]


def ranking(root: Agency, period: Period, *, now: datetime | None = None) -> list[Ranked]:
    """The agencies directly below `root` (and, for the province, every department and
    commune) ordered by total points."""
    cards, sub = scorecards(root, period, now=now)
    rows = [Ranked(sub.agencies[pk], card) for pk, card in cards.items() if pk != root.pk]
    rows.sort(key=lambda r: (-r.card.total, r.agency.code))
    return rows


#: Why a sub-indicator reads zero while the capability that produces its data is not live.
SOURCE_NOTES = {
    "1.2": "Needs the date each procedure was made public in the national database (catalogue).",
    "1.4": "Counts dossiers the national portal has acknowledged; reads 0 while no portal connector runs.",
    "5.A": "Online payments are recorded by the payments capability; until it records any, this reads 0.",
    "5.B": "Online payments are recorded by the payments capability; until it records any, this reads 0.",
    "5.C": "Fee data synced to the national portal is recorded with payments; until then, this reads 0.",
    "4.1": "Electronic results are flagged when a result is finished electronically; none yet reads 0.",
    "4.3": "Reused digitised data comes from the warehouse and reuse capability; until it exists, 0.",
    "4.4": "Warehouse links (components taken from it, results pushed to it) are not produced yet: 0.",
    "4.5b": "Population-database use (VNeID-verified applicants, components from national databases) "
    "is not produced yet: 0.",
    "4.5a": "Depends on 4.5b dossiers; reads 0 until population-database use is recorded.",
    "4.e": "Catalogue data: communes flagged as offering electronic certified copies.",
    "6.1": "Feedback (PAKN) is recorded by the feedback capability; with no PAKN the indicator scores 6.",
    "6.2": "Feedback (PAKN) is recorded by the feedback capability; with no PAKN the indicator scores 6.",
}


def annotate_notes(card: Scorecard, totals: Totals) -> None:
    for group in card.groups:
        for item in group.items:
            if item.denominator == 0:
                item.note = "N/A: nothing to count in this period (scores 0 unless stated). " + SOURCE_NOTES.get(
                    item.key, ""
                )
            elif item.numerator == 0 and item.key in SOURCE_NOTES:
                item.note = SOURCE_NOTES[item.key]


# ---------------------------------------------------------------- operations


def open_dossiers(root: Agency, *, now: datetime | None = None) -> dict[str, list[IndicatorFact]]:
    """Open dossiers of the subtree that are overdue, or due within the due-soon window
    (against their current due instant, which Form 04 and pauses move)."""
    from django.utils import timezone

    cfg = indicator_settings()
    now = now or timezone.now()
    rows = IndicatorFact.objects.filter(
        agency__path__startswith=root.path, processed_at__isnull=True, returned_at__isnull=True, stopped_at__isnull=True
    ).select_related("agency", "procedure", "dossier__procedure_version")
    soon = now + timedelta(hours=cfg.due_soon_hours)
    return {
        "overdue": list(rows.filter(current_due__lt=now).order_by("current_due")[: cfg.drilldown_max]),
        "due_soon": list(
            rows.filter(current_due__gte=now, current_due__lte=soon).order_by("current_due")[: cfg.drilldown_max]
        ),
    }


def trend(root: Agency, periods: list[Period], *, now: datetime | None = None) -> list[tuple[Period, Scorecard]]:
    """The scorecard of `root` month by month."""
    return [(p, scorecard(root, p, now=now)) for p in periods]


def open_data(*, period: Period) -> list[dict[str, object]]:
    """Aggregate counts per settling agency, procedure and receipt month: no personal data."""
    rows = (
        IndicatorCounter.objects.filter(month__range=(period.first.replace(day=1), period.last))
        .values("agency__code", "agency__name", "procedure__code", "month")
        .annotate(**{f"s_{n}": Sum(n) for n in FLAGS})
        .order_by("month", "agency__code", "procedure__code")
        .values_list("month", "agency__code", "agency__name", "procedure__code", *(f"s_{n}" for n in FLAGS))
    )
    out: list[dict[str, object]] = []
    for month, agency_code, agency_name, procedure_code, *sums in rows:
        counts = dict(zip(FLAGS, sums, strict=True))
        if counts["received"]:
            out.append(
                {
                    "month": month.strftime("%Y-%m"),
                    "agency_code": agency_code,
                    "agency_name": agency_name,
                    "procedure_code": procedure_code,
                    **counts,
                }
            )
    return out
