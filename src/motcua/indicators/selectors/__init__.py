"""Reads of the indicators app: scorecards, rankings, trends, drill-down, open data.

A read never writes: it reads the facts and counters as the background catch-up left them
(`indicators.tasks`, see docs/architecture.md, "Background work"). Dossier-based numbers
come from the monthly counters (whole months) and the fact rows (days of partial months,
open dossiers judged at read time), never from the dossiers table: the cost is
O(agencies × procedures × months + open dossiers).

One module per concern: `access` (who reads which dashboard), `totals` (dossier totals of a
subtree), `catalogue_facts` (the catalogue indicators), `complaints` (PAKN), `scorecards`
(scorecards, rankings, trends, open data) and `drilldown` (what is behind a number).
"""

from motcua.indicators.selectors.access import OVERSIGHT, agencies_managed_by, agency_for_manager, province_root
from motcua.indicators.selectors.catalogue_facts import (
    COMPONENTS,
    CatalogueDetail,
    catalogue_facts_for,
    communes_below,
    missing_components,
)
from motcua.indicators.selectors.catalogue_facts import preload as preload_catalogue
from motcua.indicators.selectors.complaints import pakn_for, pakn_from_counters
from motcua.indicators.selectors.drilldown import DRILL_FLAGS, drilldown, indicator_items
from motcua.indicators.selectors.scorecards import (
    SOURCE_NOTES,
    Ranked,
    annotate_notes,
    open_data,
    open_dossiers,
    ranking,
    scorecard,
    scorecards,
    trend,
)
from motcua.indicators.selectors.totals import SubtreeTotals, open_facts, subtree_agencies, subtree_totals

__all__ = [
    "COMPONENTS",
    "DRILL_FLAGS",
    "OVERSIGHT",
    "SOURCE_NOTES",
    "CatalogueDetail",
    "Ranked",
    "SubtreeTotals",
    "agencies_managed_by",
    "agency_for_manager",
    "annotate_notes",
    "catalogue_facts_for",
    "communes_below",
    "drilldown",
    "indicator_items",
    "missing_components",
    "open_data",
    "open_dossiers",
    "open_facts",
    "pakn_for",
    "pakn_from_counters",
    "preload_catalogue",
    "province_root",
    "ranking",
    "scorecard",
    "scorecards",
    "subtree_agencies",
    "subtree_totals",
    "trend",
]
