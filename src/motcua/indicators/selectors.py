"""Reads of the indicators app: scorecards, rankings, trends, drill-down, open data.

Every read first calls `indicators_catch_up()` (through `current`), so it reflects every
committed dossier event. Dossier-based numbers come from the monthly counters (whole
months) and the fact rows (days of partial months, open dossiers judged at read time),
never from the dossiers table: the cost is O(agencies × procedures × months + open dossiers).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.catalog.models import CompetentLevel, ProcedureVersion, VersionStatus
from motcua.indicators import catalogue as cat
from motcua.indicators.conf import IndicatorSettings, indicator_settings
from motcua.indicators.engine import FLAGS, CatalogueFacts, DossierFacts, Scorecard, Span, Totals, judge, score
from motcua.indicators.models import IndicatorCounter, IndicatorFact
from motcua.indicators.periods import Period
from motcua.indicators.services import indicators_catch_up
from motcua.lib.errors import InvalidInput, NotFound, PermissionDenied
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency, AgencyKind, Role
from motcua.ratings.models import Feedback

OVERSIGHT = {Role.MANAGER, Role.ADMIN}


# ---------------------------------------------------------------- access


def agencies_managed_by(actor: Actor) -> list[Agency]:
    """Agencies whose indicators `actor` may read: where they are manager or administrator
    (each with its subtree)."""
    ids = actor.agency_ids(OVERSIGHT)
    return list(Agency.objects.filter(pk__in=ids).order_by("path"))


def agency_for_manager(actor: Actor, code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(f"No agency has the code {code}.", code="agency_not_found")
    roots = agencies_managed_by(actor)
    if not any(agency.path.startswith(root.path) for root in roots):
        raise PermissionDenied("Only managers and administrators of this agency or above see its indicators.")
    return agency


def province_root() -> Agency:
    root = Agency.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise NotFound("No agency exists yet.", code="agency_not_found")
    return root


# ---------------------------------------------------------------- totals


def _facts_from_row(row: IndicatorFact) -> DossierFacts:
    spans = tuple(Span(datetime.fromisoformat(a), datetime.fromisoformat(b) if b else None) for a, b in row.spans or [])
    return DossierFacts(
        code=row.code,
        agency_id=row.agency_id,
        procedure_id=row.procedure_id,
        received_at=row.received_at,
        due=row.due,
        supplement_requests=row.supplement_requests,
        spans=spans,
        processed_at=row.processed_at,
        returned_at=row.returned_at,
        stopped_at=row.stopped_at,
    )


@dataclass
class SubtreeTotals:
    agencies: dict[int, Agency]
    #: agency id -> its ids and those of all its ancestors within the subtree
    chain: dict[int, list[int]]
    totals: dict[int, Totals]


def _chain(agencies: dict[int, Agency]) -> dict[int, list[int]]:
    return {
        pk: [int(part) for part in a.path.strip("/").split("/") if part and int(part) in agencies]
        for pk, a in agencies.items()
    }


def subtree_totals(root: Agency, period: Period, now: datetime, cfg: IndicatorSettings) -> SubtreeTotals:
    """Totals for `root` and every agency below it, each rolling up its own subtree."""
    agencies = {a.pk: a for a in Agency.objects.filter(path__startswith=root.path)}
    chain = _chain(agencies)
    totals = {pk: Totals() for pk in agencies}

    def add(agency_id: int, procedure_id: int, counts: dict[str, int]) -> None:
        for target in chain.get(agency_id, []):
            totals[target].add_flags(procedure_id, counts)

    months = period.full_months()
    if months:
        for row in (
            IndicatorCounter.objects.filter(agency__path__startswith=root.path, month__in=months)
            .values("agency_id", "procedure_id")
            .annotate(**{f"s_{n}": Sum(n) for n in FLAGS})
        ):
            add(row["agency_id"], row["procedure_id"], {n: row[f"s_{n}"] or 0 for n in FLAGS})
    for first, last in period.partial_ranges():
        for row in (
            IndicatorFact.objects.filter(agency__path__startswith=root.path, receipt_day__range=(first, last))
            .values("agency_id", "procedure_id")
            .annotate(**{f"s_{n}": Count("pk", filter=Q(**{n: True})) for n in FLAGS})
        ):
            add(row["agency_id"], row["procedure_id"], {n: row[f"s_{n}"] for n in FLAGS})
    for row in open_facts(root, period):
        verdict = judge(_facts_from_row(row), period.end, now, cfg)
        for target in chain.get(row.agency_id, []):
            totals[target].judged_open[row.code] = verdict.on_time
    return SubtreeTotals(agencies, chain, totals)


def open_facts(root: Agency, period: Period) -> QuerySet[IndicatorFact]:
    """Dossiers of the period whose 2.1 verdict depends on now: the small set judged at read time."""
    return IndicatorFact.objects.filter(
        agency__path__startswith=root.path, open=True, receipt_day__range=(period.first, period.last)
    )


# ---------------------------------------------------------------- catalogue and PAKN


def _version_facts() -> list[tuple[ProcedureVersion, cat.VersionFacts]]:
    out = []
    for v in (
        ProcedureVersion.objects.exclude(status=VersionStatus.DRAFT)
        .select_related("competent_agency")
        .prefetch_related("fees", "documents", "steps")
    ):
        complete = bool(
            v.name.strip()
            and list(v.steps.all())
            and list(v.documents.all())
            and v.time_limit_amount > 0
            and v.subjects
            and (v.competent_agency_id or v.competent_level == CompetentLevel.COMMUNE)
        )
        out.append(
            (
                v,
                cat.VersionFacts(
                    procedure_id=v.procedure_id,
                    status=v.status,
                    decision_date=v.decision_date,
                    legal_effective_date=v.legal_effective_date,
                    effective_date=v.effective_date,
                    made_public_at=v.made_public_at,
                    complete=complete,
                    fee=any(f.amount_vnd > 0 for f in v.fees.all()),
                    citizen="citizen" in (v.subjects or []),
                ),
            )
        )
    return out


def _in_scope(version: ProcedureVersion, agency: Agency, has_commune: bool) -> bool:
    """A procedure belongs to the subtree of its competent agency; a commune-level procedure
    to every subtree that holds a commune (each commune settles it)."""
    if version.competent_level == CompetentLevel.COMMUNE:
        return has_commune
    return version.competent_agency is not None and version.competent_agency.path.startswith(agency.path)


def catalogue_facts_for(
    agencies: dict[int, Agency], period: Period, cfg: IndicatorSettings
) -> dict[int, CatalogueFacts]:
    versions = _version_facts()
    cal = calendar_for(None)
    communes: Counter[int] = Counter()
    offering: Counter[int] = Counter()
    chain = _chain(agencies)
    for pk, a in agencies.items():
        if a.kind == AgencyKind.COMMUNE:
            for target in chain[pk]:
                communes[target] += 1
                offering[target] += a.offers_e_certified_copy
    out = {}
    for pk, agency in agencies.items():
        has_commune = communes[pk] > 0
        scoped = [facts for v, facts in versions if _in_scope(v, agency, has_commune)]
        in_force = [f for f in scoped if f.status == VersionStatus.PUBLISHED]
        p_on, p_total = cat.published_on_time(scoped, period, cal, cfg)
        m_on, m_total = cat.made_public_on_time(scoped, period, cal, cfg)
        c_ok, c_total = cat.complete_share(scoped)
        out[pk] = CatalogueFacts(
            published_on_time=p_on,
            published_total=p_total,
            public_on_time=m_on,
            public_total=m_total,
            complete=c_ok,
            complete_total=c_total,
            fee_procedures=frozenset(f.procedure_id for f in in_force if f.fee),
            citizen_procedures=frozenset(f.procedure_id for f in in_force if f.citizen),
            communes_offering=offering[pk],
            communes=communes[pk],
        )
    return out


#: calendar id -> (calendar, {(start, n): due}): a PAKN's deadlines never change once it is
#: received, so each is computed once per calendar object (calendar_for rebuilds the object
#: when its cache expires, which starts a fresh memo). Bounded: cleared past _DUE_MEMO_MAX.
_due_memo: dict[int, tuple[object, dict[tuple[datetime, int], datetime]]] = {}
_DUE_MEMO_MAX = 200_000


def _working_days_due(cal: worktime.WorkCalendar, start: datetime, n: int) -> datetime:
    entry = _due_memo.get(id(cal))
    if entry is None or entry[0] is not cal:
        entry = (cal, {})
        _due_memo[id(cal)] = entry
    memo = entry[1]
    key = (start, n)
    found = memo.get(key)
    if found is None:
        if len(memo) > _DUE_MEMO_MAX:
            memo.clear()
        found = memo[key] = worktime.compute_due(start, n, worktime.Unit.WORKING_DAYS, cal, cutoff=None).due
    return found


def pakn_for(
    agencies: dict[int, Agency], period: Period, now: datetime, cfg: IndicatorSettings
) -> dict[int, cat.PaknFacts]:
    chain = _chain(agencies)
    by_agency: dict[int, list[cat.FeedbackFacts]] = defaultdict(list)
    start, end = period.start, period.end
    columns = ("agency_id", "status", "received_at", "handled_at", "refused_at", "supplement_requested_at")
    columns += ("published_at", "likes", "dislikes", "repeated")
    for agency_id, *values in Feedback.objects.filter(
        agency_id__in=list(agencies), received_at__range=(start, end)
    ).values_list(*columns):
        item = cat.FeedbackFacts(*values)
        for target in chain[agency_id]:
            by_agency[target].append(item)

    def due(agency_id: int) -> object:
        cal = calendar_for(agency_id)
        return lambda start, n: _working_days_due(cal, start, n)

    return {pk: cat.pakn_facts(by_agency.get(pk, []), period, now, due(pk), cfg) for pk in agencies}  # type: ignore[arg-type]


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
    indicators_catch_up()
    sub = subtree_totals(root, period, now, cfg)
    catalogue = catalogue_facts_for(sub.agencies, period, cfg)
    pakn = pakn_for(sub.agencies, period, now, cfg)
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
    "1.4": "Counts dossiers synced to the national portal; the sync connector sets it. Until it runs, 0.",
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


# ---------------------------------------------------------------- drill-down


DRILL_FLAGS = (*FLAGS, "judged_on_time", "judged_late")


def drilldown(
    agency: Agency, period: Period, flag: str, *, now: datetime | None = None, limit: int | None = None
) -> list[dict[str, object]]:
    """The dossiers behind a number: those of R in `agency`'s subtree with `flag` set.

    `on_time` and `late` include the open dossiers judged at read time.
    """
    from django.utils import timezone

    cfg = indicator_settings()
    if flag not in FLAGS:
        raise InvalidInput(f"Unknown indicator flag {flag!r}.", code="invalid_flag", details={"flags": list(FLAGS)})
    now = now or timezone.now()
    indicators_catch_up()
    limit = min(limit or cfg.drilldown_max, cfg.drilldown_max)
    base = IndicatorFact.objects.filter(
        agency__path__startswith=agency.path, receipt_day__range=(period.first, period.last)
    ).select_related("agency", "procedure")
    rows: list[IndicatorFact] = []
    if flag in {"on_time", "late"}:
        rows = list(base.filter(**{flag: True}).order_by("received_at")[:limit])
        for row in base.filter(open=True).order_by("received_at"):
            if len(rows) >= limit:
                break
            verdict = judge(_facts_from_row(row), period.end, now, cfg)
            if verdict.on_time == (flag == "on_time"):
                rows.append(row)
    else:
        rows = list(base.filter(**{flag: True}).order_by("received_at")[:limit])
    return [
        {
            "code": r.code,
            "agency": r.agency.code,
            "procedure": r.procedure.code,
            "received_at": r.received_at,
            "due": r.due,
            "open": r.open,
            "late": r.late,
        }
        for r in rows
    ]


# ---------------------------------------------------------------- operations


def open_dossiers(root: Agency, *, now: datetime | None = None) -> dict[str, list[IndicatorFact]]:
    """Open dossiers of the subtree that are overdue, or due within the due-soon window
    (against their current due instant, which Form 04 and pauses move)."""
    from django.utils import timezone

    cfg = indicator_settings()
    now = now or timezone.now()
    indicators_catch_up()
    rows = IndicatorFact.objects.filter(
        agency__path__startswith=root.path, processed_at__isnull=True, returned_at__isnull=True, stopped_at__isnull=True
    ).select_related("agency", "procedure")
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
    indicators_catch_up()
    rows = (
        IndicatorCounter.objects.filter(month__range=(period.first.replace(day=1), period.last))
        .values("agency__code", "agency__name", "procedure__code", "month")
        .annotate(**{n: Sum(n) for n in FLAGS})
        .order_by("month", "agency__code", "procedure__code")
    )
    return [
        {
            "month": r["month"].strftime("%Y-%m"),
            "agency_code": r["agency__code"],
            "agency_name": r["agency__name"],
            "procedure_code": r["procedure__code"],
            **{n: r[n] for n in FLAGS},
        }
        for r in rows
        if r["received"]
    ]
