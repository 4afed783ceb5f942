"""Reads of the indicators app: scorecards, rankings, trends, drill-down, open data.

Every read first calls `indicators_catch_up()` (through `current`), so it reflects every
committed dossier event. Dossier-based numbers come from the monthly counters (whole
months) and the fact rows (days of partial months, open dossiers judged at read time),
never from the dossiers table: the cost is O(agencies × procedures × months + open dossiers).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.catalog.models import CompetentLevel, ProcedureVersion, VersionStatus
from motcua.indicators import catalogue as cat
from motcua.indicators.conf import IndicatorSettings, indicator_settings
from motcua.indicators.engine import FLAGS, CatalogueFacts, DossierFacts, Scorecard, Span, Totals, judge, score
from motcua.indicators.models import IndicatorCounter, IndicatorFact, PaknCounter, PaknFact
from motcua.indicators.periods import Period
from motcua.indicators.services import FEEDBACK_COLUMNS, indicators_catch_up
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


_OPEN = FLAGS.index("open")


def _marks(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """One hand-written aggregate query: the dashboard's hot reads skip the ORM's compiler,
    which costs more than the database for these tiny GROUP BYs."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def subtree_agencies(root: Agency) -> dict[int, Agency]:
    return {a.pk: a for a in Agency.objects.filter(path__startswith=root.path)}


def subtree_totals(
    root: Agency,
    period: Period,
    now: datetime,
    cfg: IndicatorSettings,
    *,
    agencies: dict[int, Agency] | None = None,
) -> SubtreeTotals:
    """Totals for `root` and every agency below it, each rolling up its own subtree.

    One GROUP BY over the monthly counters (whole months), one over the fact rows of
    partial months (custom ranges), and the open facts judged at read time: the rows read
    are O(agencies × procedures), whatever the number of dossiers.
    """
    agencies = agencies if agencies is not None else subtree_agencies(root)
    chain = _chain(agencies)
    totals = {pk: Totals() for pk in agencies}
    ids = list(agencies)

    def add(agency_id: int, procedure_id: int, sums: tuple[int | None, ...]) -> None:
        counts = {name: int(value or 0) for name, value in zip(FLAGS, sums, strict=True)}
        for target in chain.get(agency_id, []):
            totals[target].add_flags(procedure_id, counts)

    open_count = 0
    months = period.full_months()
    if months and ids:
        table = connection.ops.quote_name(IndicatorCounter._meta.db_table)
        columns = ", ".join(f"SUM({connection.ops.quote_name(n)})" for n in FLAGS)
        sql = (
            f"SELECT agency_id, procedure_id, {columns} FROM {table} "
            f"WHERE agency_id IN ({_marks(ids)}) AND month IN ({_marks(months)}) GROUP BY agency_id, procedure_id"
        )
        for agency_id, procedure_id, *sums in _rows(sql, [*ids, *map(connection.ops.adapt_datefield_value, months)]):
            add(agency_id, procedure_id, tuple(sums))
            open_count += int(sums[_OPEN] or 0)
    for first, last in period.partial_ranges():
        for agency_id, procedure_id, *sums in (
            IndicatorFact.objects.filter(agency_id__in=ids, receipt_day__range=(first, last))
            .values("agency_id", "procedure_id")
            .annotate(**{f"s_{n}": Count("pk", filter=Q(**{n: True})) for n in FLAGS})
            .values_list("agency_id", "procedure_id", *(f"s_{n}" for n in FLAGS))
        ):
            add(agency_id, procedure_id, tuple(sums))
            open_count += int(sums[_OPEN] or 0)
    # The counters count the open facts: when they hold none, nothing is judged at read time.
    for row in open_facts(root, period, agency_ids=ids) if open_count else ():
        verdict = judge(_facts_from_row(row), period.end, now, cfg)
        for target in chain.get(row.agency_id, []):
            totals[target].judged_open[row.code] = verdict.on_time
    return SubtreeTotals(agencies, chain, totals)


def open_facts(root: Agency, period: Period, *, agency_ids: list[int] | None = None) -> QuerySet[IndicatorFact]:
    """Dossiers of the period whose 2.1 verdict depends on now: the small set judged at read time."""
    scope = Q(agency_id__in=agency_ids) if agency_ids is not None else Q(agency__path__startswith=root.path)
    return IndicatorFact.objects.filter(scope, open=True, receipt_day__range=(period.first, period.last)).only(
        "code",
        "agency_id",
        "procedure_id",
        "received_at",
        "due",
        "supplement_requests",
        "spans",
        "processed_at",
        "returned_at",
        "stopped_at",
    )


# ---------------------------------------------------------------- catalogue and PAKN


@dataclass(frozen=True)
class _Version:
    """A non-draft procedure version as the catalogue indicators see it (facts + scope)."""

    facts: cat.VersionFacts
    competent_level: str
    competent_agency_id: int | None


#: Catalogue facts change only when a version is published, superseded, abolished or made
#: public (a published version's content never changes: catalog.services), so they are kept
#: per process and reloaded when this fingerprint of the non-draft versions moves.
_VERSION_FINGERPRINT = (
    "COUNT(*)",
    "MAX(id)",
    "MAX(created_at)",
    "SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)",
    "COUNT(ended_at)",
    "MAX(ended_at)",
    "COUNT(made_public_at)",
    "MAX(made_public_at)",
    "MIN(made_public_at)",
    "MAX(decision_date)",
    "MIN(decision_date)",
    "MAX(legal_effective_date)",
    "MAX(effective_date)",
    "MAX(published_at)",
)
_catalogue_cache: dict[str, Any] = {}


def _versions() -> list[_Version]:
    """The non-draft versions: one aggregate query when nothing changed."""
    table = connection.ops.quote_name(ProcedureVersion._meta.db_table)
    sql = f"SELECT {', '.join(_VERSION_FINGERPRINT)} FROM {table} WHERE status <> %s"
    fingerprint = _rows(sql, [VersionStatus.PUBLISHED.value, VersionStatus.DRAFT.value])[0]
    if _catalogue_cache.get("fingerprint") != fingerprint:
        _catalogue_cache.clear()
        _catalogue_cache["fingerprint"] = fingerprint
        _catalogue_cache["versions"] = [
            _Version(facts, v.competent_level, v.competent_agency_id) for v, facts in _version_facts()
        ]
    versions: list[_Version] = _catalogue_cache["versions"]
    return versions


def _version_facts() -> list[tuple[ProcedureVersion, cat.VersionFacts]]:
    out = []
    for v in ProcedureVersion.objects.exclude(status=VersionStatus.DRAFT).prefetch_related(
        "fees", "documents", "steps"
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


def _in_scope(version: _Version, agency: Agency, paths: dict[int, str], has_commune: bool) -> bool:
    """A procedure belongs to the subtree of its competent agency; a commune-level procedure
    to every subtree that holds a commune (each commune settles it)."""
    if version.competent_level == CompetentLevel.COMMUNE:
        return has_commune
    path = paths.get(version.competent_agency_id) if version.competent_agency_id is not None else None
    return path is not None and path.startswith(agency.path)


def catalogue_facts_for(
    agencies: dict[int, Agency], period: Period, cfg: IndicatorSettings
) -> dict[int, CatalogueFacts]:
    """Publicity 1.1–1.3, fee and citizen procedures and e-certified copies per agency.

    Each version is judged once per period (its verdicts do not depend on the agency), and
    the result is kept per process for the same versions, agencies, period and settings.
    """
    versions = _versions()
    cal = calendar_for(None)
    key = (
        period,
        id(cal),
        cfg.publish_lead_working_days,
        cfg.public_within_working_days,
        cfg.publish_missing_legal_date,
        tuple(sorted((pk, a.path, a.kind, a.offers_e_certified_copy) for pk, a in agencies.items())),
    )
    memo: dict[Any, dict[int, CatalogueFacts]] = _catalogue_cache.setdefault("results", {})
    found = memo.get(key)
    if found is not None and _catalogue_cache.get("calendar") is cal:
        return found
    if _catalogue_cache.get("calendar") is not cal:
        memo.clear()
        _catalogue_cache["calendar"] = cal
    if len(memo) > 256:
        memo.clear()

    paths = {pk: a.path for pk, a in agencies.items()}
    missing = {v.competent_agency_id for v in versions if v.competent_agency_id is not None} - set(paths)
    if missing:
        paths.update(Agency.objects.filter(pk__in=missing).values_list("pk", "path"))
    published = [cat.publication_verdict(v.facts, period, cal, cfg) for v in versions]
    public = [cat.public_verdict(v.facts, period, cal, cfg) for v in versions]
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
        verdict: dict[int, bool] = {}
        m_on = m_total = c_ok = c_total = 0
        fee: set[int] = set()
        citizen: set[int] = set()
        for i, v in enumerate(versions):
            if not _in_scope(v, agency, paths, has_commune):
                continue
            f = v.facts
            if published[i] is not None:
                verdict[f.procedure_id] = verdict.get(f.procedure_id, True) and bool(published[i])
            m_total += public[i][0]
            m_on += public[i][1]
            if f.status == VersionStatus.PUBLISHED:
                c_total += 1
                c_ok += f.complete
                if f.fee:
                    fee.add(f.procedure_id)
                if f.citizen:
                    citizen.add(f.procedure_id)
        out[pk] = CatalogueFacts(
            published_on_time=sum(verdict.values()),
            published_total=len(verdict),
            public_on_time=m_on,
            public_total=m_total,
            complete=c_ok,
            complete_total=c_total,
            fee_procedures=frozenset(fee),
            citizen_procedures=frozenset(citizen),
            communes_offering=offering[pk],
            communes=communes[pk],
        )
    memo[key] = out
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
    """6.1 and 6.2 judged PAKN by PAKN from the feedback table: the reference computation
    that the PAKN counters (`pakn_from_counters`, what the dashboards read) must equal.
    Deadlines run on the calendar of the agency each PAKN is addressed to."""
    chain = _chain(agencies)
    start, end = period.start, period.end
    calendars: dict[int, worktime.WorkCalendar] = {}
    verdicts: dict[int, list[tuple[bool, bool]]] = defaultdict(list)
    for agency_id, *values in Feedback.objects.filter(
        agency_id__in=list(agencies), received_at__range=(start, end)
    ).values_list("agency_id", *FEEDBACK_COLUMNS):
        item = cat.FeedbackFacts(*values)
        if not period.contains(item.received_at):
            continue
        if agency_id not in calendars:
            calendars[agency_id] = calendar_for(agency_id)
        single = cat.pakn_facts([item], period, now, partial(_working_days_due, calendars[agency_id]), cfg)
        for target in chain[agency_id]:
            verdicts[target].append((bool(single.on_time), bool(single.satisfied)))
    return {
        pk: cat.PaknFacts(
            total=len(verdicts[pk]),
            on_time=sum(ok for ok, _ in verdicts[pk]),
            satisfied=sum(sat for _, sat in verdicts[pk]),
        )
        for pk in agencies
    }


def pakn_from_counters(
    agencies: dict[int, Agency], period: Period, now: datetime, *, cfg: IndicatorSettings | None = None
) -> dict[int, cat.PaknFacts]:
    """6.1 and 6.2 from the PAKN counters (whole months), the PAKN facts of partial months,
    and the open PAKN judged against their stored deadline at min(period end, now): three
    GROUP BY queries whose rows are O(agencies × months)."""
    ids = list(agencies)
    chain = _chain(agencies)
    sums: dict[int, list[int]] = {pk: [0, 0, 0] for pk in agencies}

    def add(agency_id: int, total: int | None, on_time: int | None, satisfied: int | None) -> None:
        for target in chain.get(agency_id, []):
            acc = sums[target]
            acc[0] += total or 0
            acc[1] += on_time or 0
            acc[2] += satisfied or 0

    open_count = 0
    months = period.full_months()
    if months and ids:
        table = connection.ops.quote_name(PaknCounter._meta.db_table)
        sql = (
            f"SELECT agency_id, SUM(received), SUM(on_time), SUM(satisfied), SUM({connection.ops.quote_name('open')}) "
            f"FROM {table} WHERE agency_id IN ({_marks(ids)}) AND month IN ({_marks(months)}) GROUP BY agency_id"
        )
        for agency_id, n, ok, sat, still_open in _rows(sql, [*ids, *map(connection.ops.adapt_datefield_value, months)]):
            add(agency_id, n, ok, sat)
            open_count += int(still_open or 0)
    final_ok = Q(final=True, on_time=True)
    final_sat = Q(final=True, satisfied=True)
    for first, last in period.partial_ranges():
        for row in (
            PaknFact.objects.filter(agency_id__in=ids, receipt_day__range=(first, last))
            .values("agency_id")
            .annotate(
                n=Count("pk"),
                ok=Count("pk", filter=final_ok),
                sat=Count("pk", filter=final_sat),
                still_open=Count("pk", filter=Q(final=False)),
            )
            .values_list("agency_id", "n", "ok", "sat", "still_open")
        ):
            add(*row[:4])
            open_count += row[4]
    if open_count:
        # The counters count the open PAKN; only those still within their deadline at
        # min(period end, now) are on time, and an index on (final, handle_due) finds just
        # them: the PAKN received in the last three weeks or so, however many are overdue.
        table = connection.ops.quote_name(PaknFact._meta.db_table)
        judged_at = connection.ops.adapt_datetimefield_value(min(period.end, now))
        sql = (
            f"SELECT agency_id, COUNT(*), SUM(CASE WHEN objected THEN 0 ELSE 1 END) FROM {table} "
            f"WHERE final = %s AND handle_due >= %s AND agency_id IN ({_marks(ids)}) "
            "AND receipt_day >= %s AND receipt_day <= %s GROUP BY agency_id"
        )
        days = [connection.ops.adapt_datefield_value(d) for d in (period.first, period.last)]
        for agency_id, ok, sat in _rows(sql, [False, judged_at, *ids, *days]):
            add(agency_id, 0, ok, sat)
    return {pk: cat.PaknFacts(total=n, on_time=ok, satisfied=sat) for pk, (n, ok, sat) in sums.items()}


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
